"""In a real browser: an operator opens a sponsor's statement, records a payment, sees the outstanding fall."""

from __future__ import annotations

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import SIAK, load_regions_if_missing
from lindung.contributions.services import billing_run
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_an_operator_pays_an_invoice_and_sees_the_outstanding_amount_fall(page, width) -> None:
    from playwright.sync_api import expect

    from lindung.browser import follow_nav

    load_regions_if_missing()
    UserFactory(username="siak", role=Role.OPERATOR_PEMDA, regions=[SIAK], full_name="Operator Pemkab Siak")
    pemkab = sponsor()
    for serial in (1, 2):
        enrol(pemkab, serial, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")  # 2 x 16,200

    questions: list[str] = []

    def answer_yes(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer_yes)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill("siak")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    follow_nav(page, "Pemberi kerja")
    page.get_by_role("link", name=pemkab.name).click()
    page.get_by_role("button", name="Rekening koran iuran").click()
    expect(page.locator("#outstanding")).to_have_text("Rp32.400")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    page.get_by_label("Tanggal bayar").fill("2026-04-10")
    page.get_by_label("Jumlah (Rp)").fill("20.000")
    page.get_by_label("Referensi").fill(f"TAG/2026-03/S{pemkab.pk}")
    page.get_by_role("button", name="Catat pembayaran").click()

    expect(page.get_by_role("status").filter(has_text="Pembayaran dicatat.")).to_be_visible()
    expect(page.locator("#outstanding")).to_have_text("Rp12.400")
    expect(page.locator("#invoices tbody tr").first).to_contain_text("Dibayar sebagian")
    expect(page.locator("#payments tbody tr").first).to_contain_text("Rp20.000")
    assert questions == ["Catat pembayaran ini? Pembayaran dialokasikan ke tagihan terlama lebih dulu."]

    # Reversing asks first, naming the amount and the day; answered no, nothing changes.
    page.remove_listener("dialog", answer_yes)

    def answer_no(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer_no)
    page.locator("#payments summary", has_text="Batalkan").first.click()
    page.get_by_label("Alasan pembatalan").fill("Salah input")
    page.get_by_role("button", name="Batalkan pembayaran").click()
    assert (
        questions[-1]
        == "Batalkan pembayaran Rp20.000 tanggal 10-04-2026? Tagihan yang dibayarnya menjadi belum lunas lagi."
    )
    expect(page.locator("#outstanding")).to_have_text("Rp12.400")
    page.on("dialog", answer_yes)
    page.get_by_role("button", name="Batalkan pembayaran").click()
    expect(page.locator("#outstanding")).to_have_text("Rp32.400")

    page.get_by_role("link", name=f"TAG/2026-03/S{pemkab.pk}").click()
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Unduh PDF").click()
    assert pdf.value.suggested_filename == f"TAG-2026-03-S{pemkab.pk}.pdf"
