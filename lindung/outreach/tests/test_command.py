"""`lindung targets` (issue 22): import a CSV as the social-affairs office writes it (village by
name, sex as a word), export a class, match again, purge."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from lindung.outreach.models import TargetClass, TargetEntry, TargetList
from lindung.regions.models import Region
from lindung.registry.nik import make_nik

pytestmark = pytest.mark.django_db
BORN = date(1979, 8, 17)


def run(*args: str) -> str:
    out = StringIO()
    call_command("targets", *args, stdout=out)
    return out.getvalue()


def test_import_reads_villages_by_name_and_exports_a_class(tmp_path):
    village = Region.objects.filter(code__startswith="14.08.06.", level=4).earliest("code")
    district = Region.objects.get(code="14.08.06")
    path = tmp_path / "p3ke-siak.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["nik", "nama", "tgl_lahir", "jk", "desa", "kecamatan", "desil", "pekerjaan"])
        for serial in range(1, 4):
            nik = make_nik("14.08.06", BORN, "P", serial)
            name = village.name.upper()
            writer.writerow([nik, f"Ibu {serial}", "17/08/1979", "PEREMPUAN", name, district.name, 1, "Buruh tani"])

    output = run("import", str(path), "--region", "14.08", "--source", "p3ke", "--date", "2026-06-01")
    assert "Belum terdaftar 3" in output
    target_list = TargetList.objects.get()
    assert set(TargetEntry.objects.values_list("village_id", flat=True)) == {village.code}
    assert set(TargetEntry.objects.values_list("sex", flat=True)) == {"P"}

    again = run("import", str(path), "--region", "14.08", "--source", "p3ke", "--date", "2026-06-01")
    assert "sudah diunggah" in again
    assert TargetList.objects.count() == 1

    target = tmp_path / "belum.xlsx"
    exported = run("export", str(target_list.pk), "--class", TargetClass.NOT_REGISTERED, "--output", str(target))
    assert "3 baris" in exported
    sheet = load_workbook(target).worksheets[0]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Ibu 1", "Ibu 2", "Ibu 3"]

    assert "Belum terdaftar 3" in run("match", str(target_list.pk))
    assert f"Daftar #{target_list.pk} dicocokkan ulang" in run("match", "--all")
    assert "0 daftar dihapus" in run("purge")


def test_a_list_without_nik_column_is_refused_with_the_column_named(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("nama,desa\nIbu,Dayun\n")
    with pytest.raises(CommandError) as refused:
        run("import", str(path), "--region", "14.08", "--source", "dtks", "--date", "2026-06-01")
    assert "nik" in str(refused.value)
    assert not TargetList.objects.exists()


def test_a_list_that_fails_while_read_keeps_no_entries(tmp_path):
    from lindung.outreach.models import ListStatus
    from lindung.outreach.processing import target_list_mark_failed

    path = tmp_path / "dtks.csv"
    path.write_text("nik,nama\n" + make_nik("14.08.06", BORN, "L", 1) + ",Budi\n")
    run("import", str(path), "--region", "14.08", "--source", "dtks", "--date", "2026-06-01")
    target_list = TargetList.objects.get()
    assert TargetEntry.objects.count() == 1
    target_list_mark_failed(target_list.pk, "Berkas rusak di baris 2.")
    target_list.refresh_from_db()
    assert (target_list.status, target_list.failure) == (ListStatus.FAILED, "Berkas rusak di baris 2.")
    assert not TargetEntry.objects.exists()
