"""Bulk enrolment from real files: openpyxl and XlsxWriter workbooks, CSV; counts, idempotence, atomicity."""

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from lindung.regions.models import Region
from lindung.registry.batches import import_confirm, import_upload
from lindung.registry.enrolment import COLUMNS
from lindung.registry.generate import People, enrolment_rows
from lindung.registry.imports import import_check, import_file, open_table, write_plan
from lindung.registry.models import ImportBatch, ImportStatus, Membership, MembershipVersion, Person
from lindung.registry.tests.factories import DAYUN, agreement, person_values, sponsor

pytestmark = pytest.mark.django_db
HEADERS = [column.header for column in COLUMNS]
TODAY = date(2026, 3, 1)


def siak_rows(count: int, *, seed: int = 1) -> list[dict[str, object]]:
    villages = list(Region.objects.filter(district_code=DAYUN, level=4).values_list("code", flat=True))
    rows = enrolment_rows(
        People(villages, seed=seed),
        count,
        category="non_asn",
        segment="pu",
        wage=(2_500_000, 3_500_000),
        starts_on=date(2026, 1, 1),
    )
    return list(rows)


def write_csv(path: Path, rows: list[dict[str, object]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_openpyxl(path: Path, rows: list[dict[str, object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row[header] for header in HEADERS])
    book.save(path)
    return path


def write_xlsxwriter(path: Path, rows: list[dict[str, object]]) -> Path:
    """A workbook from another writer, with real date cells and the NIK as a number, as Excel users make them."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, [header.upper().replace("_", " ") for header in HEADERS])
    for index, row in enumerate(rows, start=1):
        for column, header in enumerate(HEADERS):
            value = row[header]
            if header == "nik":
                sheet.write_number(index, column, int(str(value)))
            elif header == "tanggal_lahir":
                day, month, year = (int(part) for part in str(value).split("-"))
                sheet.write_datetime(index, column, date(year, month, day), dates)
            elif header == "upah":
                sheet.write_number(index, column, int(str(value)))
            else:
                sheet.write(index, column, value)
    book.close()
    return path


@pytest.mark.parametrize("writer", [write_openpyxl, write_xlsxwriter, write_csv])
def test_a_file_from_each_writer_enrols_every_row(tmp_path, writer):
    siak = sponsor()
    path = writer(tmp_path / f"peserta.{'csv' if writer is write_csv else 'xlsx'}", siak_rows(20))
    plan, total = import_file(actor=None, sponsor=siak, path=path, dry_run=False, today=TODAY)
    assert (total, plan.summary()["errors"], plan.summary()["new_memberships"]) == (20, 0, 20)
    assert Membership.objects.filter(sponsor=siak).count() == 20
    assert MembershipVersion.objects.filter(membership__sponsor=siak, effective_to__isnull=True).count() == 20


def test_csv_with_semicolons_as_excel_in_indonesian_saves_it(tmp_path):
    path = tmp_path / "peserta.csv"
    rows = siak_rows(3)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    plan, _ = import_file(actor=None, sponsor=sponsor(), path=path, dry_run=True, today=TODAY)
    assert plan.summary()["valid"] == 3


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("")
    with pytest.raises(ValidationError) as refused:
        open_table(path)
    assert refused.value.message_dict == {"file": ["Berkas kosong: baris pertama harus berisi nama kolom."]}


def test_wrong_headers_name_the_missing_columns(tmp_path):
    path = write_csv(tmp_path / "salah.csv", siak_rows(2), headers=["nik", "nama", "alamat"])
    with pytest.raises(ValidationError) as refused:
        open_table(path)
    assert refused.value.message_dict["file"] == [
        "Kolom wajib tidak ada: tanggal_lahir, jenis_kelamin, kategori, upah, tanggal_mulai. "
        "Unduh templat untuk melihatnya."
    ]


def test_ten_thousand_rows_with_five_percent_errors_give_exact_counts(tmp_path):
    rows = siak_rows(10_000)
    for index in range(0, 10_000, 20):  # every twentieth row: one mistake of four kinds in turn
        kind = (index // 20) % 4
        if kind == 0:
            rows[index]["nik"] = str(rows[index]["nik"])[:15]
        elif kind == 1:
            rows[index]["tanggal_lahir"] = "31-02-1990"
        elif kind == 2:
            rows[index]["jenis_kelamin"] = "P" if rows[index]["jenis_kelamin"] == "L" else "L"
        else:
            rows[index]["upah"] = "-"
    rows.append(dict(rows[1]))  # the same person twice in one file
    path = write_csv(tmp_path / "besar.csv", rows)
    siak = sponsor()

    plan, total = import_file(actor=None, sponsor=siak, path=path, dry_run=False, today=TODAY)

    assert total == 10_001
    assert plan.summary() | {"warnings": 0} == {
        "rows": 10_001,
        "valid": 9_500,
        "errors": 501,
        "warnings": 0,
        "new_persons": 9_500,
        "new_memberships": 9_500,
        "updated": 0,
        "unchanged": 0,
    }
    assert Person.objects.count() == Membership.objects.filter(sponsor=siak).count() == 9_500
    duplicate = [p for p in plan.problems if p.line == 10_002]
    assert [p.message for p in duplicate] == ["NIK yang sama sudah ada di baris 3 berkas ini."]


def test_reimporting_the_same_file_creates_nothing_and_a_changed_wage_adds_a_version(tmp_path):
    rows = siak_rows(50)
    path = write_csv(tmp_path / "a.csv", rows)
    siak = sponsor()
    import_file(actor=None, sponsor=siak, path=path, dry_run=False, today=TODAY)

    again, _ = import_file(actor=None, sponsor=siak, path=path, dry_run=False, today=TODAY)
    assert (again.summary()["unchanged"], again.summary()["new_memberships"]) == (50, 0)
    assert (Person.objects.count(), Membership.objects.count(), MembershipVersion.objects.count()) == (50, 50, 50)

    rows[0]["upah"] = 4_000_000
    changed, _ = import_file(
        actor=None, sponsor=siak, path=write_csv(tmp_path / "b.csv", rows), dry_run=False, today=TODAY
    )
    assert (changed.summary()["updated"], changed.summary()["unchanged"]) == (1, 49)
    versions = MembershipVersion.objects.filter(membership__person__nik=rows[0]["nik"]).order_by("effective_from")
    assert [(v.effective_from, v.effective_to, v.wage) for v in versions] == [
        (date(2026, 1, 1), date(2026, 2, 28), versions[0].wage),
        (TODAY, None, 4_000_000),
    ]


def test_page_flow_writes_nothing_before_confirmation(tmp_path, siak_operator, django_capture_on_commit_callbacks):
    siak = sponsor()
    content = write_csv(tmp_path / "c.csv", siak_rows(30)).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued when the upload commits
        batch = import_upload(
            actor=siak_operator,
            sponsor=siak,
            agreement=None,
            name="c.csv",
            content=SimpleUploadedFile("c.csv", content),
        )
    batch.refresh_from_db()  # the check ran (immediate backend in tests)
    assert (batch.status, batch.summary["valid"], batch.processed_rows) == (ImportStatus.CHECKED, 30, 30)
    assert Person.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(actor=siak_operator, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert Person.objects.count() == 30


def test_a_failure_during_the_write_leaves_nothing_written(tmp_path):
    """Another officer registers one of the file's people between the check and the write: the whole file rolls back."""
    siak = sponsor()
    rows = siak_rows(10)
    batch = ImportBatch.objects.create(
        sponsor=siak, file_name="d.csv", stored_path=str(write_csv(tmp_path / "d.csv", rows))
    )
    plan = import_check(batch, today=TODAY)
    day, month, year = (int(part) for part in str(rows[9]["tanggal_lahir"]).split("-"))
    Person.objects.create(
        nik=str(rows[9]["nik"]), name="X", birth_date=date(year, month, day), sex=str(rows[9]["jenis_kelamin"])
    )

    with pytest.raises(IntegrityError):
        write_plan(plan, batch=batch)

    assert (Person.objects.count(), Membership.objects.count(), MembershipVersion.objects.count()) == (1, 0, 0)


def test_quota_of_the_agreement_gives_a_warning(tmp_path):
    siak = sponsor()
    agreement(siak, quota=5)
    plan, _ = import_file(
        actor=None, sponsor=siak, path=write_csv(tmp_path / "e.csv", siak_rows(6)), dry_run=True, today=TODAY
    )
    quota = [p for p in plan.problems if p.line == 0]
    assert [(p.warning, p.message) for p in quota] == [
        (True, "Perjanjian PKS/1/2026 membolehkan 5 pekerja; terdaftar 0, menjadi 6 setelah ini.")
    ]


def test_rows_against_the_agreement_and_people_registered_elsewhere(tmp_path):
    siak = sponsor()
    agreement(siak)
    company = sponsor("PT Sawit Siak Lestari", kind="company", npwp="013000666091000")
    from lindung.registry.services import member_enrol

    member_enrol(actor=None, sponsor=company, values=person_values(1, category="karyawan"), today=TODAY)
    path = tmp_path / "f.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "kategori", "upah", "kelas_risiko", "tanggal_mulai"]
        )
        values = person_values(1)
        writer.writerow(
            [values["nik"], values["name"], values["birth_date"], "L", "non_asn", "3000000", "1", "2026-01-01"]
        )
        values = person_values(2)
        writer.writerow(
            [values["nik"], values["name"], values["birth_date"], "L", "pekerja_rentan", "3000000", "1", "2026-01-01"]
        )
    plan, _ = import_file(actor=None, sponsor=siak, path=path, dry_run=True, today=TODAY)
    messages = sorted((p.line, p.warning, p.message) for p in plan.problems)
    assert messages == [
        (2, True, "Juga terdaftar aktif melalui PT Sawit Siak Lestari."),
        (3, False, "Perjanjian PKS/1/2026 tidak mencakup kategori ini."),
    ]


def test_stored_errors_are_shown_in_the_readers_language(
    tmp_path, siak_operator, login, django_capture_on_commit_callbacks
):
    """The check stores its messages in Indonesian; an English reader sees them in English."""
    siak = sponsor()
    rows = siak_rows(3)
    rows[1]["nik"] = str(rows[1]["nik"])[:15]
    content = write_csv(tmp_path / "c.csv", rows).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_upload(
            actor=siak_operator,
            sponsor=siak,
            agreement=None,
            name="c.csv",
            content=SimpleUploadedFile("c.csv", content),
        )
    batch.refresh_from_db()
    assert batch.error_sample[0]["message"] == "NIK terdiri dari 16 digit; yang ini 15."
    client = login(siak_operator)
    assert "NIK terdiri dari 16 digit; yang ini 15." in client.get(f"/impor/{batch.pk}/").content.decode()
    client.cookies["django_language"] = "en"
    assert "A NIK has 16 digits; this one has 15." in client.get(f"/impor/{batch.pk}/").content.decode()
