"""Importing workforce figures from CSV or XLSX: columns kode_wilayah, tahun, kategori, jumlah.

Good rows are written (a repeated region/year/category replaces its figure); every bad row is
reported with its row number, column and reason, like the registry's import. One audit entry per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record
from lindung.core.models import AuditAction
from lindung.core.scoping import covers
from lindung.core.tables import Limits, RowProblem, saved_upload, spreadsheet_rows
from lindung.monitoring.models import Workforce, WorkforceCategory
from lindung.regions.models import Region

COLUMNS = {"kode_wilayah": "region", "tahun": "year", "kategori": "category", "jumlah": "count"}
FIRST_YEAR, LAST_YEAR = 2014, 2100


@dataclass
class WorkforceImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def message(self) -> str:
        return _(
            "%(created)s new figures, %(updated)s updated, %(unchanged)s unchanged, %(errors)s rows with errors."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.problems),
        }


def workforce_file_import(*, actor: User | None, file: UploadedFile, source: str = "") -> WorkforceImport:
    """An uploaded file, kept in a temporary file only while it is read (its suffix tells CSV from XLSX)."""
    if Path(file.name or "").suffix.lower() not in {".csv", ".xlsx"}:
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    with saved_upload(file, stem="angkatan-kerja") as path:
        return workforce_import(actor=actor, path=path, source=source or (file.name or ""))


def workforce_import(*, actor: User | None, path: Path, source: str = "") -> WorkforceImport:
    """Read `path` and write its good rows; only regions inside the actor's may be set."""
    require(actor, Capability.IMPORT_WORKFORCE)
    rows, _total = spreadsheet_rows(path, limits=Limits(rows=settings.WORKFORCE_MAX_ROWS))
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ValidationError(
            {"file": _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}}
        )
    positions = {COLUMNS[name]: header.index(name) for name in COLUMNS}
    result = WorkforceImport()
    figures: dict[tuple[str, int, str], int] = {}
    parsed = [(number, _cells(cells, positions)) for number, cells in enumerate(rows, start=2) if any(cells)]
    known = set(
        Region.objects.filter(code__in={values["region"] for _n, values in parsed}).values_list("code", flat=True)
    )
    for number, values in parsed:
        figure = _check(number, values, known, actor, result.problems)
        if figure is not None:
            figures[figure[:3]] = figure[3]
    with transaction.atomic():
        _write(figures, actor, source, result)
        audit_record(
            actor=actor,
            action=AuditAction.LOAD,
            object_type="monitoring.workforce",
            object_repr=path.name,
            after={"created": result.created, "updated": result.updated, "problems": len(result.problems)},
        )
    return result


def _cells(cells: list[Any], positions: dict[str, int]) -> dict[str, str]:
    return {
        key: str(cells[index]).strip() if index < len(cells) and cells[index] is not None else ""
        for key, index in positions.items()
    }


def _check(
    number: int, values: dict[str, str], known: set[str], actor: User | None, problems: list[RowProblem]
) -> tuple[str, int, str, int] | None:
    before = len(problems)
    region = values["region"]
    if region not in known:
        problems.append(
            RowProblem(number, "kode_wilayah", _("Unknown region code %(code)s.") % {"code": region or "-"})
        )
    elif actor is not None and not covers(actor, [region]):
        problems.append(RowProblem(number, "kode_wilayah", _("This lies outside your regions.")))
    year = _whole(values["year"])
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(RowProblem(number, "tahun", _("Write a year from 2014, like 2025.")))
    category = values["category"].lower()
    if category not in WorkforceCategory.values:
        problems.append(
            RowProblem(
                number, "kategori", _("Use one of: %(values)s.") % {"values": ", ".join(WorkforceCategory.values)}
            )
        )
    count = _whole(values["count"])
    if count is None or not 0 <= count <= MAX_WORKERS:
        problems.append(RowProblem(number, "jumlah", _("Write a whole number of workers, 0 or more.")))
    if len(problems) > before or year is None or count is None:
        return None
    return region, year, category, count


MAX_WORKERS = 1_000_000_000  # more than every worker of the country, several times over


def _whole(text: str) -> int | None:
    """'12.500', '12500' or '12500.0' (as a spreadsheet gives it) -> 12500."""
    cleaned = text.replace(".", "").replace(",", "") if not text.endswith(".0") else text[:-2]
    return int(cleaned) if cleaned.isdigit() else None


def _write(figures: dict[tuple[str, int, str], int], actor: User | None, source: str, result: WorkforceImport) -> None:
    existing = {
        (figure.region_id, figure.year, figure.category): figure
        for figure in Workforce.objects.filter(region_id__in={key[0] for key in figures})
    }
    now = timezone.now()
    by = actor if actor is not None and actor.pk else None
    for key, count in figures.items():
        figure = existing.get(key)
        if figure is None:
            Workforce.objects.create(
                region_id=key[0],
                year=key[1],
                category=key[2],
                count=count,
                source=source,
                updated_by=by,
                updated_at=now,
            )
            result.created += 1
        elif figure.count != count:
            figure.count, figure.source, figure.updated_by, figure.updated_at = count, source, by, now
            figure.save()
            result.updated += 1
        else:
            result.unchanged += 1
