"""Workforce figures from real CSV and XLSX files: good rows written, bad rows reported, scope enforced."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from lindung.monitoring.models import Workforce
from lindung.monitoring.workforce import workforce_import

pytestmark = pytest.mark.django_db


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "angkatan-kerja.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows_are_written_and_each_bad_row_is_reported(tmp_path):
    path = csv_file(
        tmp_path,
        "kode_wilayah;tahun;kategori;jumlah\n"
        "14.08;2025;pu;120.500\n"
        "14.08;2025;non_asn;6121\n"
        "99.99;2025;pu;10\n"
        "14.08;2012;pu;10\n"
        "14.08;2025;petani;10\n"
        "14.08;2025;bpu;banyak\n",
    )
    result = workforce_import(actor=None, path=path, source="BPS 2025")
    assert (result.created, result.updated) == (2, 0)
    assert [(p.row, p.column) for p in result.problems] == [
        (4, "kode_wilayah"),
        (5, "tahun"),
        (6, "kategori"),
        (7, "jumlah"),
    ]
    assert Workforce.objects.get(region_id="14.08", year=2025, category="pu").count == 120_500


def test_an_xlsx_replaces_changed_figures_and_counts_the_unchanged(tmp_path):
    workforce_import(actor=None, path=csv_file(tmp_path, "kode_wilayah,tahun,kategori,jumlah\n14.72,2025,bpu,80000\n"))
    path = tmp_path / "bps.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row, values in enumerate(
        [("kode_wilayah", "tahun", "kategori", "jumlah"), ("14.72", 2025, "bpu", 81000), ("14.72", 2025, "pu", 50000)]
    ):
        sheet.write_row(row, 0, values)
    book.close()
    result = workforce_import(actor=None, path=path)
    assert (result.created, result.updated, result.unchanged, result.problems) == (1, 1, 0, [])
    assert Workforce.objects.get(region_id="14.72", category="bpu").count == 81_000


def test_an_operator_sets_only_their_regions_and_a_monitor_none(tmp_path, siak_operator, riau_monitor):
    path = csv_file(tmp_path, "kode_wilayah;tahun;kategori;jumlah\n14.08;2025;pu;1\n14.72;2025;pu;2\n")
    result = workforce_import(actor=siak_operator, path=path)
    assert result.created == 1
    assert [p.row for p in result.problems] == [3]
    with pytest.raises(PermissionDenied):
        workforce_import(actor=riau_monitor, path=path)
    with pytest.raises(ValidationError):
        workforce_import(actor=None, path=csv_file(tmp_path, "wilayah;jumlah\n14.08;1\n"))


def test_the_command_prints_a_summary_and_the_bad_rows(tmp_path):
    path = csv_file(tmp_path, "kode_wilayah;tahun;kategori;jumlah\n14.08;2025;pu;1\n14.08;2025;x;1\n")
    out = StringIO()
    call_command("import_workforce", str(path), stdout=out)
    assert out.getvalue().splitlines()[0] == "1 angka baru, 0 diperbarui, 0 tidak berubah, 1 baris bergalat."
    assert "baris 3, kategori" in out.getvalue()
