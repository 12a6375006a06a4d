"""A branch officer uploads the social-affairs office's list on a phone and reads who is still
unprotected (issue 22): counts per class, the unregistered with NIK masked, no sideways scrolling."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import load_regions_if_missing
from lindung.outreach.tests.helpers import write_list
from lindung.registry.nik import make_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 390
BORN = date(1983, 2, 9)


def test_upload_a_list_and_see_who_is_still_unprotected_on_a_phone(page, tmp_path) -> None:
    from playwright.sync_api import expect

    load_regions_if_missing()
    UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"], full_name="Petugas Cabang Siak")
    rows = [
        [make_nik("14.08.06", BORN, "L", serial), "1408060101000001", f"Warga Dayun {serial}",
         BORN.strftime("%d-%m-%Y"), "L", "14.08.06.2001", "", "", 1, "Miskin", "Bekerja", "Nelayan"]
        for serial in range(1, 4)
    ]  # fmt: skip
    rows.append(["12345", "", "NIK Pendek", "", "L", "14.08.06.2001", "", "", 2, "", "", ""])
    path = write_list(tmp_path / "dtks-dayun.xlsx", rows)

    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto("/masuk/")
    page.locator("input[name=username]").fill("cabang-siak")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/")
    page.goto("/sasaran/")
    page.get_by_role("button", name="Unggah daftar").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_label("Sumber").select_option("dtks")
    page.get_by_label("Tanggal data").fill("2026-06-30")
    page.get_by_label("Nama").fill("DTKS Dayun Juni 2026")
    page.get_by_role("button", name="Unggah", exact=True).click()

    expect(page.get_by_role("heading", name="DTKS Dayun Juni 2026")).to_be_visible()
    expect(page.locator("#to-protect")).to_contain_text("3")
    expect(page.locator("tr[data-class=belum_terdaftar] td").first).to_have_text("3")
    expect(page.locator("tr[data-class=nik_salah] td").first).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE + 1

    page.locator("tr[data-class=belum_terdaftar]").get_by_role("link", name="Lihat").click()
    table = page.locator("#entries")
    expect(table).to_contain_text("Warga Dayun 1")
    expect(table).to_contain_text("1408********")
    assert make_nik("14.08.06", BORN, "L", 1) not in table.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE + 1


def test_from_upload_to_confirmed_enrolment(page, tmp_path) -> None:
    """The whole flow on a laptop: upload, choose deciles 1-2, read the cost, draft the agreement and
    the enrolment file, confirm it on the registry's page, activate the agreement."""
    from playwright.sync_api import expect

    from lindung.registry.models import Agreement, Membership
    from lindung.registry.tests.factories import sponsor

    load_regions_if_missing()
    UserFactory(username="cabang-alur", role=Role.PETUGAS_CABANG, regions=["14.08"], full_name="Petugas Cabang")
    pemkab = sponsor()
    rows = [
        [make_nik("14.08.06", BORN, "P", serial), f"140806010100{serial:04d}", f"Ibu Dayun {serial}",
         BORN.strftime("%d-%m-%Y"), "P", "14.08.06.2001", "", "", 1 + serial % 4, "Miskin", "Bekerja", "Petani"]
        for serial in range(1, 9)
    ]  # fmt: skip
    path = write_list(tmp_path / "dtks-dayun.xlsx", rows)
    questions: list[str] = []

    def answer_yes(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer_yes)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/masuk/")
    page.locator("input[name=username]").fill("cabang-alur")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/")
    page.goto("/sasaran/")
    page.get_by_role("button", name="Unggah daftar").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_label("Tanggal data").fill("2026-06-30")
    page.get_by_role("button", name="Unggah", exact=True).click()
    expect(page.locator("tr[data-class=belum_terdaftar] td").first).to_have_text("8")

    page.locator("#select-link").click()
    page.locator("input[name=deciles][value='1']").check()
    page.locator("input[name=deciles][value='2']").check()
    page.get_by_role("button", name="Hitung").click()
    expect(page.locator("#selection-size strong")).to_have_text("4")  # serials 4 and 8 (decile 1), 1 and 5 (2)
    expect(page.locator("#plan-total")).not_to_have_text("Rp0")

    page.get_by_label("Pemberi kerja (pemerintah daerah yang membayar)").select_option(str(pemkab.pk))
    page.get_by_label("Nomor perjanjian").fill("PKS/RENTAN/DAYUN/2027")
    page.get_by_role("button", name="Buat draf perjanjian dan berkas pendaftaran").click()
    expect(page.locator("#import-state")).to_have_text("Sudah diperiksa, menunggu konfirmasi")
    expect(page.locator("#new-count")).to_have_text("4")
    page.get_by_role("button", name="Simpan 4 baris valid").click()
    expect(page.locator("#import-state")).to_have_text("Sudah diimpor")
    assert questions[0] == "Buat draf perjanjian dan berkas pendaftaran untuk 4 orang?"

    agreement = Agreement.objects.get(number="PKS/RENTAN/DAYUN/2027")
    assert agreement.quota == 4
    assert Membership.objects.filter(agreement=agreement).count() == 4
    page.goto(f"/perjanjian/{agreement.pk}/")
    expect(page.get_by_role("heading", name="PKS/RENTAN/DAYUN/2027")).to_be_visible()
