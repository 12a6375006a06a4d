"""In a real browser: a JKM claim from intake to paid, with two officers (one verifies, one approves)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import load_regions_if_missing
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_a_jkm_claim_from_intake_to_paid(page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    load_regions_if_missing()
    UserFactory(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"], full_name="Verifikator Cabang")
    UserFactory(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"], full_name="Penyetuju Cabang")
    member = enrol(sponsor(), 1, wage="3.000.000", programs="jkk,jkm", starts_on="2024-01-01", today=date(2024, 1, 1))
    member.person.relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1991, 1, 1))
    certificate = tmp_path / "akta-kematian.pdf"
    certificate.write_bytes(b"%PDF-1.4\n%%EOF\n")

    log_in(page, "verifikator")
    page.get_by_role("link", name="Klaim", exact=True).click()
    page.get_by_role("button", name="Klaim baru").click()
    page.get_by_label("NIK peserta").fill(member.person.nik)
    page.get_by_label("Jenis klaim").select_option("jkm")
    page.get_by_label("Tanggal kejadian").fill("2026-02-03")
    page.get_by_label("Pengaju klaim").fill("Siti Aminah")
    page.get_by_role("button", name="Ajukan klaim").click()

    expect(page.locator("#claim-status")).to_have_text("Diajukan")
    expect(page.locator("#eligibility")).to_have_text("Berhak")
    expect(page.locator("#heirs")).to_contain_text("Siti Aminah")
    page.get_by_label("Dokumen").select_option("akta_kematian")
    page.get_by_label("Berkas (PDF, JPG atau PNG, paling besar 5 MB)").set_input_files(str(certificate))
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#checklist")).to_contain_text("✔ Akta kematian")
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.locator("#claim-status")).to_have_text("Diverifikasi")
    page.get_by_role("button", name="Setujui").click()
    expect(page.get_by_role("status").filter(has_text="tidak boleh menyetujuinya")).to_be_visible()
    claim_url = page.url
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "penyetuju")
    page.goto(claim_url)
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#claim-status")).to_have_text("Disetujui")
    expect(page.locator("#benefit-total")).to_have_text("Rp42.000.000")
    page.get_by_label("Dibayar pada").fill("2026-03-01")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator("#claim-status")).to_have_text("Dibayar")
    expect(page.locator("#payouts")).to_contain_text("Siti Aminah")
    expect(page.locator("#timeline li")).to_have_count(4)
