"""A Pemda officer, not logged in, plans a BPU budget and checks a JKM benefit on the simulation page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_budgets_bpu_workers_and_checks_a_death_benefit(page) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("link", name="Simulasi", exact=True).click()
    expect(page.get_by_role("heading", name="Simulasi iuran & manfaat")).to_be_visible()

    page.get_by_label("Periode (bulan)").fill("2026-06")
    page.get_by_label("Segmen").select_option("bpu")
    page.get_by_label("Penghasilan sebulan yang dilaporkan (BPU)").fill("1000000")
    page.get_by_label("Jumlah pekerja yang dianggarkan (12 bulan)").fill("5000")
    page.get_by_role("button", name="Hitung").click()

    expect(page.locator("#total")).to_have_text("Rp8.400")
    expect(page.locator("#hasil")).to_have_count(1)  # the result replaces itself, it does not nest
    expect(page.locator("#plan-total")).to_have_text("Rp714.000.000")
    expect(page.get_by_text("PP 44/2015 Lampiran II; PP 50/2025").first).to_be_visible()
    assert "hitung=1" in page.url  # HTMX pushed the URL: the simulation can be bookmarked

    page.get_by_role("link", name="Manfaat", exact=True).click()
    page.locator("select[name=program]").select_option("jkm")
    page.get_by_label("Tanggal kejadian (kematian, kecelakaan, pembayaran)").fill("2019-12-01")
    page.get_by_role("button", name="Hitung").click()
    expect(page.locator("#total")).to_have_text("Rp24.000.000")
    page.get_by_label("Tanggal kejadian (kematian, kecelakaan, pembayaran)").fill("2019-12-02")
    page.get_by_role("button", name="Hitung").click()
    expect(page.locator("#total")).to_have_text("Rp42.000.000")
    expect(page.locator("#hasil")).to_have_count(1)
    expect(page.get_by_text("Nilai belum terkonfirmasi").first).to_be_visible()
