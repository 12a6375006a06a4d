"""Target list files for tests: a real XLSX written with openpyxl, in a DTKS export's columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.test import TestCase
from openpyxl import Workbook

from lindung.accounts.models import User
from lindung.outreach import services
from lindung.outreach.models import TargetList

HEADER = (
    "NIK", "NO_KK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN", "KODE_DESA", "DESA", "KECAMATAN", "DESIL",
    "STATUS_KESEJAHTERAAN", "STATUS_PEKERJAAN", "PEKERJAAN",
)  # fmt: skip


def write_list(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def upload(
    actor: User | None, path: Path, *, region: str = "14.08", name: str = "Daftar Sasaran Uji Coba"
) -> tuple[TargetList, bool]:
    """Upload and (the test's job backend runs at once) read and match the list."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        target_list, created = _create(actor, path, region, name)
    target_list.refresh_from_db()
    return target_list, created


def _create(actor: User | None, path: Path, region: str, name: str) -> tuple[TargetList, bool]:
    return services.target_list_create(
        actor=actor,
        path=path,
        file_name=path.name,
        region_code=region,
        source="dtks",
        source_date=date(2026, 6, 30),
        name=name,
    )
