"""Uploads that would exhaust memory are refused before they are loaded; old files are deleted."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lindung.registry.batches import import_upload, purge_stale_uploads
from lindung.registry.enrolment import COLUMNS
from lindung.registry.imports import import_check, report_path
from lindung.registry.models import ImportBatch, ImportStatus
from lindung.registry.tests.factories import person_values, sponsor

pytestmark = pytest.mark.django_db
HEADERS = [column.header for column in COLUMNS]


def _workbook(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(HEADERS)
    for serial in range(rows):
        sheet.append([person_values(serial + 1)["nik"], f"Budi {serial}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb(expanded_mb: int) -> bytes:
    """A real workbook whose sheet, once unzipped, is `expanded_mb` MB of repeated rows."""
    source = zipfile.ZipFile(io.BytesIO(_workbook(1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                filler = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * (expanded_mb * 20_000)
                data = data.replace(b"</sheetData>", filler + b"</sheetData>")
            target.writestr(entry, data)
    return out.getvalue()


def _upload(actor, name: str, content: bytes):
    return import_upload(
        actor=actor, sponsor=sponsor(), agreement=None, name=name, content=SimpleUploadedFile(name, content)
    )


def test_a_workbook_that_expands_past_the_limit_is_refused_before_loading(siak_operator, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    settings.SPREADSHEET_MAX_EXPANDED_BYTES = 20_000_000
    content = _bomb(40)
    assert len(content) < 2_000_000  # small on the wire

    with pytest.raises(ValidationError) as refused:
        _upload(siak_operator, "bom.xlsx", content)

    assert "Setelah dibuka" in " ".join(refused.value.messages)
    assert not ImportBatch.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_with_more_rows_than_allowed_is_refused_at_upload(siak_operator, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    settings.IMPORT_MAX_ROWS = 10

    with pytest.raises(ValidationError) as refused:
        _upload(siak_operator, "besar.xlsx", _workbook(20))

    assert "20 baris" in " ".join(refused.value.messages)
    assert not ImportBatch.objects.exists()


def test_a_csv_with_bytes_that_are_not_text_gives_row_errors_not_a_crash(siak_operator, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    values = person_values(1)
    header = b"nik,nama,tanggal_lahir,jenis_kelamin,segmen,kategori,upah,kelas_risiko,tanggal_mulai"
    row = f"{values['nik']},".encode() + b"Bu\x81di\x00\x9d,1990-05-17,L,pu,non_asn,3000000,1,2026-01-01"
    content = header + b"\n" + row + b"\n" + row.replace(b"Bu\x81di\x00\x9d", b"Budi").replace(b"1990", b"1991") + b"\n"

    batch = _upload(siak_operator, "aneh.csv", content)
    import_check(batch)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert batch.summary["rows"] == 2
    assert batch.summary["errors"] >= 1


def test_files_of_old_failed_cancelled_and_abandoned_uploads_are_deleted(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    now = timezone.now()
    old = now - timedelta(days=settings.IMPORT_FILE_DAYS + 1)
    siak = sponsor()

    def batch(status: str, *, created, finished=None) -> ImportBatch:
        path = tmp_path / f"{status}.csv"
        path.write_text("nik\n")
        made = ImportBatch.objects.create(
            sponsor=siak, file_name="x.csv", stored_path=str(path), status=status, finished_at=finished
        )
        ImportBatch.objects.filter(pk=made.pk).update(created_at=created)
        report_path(made).write_text("report")
        return made

    failed = batch(ImportStatus.FAILED, created=old, finished=old)
    abandoned = batch(ImportStatus.CHECKED, created=old)
    recent = batch(ImportStatus.CANCELLED, created=now, finished=now)
    done = batch(ImportStatus.DONE, created=old, finished=old)

    assert purge_stale_uploads(now=now) == 2

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [Path(recent.stored_path).name, report_path(recent).name, Path(done.stored_path).name, report_path(done).name]
    )
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.stored_path) == (ImportStatus.CANCELLED, "")
    assert "Ditinggalkan" in abandoned.failure
    failed.refresh_from_db()
    assert failed.stored_path == ""
