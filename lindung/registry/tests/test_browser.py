"""A Siak operator uploads a spreadsheet with mistakes, reads the error report, and confirms the valid rows."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import SIAK, load_regions_if_missing
from lindung.registry.enrolment import COLUMNS
from lindung.registry.models import Person
from lindung.registry.tests.factories import person_values, sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def workbook(path: Path) -> openpyxl.Workbook:
    """A downloaded file (Playwright stores it without an extension, which openpyxl would refuse)."""
    return openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))


def spreadsheet(path: Path) -> Path:
    """Three good rows and two bad ones: a NIK of 15 digits and a birth date that does not match the NIK."""
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append([column.header for column in COLUMNS])
    for serial in (1, 2, 3):
        values = person_values(serial)
        sheet.append(
            [
                values["nik"],
                values["name"],
                values["birth_date"],
                "L",
                "",
                "",
                "pu",
                "non_asn",
                "JKK, JKM",
                3_000_000,
                1,
                "",
                "",
                "2026-01-01",
                "",
                "",
                "",
            ]
        )
    bad = person_values(4)
    sheet.append(
        [
            str(bad["nik"])[:15],
            "Salah Ketik",
            bad["birth_date"],
            "L",
            "",
            "",
            "pu",
            "non_asn",
            "",
            3_000_000,
            1,
            "",
            "",
            "2026-01-01",
            "",
            "",
            "",
        ]
    )
    sheet.append(
        [
            person_values(5)["nik"],
            "Tanggal Beda",
            "1990-05-18",
            "L",
            "",
            "",
            "pu",
            "non_asn",
            "",
            3_000_000,
            1,
            "",
            "",
            "2026-01-01",
            "",
            "",
            "",
        ]
    )
    book.save(path)
    return path


def test_bulk_upload_with_an_error_report_then_confirmation(page, tmp_path) -> None:
    from playwright.sync_api import expect

    load_regions_if_missing()
    UserFactory(username="siak", role=Role.OPERATOR_PEMDA, regions=[SIAK], full_name="Operator Pemkab Siak")
    pemkab = sponsor()

    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill("siak")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("link", name="Unggah", exact=True).click()

    with page.expect_download() as template:
        page.get_by_role("link", name="Unduh templat (.xlsx)").click()
    assert workbook(template.value.path()).worksheets[0]["A1"].value == "nik"

    # The sponsor is picked by typing part of its name: the list offers "Name (#id)".
    expect(page.locator(f'#id_sponsor-choices option[value="{pemkab.name} (#{pemkab.pk})"]')).to_have_count(1)
    page.get_by_label("Pemberi kerja").fill(f"{pemkab.name} (#{pemkab.pk})")
    page.locator("input[name=file]").set_input_files(str(spreadsheet(tmp_path / "daftar-honorer.xlsx")))
    page.get_by_role("button", name="Unggah dan periksa").click()

    expect(page.locator("#import-state")).to_have_text("Sudah diperiksa, menunggu konfirmasi")
    expect(page.locator("#error-count")).to_have_text("2")
    expect(page.locator("#new-count")).to_have_text("3")
    expect(page.locator("#problems tbody tr")).to_have_count(2)
    assert Person.objects.count() == 0  # nothing written before confirmation

    with page.expect_download() as report:
        page.locator("#report-link").click()
    rows = list(workbook(report.value.path()).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Baris", "Kolom", "NIK", "Jenis", "Pesan")
    assert [(row[0], row[1], row[3]) for row in rows[1:]] == [(5, "nik", "galat"), (6, "nik", "galat")]
    assert rows[1][4] == "NIK terdiri dari 16 digit; yang ini 15."

    questions: list[str] = []

    def answer_yes(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer_yes)
    page.get_by_role("button", name="Simpan 3 baris valid").click()
    expect(page.locator("#import-state")).to_have_text("Sudah diimpor")
    assert questions == ["Tulis 3 baris yang valid ke registri? Baris yang salah tidak ikut ditulis."]
    assert Person.objects.count() == 3

    page.get_by_role("link", name="Pemerintah Kabupaten Siak").click()
    expect(page.locator("#category-counts tbody td").nth(1)).to_have_text("3")


@pytest.mark.parametrize("width", [1366, 390])
def test_a_membership_is_ended_from_the_persons_page_after_a_confirmation(page, width) -> None:
    from playwright.sync_api import expect

    from lindung.registry.models import Membership
    from lindung.registry.tests.factories import enrol

    load_regions_if_missing()
    UserFactory(username="siak", role=Role.OPERATOR_PEMDA, regions=[SIAK], full_name="Operator Pemkab Siak")
    member = enrol(sponsor(), 1, village="14.08.06.2001")
    questions: list[str] = []

    def answer_yes(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer_yes)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill("siak")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.goto(f"/peserta/{member.person_id}/")

    page.get_by_text("Akhiri kepesertaan ini").click()
    page.get_by_label("Hari terakhir terlindungi").fill("2026-06-30")
    page.get_by_role("button", name="Akhiri kepesertaan").click()

    expect(page.get_by_role("status").filter(has_text="Kepesertaan berakhir pada 30-06-2026")).to_be_visible()
    assert questions == [
        "Akhiri kepesertaan melalui Pemerintah Kabupaten Siak pada tanggal yang diberikan? "
        "Ia tidak lagi terlindungi melaluinya setelah hari itu."
    ]
    assert str(Membership.objects.get(pk=member.pk).ends_on) == "2026-06-30"
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    # Her address, picked by name from the region search
    page.locator("#edit-person").click()
    expect(page.get_by_label("Desa domisili")).to_have_value("Dayun (14.08.06.2001)")
    page.get_by_label("Desa domisili").fill("seminai")
    expect(page.locator('#id_village-options option[value="Banjar Seminai (14.08.06.2002)"]')).to_have_count(1)
    page.get_by_label("Desa domisili").fill("Banjar Seminai (14.08.06.2002)")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status").filter(has_text="Data orang ini disimpan.")).to_be_visible()
    assert Person.objects.get(pk=member.person_id).village_id == "14.08.06.2002"
