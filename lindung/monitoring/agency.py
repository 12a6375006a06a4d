"""The agency's own figures: participants and claims paid per region and month, as BPJS
Ketenagakerjaan counts them (most workers are administered in its core systems, not in Lindung).

A file (CSV or XLSX) has the columns of `COLUMNS`. Good rows are written; every bad row is reported
with its row number, column and reason, and nothing else is lost. A later upload for the same region
and month replaces the earlier figures of that region and month: they stay as history (`current`
False), and each upload is kept with its source, date and what it replaced, and audited.

Totals: a region's own figures for the month, else the sum of its children's, each counted the same
way, so nothing is counted twice and a kabupaten counted only by its kecamatan still counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record
from lindung.core.exports import csv_text
from lindung.core.models import AuditAction
from lindung.core.scoping import covers, scoped
from lindung.core.tables import (
    Limits,
    RowProblem,
    cell_count,
    cell_month,
    cell_text,
    row_cells,
    saved_upload,
    spreadsheet_rows,
)
from lindung.monitoring.models import AgencyFigure, AgencySegment, AgencyUpload, WorkforceCategory
from lindung.regions import codes
from lindung.regions.models import Region
from lindung.rules.periods import Period

PROGRAMS = ("jkk", "jkm", "jht", "jp")
COLUMNS = (
    "kode_wilayah",
    "bulan",
    "segmen",
    "kategori",
    "jenis_kelamin",
    "peserta_terdaftar",
    "peserta_aktif",
    *(f"klaim_{program}_{what}" for program in PROGRAMS for what in ("kasus", "rp")),
)
REQUIRED = ("kode_wilayah", "bulan", "segmen", "peserta_terdaftar", "peserta_aktif")
MAX_RUPIAH = 10**15


@dataclass
class AgencyImport:
    upload: AgencyUpload | None = None
    figures: int = 0
    replaced: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def message(self) -> str:
        return _("%(figures)s figures written, %(replaced)s region-months replaced, %(errors)s rows with errors.") % {
            "figures": self.figures,
            "replaced": self.replaced,
            "errors": len(self.problems),
        }


@dataclass(frozen=True)
class Row:
    region: str
    period: str
    segment: str
    category: str
    sex: str
    registered: int
    active: int
    claims_by_program: dict[str, list[int]]


def template_csv() -> str:
    """The columns with two example rows (Kabupaten Siak, April 2021, PU and BPU)."""
    examples = [
        ["14.08", "2021-04", "PU", "", "", "180000", "150000", "12", "350000000", "40", "1680000000", "", "", "", ""],
        ["14.08", "2021-04", "BPU", "", "", "66879", "50000", "", "", "", "", "", "", "", ""],
    ]
    return csv_text(COLUMNS, examples)


def agency_file_import(*, actor: User | None, file: UploadedFile, source: str) -> AgencyImport:
    """An uploaded file, kept in a temporary file only while it is read (its suffix tells CSV from XLSX)."""
    if Path(file.name or "").suffix.lower() not in {".csv", ".xlsx"}:
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    with saved_upload(file, stem="angka-bpjs") as path:
        return agency_import(actor=actor, path=path, source=source, file_name=file.name or "")


def agency_import(*, actor: User | None, path: Path, source: str, file_name: str = "") -> AgencyImport:
    """Read `path`, write its good rows as one upload; only regions inside the actor's may be set."""
    require(actor, Capability.IMPORT_AGENCY_FIGURES)
    if not source.strip():
        raise ValidationError({"source": _("Name the source, e.g. BPJS Ketenagakerjaan Cabang Siak, April 2021.")})
    rows, _total = spreadsheet_rows(path, limits=Limits(rows=settings.WORKFORCE_MAX_ROWS, columns=40))
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            {"file": _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}}
        )
    result = AgencyImport()
    parsed = [(number, row_cells(cells, header)) for number, cells in enumerate(rows, start=2) if any(cells)]
    known = set(Region.objects.filter(code__in={v["kode_wilayah"] for _n, v in parsed}).values_list("code", flat=True))
    good: dict[tuple[str, str, str, str, str], Row] = {}
    for number, values in parsed:
        row = _check(number, values, known, actor, result.problems)
        if row is None:
            continue
        key = (row.region, row.period, row.segment, row.category, row.sex)
        if key in good:
            result.problems.append(RowProblem(number, "kode_wilayah", _("The same region, month and breakdown twice.")))
            continue
        good[key] = row
    with transaction.atomic():
        _write(actor, source.strip(), file_name or path.name, list(good.values()), result)
    return result


def _check(
    number: int, values: dict[str, Any], known: set[str], actor: User | None, problems: list[RowProblem]
) -> Row | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    region = cell_text(values.get("kode_wilayah"))
    if region not in known:
        problem("kode_wilayah", _("Unknown region code %(code)s.") % {"code": region or "-"})
    elif actor is not None and not covers(actor, [region]):
        problem("kode_wilayah", _("This lies outside your regions."))
    period = cell_month(values.get("bulan"))
    if period is None:
        problem("bulan", _("Write the month as 2021-04."))
    segment = cell_text(values.get("segmen")).lower()
    if segment not in AgencySegment.values:
        problem("segmen", _("Write PU, BPU or Jakon."))
    category = cell_text(values.get("kategori")).lower()
    if category and category not in WorkforceCategory.values:
        problem("kategori", _("Use one of: %(values)s.") % {"values": ", ".join(WorkforceCategory.values)})
    sex = cell_text(values.get("jenis_kelamin")).upper()
    if sex not in ("", "L", "P"):
        problem("jenis_kelamin", _("Write L or P, or leave it empty."))
    registered = cell_count(values.get("peserta_terdaftar"), "peserta_terdaftar", problem, required=True)
    active = cell_count(values.get("peserta_aktif"), "peserta_aktif", problem, required=True)
    if registered is not None and active is not None and active > registered:
        problem("peserta_aktif", _("More active participants than registered ones."))
    claims: dict[str, list[int]] = {}
    for program in PROGRAMS:
        count = cell_count(values.get(f"klaim_{program}_kasus"), f"klaim_{program}_kasus", problem)
        rupiah = cell_count(values.get(f"klaim_{program}_rp"), f"klaim_{program}_rp", problem, limit=MAX_RUPIAH)
        if count or rupiah:
            claims[program] = [count or 0, rupiah or 0]
    if len(problems) > before or period is None or registered is None or active is None:
        return None
    return Row(region, str(period), segment, category, sex, registered, active, claims)


def _write(actor: User | None, source: str, file_name: str, rows: list[Row], result: AgencyImport) -> None:
    by = actor if actor is not None and actor.pk else None
    upload = AgencyUpload.objects.create(
        source=source[:200],
        file_name=file_name[:200],
        uploaded_by=by,
        problems=[problem.__dict__ for problem in result.problems[:1000]],
    )
    months = {(row.region, row.period) for row in rows}
    replaced = 0
    for region, period in months:
        replaced += int(
            AgencyFigure.objects.filter(region_id=region, period=period, current=True).update(current=False) > 0
        )
    AgencyFigure.objects.bulk_create(
        [
            AgencyFigure(
                upload=upload,
                region_id=row.region,
                period=row.period,
                segment=row.segment,
                category=row.category,
                sex=row.sex,
                registered=row.registered,
                active=row.active,
                claims=sum(count for count, _rupiah in row.claims_by_program.values()),
                claims_paid=sum(rupiah for _count, rupiah in row.claims_by_program.values()),
                claims_by_program=row.claims_by_program,
            )
            for row in rows
        ],
        batch_size=2000,
    )
    upload.figures, upload.replaced = len(rows), replaced
    upload.save(update_fields=["figures", "replaced"])
    result.upload, result.figures, result.replaced = upload, len(rows), replaced
    audit_record(
        actor=actor,
        action=AuditAction.LOAD,
        target=upload,
        after={
            "source": source,
            "file": file_name,
            "figures": len(rows),
            "replaced": replaced,
            "problems": len(result.problems),
        },
    )


# ---------------------------------------------------------------- reading


@dataclass
class AgencyTotal:
    """A region's month as the agency counts it, with where the figures came from."""

    registered: int = 0
    active: int = 0
    claims: int = 0
    claims_paid: int = 0
    sources: set[str] = field(default_factory=set)
    uploaded_at: datetime | None = None

    def add(self, figure: dict[str, Any]) -> None:
        self.registered += figure["registered"]
        self.active += figure["active"]
        self.claims += figure["claims"]
        self.claims_paid += figure["claims_paid"]
        self.sources.add(figure["upload__source"])
        when = figure["upload__uploaded_at"]
        self.uploaded_at = max(self.uploaded_at, when) if self.uploaded_at else when

    @property
    def source(self) -> str:
        return "; ".join(sorted(self.sources))


def agency_totals(region_codes: list[str], period: Period) -> dict[str, AgencyTotal]:
    """Each region's agency figures for the month: its own, else the sum of its children's (each the
    same way). Regions with none are absent, so a page can say there is no official figure.

    Within a region and segment, the row without category and sex is the total; without one, the
    rows by sex are summed, else the rows by category (each breakdown adds up to the whole)."""
    rows = AgencyFigure.objects.filter(period=str(period), current=True)
    if "" not in region_codes:
        # One query for every region asked (a page asks for its children and itself).
        within = Q()
        for code in set(region_codes):
            within |= Region.subtree_q(code, "region")
        rows = rows.filter(within)
    values = rows.values(
        "region_id",
        "segment",
        "category",
        "sex",
        "registered",
        "active",
        "claims",
        "claims_paid",
        "upload__source",
        "upload__uploaded_at",
    )
    by_segment: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in values:
        by_segment[(row["region_id"], row["segment"])].append(dict(row))
    own: dict[str, AgencyTotal] = defaultdict(AgencyTotal)
    for (region, _segment), figures in by_segment.items():
        for whole in _whole_of(figures):
            own[region].add(whole)
    result: dict[str, AgencyTotal] = {}
    for code in region_codes:
        total = codes.own_else_children(code, own, _combined)
        if total is not None:
            result[code] = total
    return result


def _combined(totals: list[AgencyTotal]) -> AgencyTotal:
    combined = AgencyTotal()
    for total in totals:
        combined.registered += total.registered
        combined.active += total.active
        combined.claims += total.claims
        combined.claims_paid += total.claims_paid
        combined.sources |= total.sources
        if total.uploaded_at and (combined.uploaded_at is None or total.uploaded_at > combined.uploaded_at):
            combined.uploaded_at = total.uploaded_at
    return combined


def _whole_of(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals = [f for f in figures if not f["category"] and not f["sex"]]
    if totals:
        return totals
    by_sex = [f for f in figures if f["sex"] and not f["category"]]
    return by_sex or [f for f in figures if f["category"] and not f["sex"]]


@dataclass(frozen=True)
class Official:
    """Coverage as officially counted: the agency's participants against the BPS workforce."""

    registered: int
    active: int
    workforce: int
    claims: int
    claims_paid: int
    source: str
    uploaded_at: datetime | None

    @property
    def percent(self) -> float | None:
        return round(100 * self.registered / self.workforce, 1) if self.workforce else None

    @property
    def not_registered(self) -> int | None:
        return max(self.workforce - self.registered, 0) if self.workforce else None


def official_coverage(
    code: str, period: Period, workforce: int, totals: dict[str, AgencyTotal] | None = None
) -> Official | None:
    """The region's month per the agency (from `totals` when the page read them already), or None
    when the agency's figures for it are not loaded."""
    total = (agency_totals([code], period) if totals is None else totals).get(code)
    if total is None:
        return None
    return Official(
        registered=total.registered,
        active=total.active,
        workforce=workforce,
        claims=total.claims,
        claims_paid=total.claims_paid,
        source=total.source,
        uploaded_at=total.uploaded_at,
    )


def uploads_for(*, actor: User) -> QuerySet[AgencyUpload]:
    """Uploads with a figure inside the actor's regions (all of them for an administrator)."""
    figures = scoped(AgencyFigure.objects.all(), actor=actor)
    return AgencyUpload.objects.filter(pk__in=figures.values("upload_id")).order_by("-uploaded_at", "-id")


@dataclass
class AgencyClaims:
    """A region's claims paid in a year as the agency counts them: per program and in all."""

    count: int = 0
    rupiah: int = 0
    by_program: dict[str, list[int]] = field(default_factory=dict)  # program -> [count, rupiah]
    sources: set[str] = field(default_factory=set)

    @property
    def source(self) -> str:
        return "; ".join(sorted(self.sources))


def agency_claims_of_year(code: str, year: int) -> AgencyClaims | None:
    """Claims paid in `year` per the agency: each month's figure of the region (its own, else its
    children's, as `agency_totals` counts), summed. None when no month of the year has a claim figure."""
    rows = AgencyFigure.objects.filter(period__startswith=f"{year}-", current=True)
    if code:
        rows = rows.filter(Region.subtree_q(code, "region"))
    values = rows.exclude(claims=0, claims_paid=0).values(
        "region_id", "period", "segment", "category", "sex", "claims", "claims_paid", "claims_by_program",
        "upload__source",
    )  # fmt: skip
    by_month: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in values:
        by_month[row["period"]][(row["region_id"], row["segment"])].append(dict(row))
    result = AgencyClaims()
    for segments in by_month.values():
        own: dict[str, AgencyClaims] = defaultdict(AgencyClaims)
        for (region, _segment), figures in segments.items():
            for whole in _whole_of(figures):
                _add_claims(own[region], whole)
        month = codes.own_else_children(code, own, _claims_combined)
        if month is not None:
            result = _claims_combined([result, month])
    return result if result.count or result.rupiah else None


def _add_claims(total: AgencyClaims, figure: dict[str, Any]) -> None:
    total.count += figure["claims"]
    total.rupiah += figure["claims_paid"]
    total.sources.add(figure["upload__source"])
    for program, (count, rupiah) in (figure["claims_by_program"] or {}).items():
        found = total.by_program.setdefault(program, [0, 0])
        found[0] += count
        found[1] += rupiah


def _claims_combined(parts: list[AgencyClaims]) -> AgencyClaims:
    combined = AgencyClaims()
    for part in parts:
        combined.count += part.count
        combined.rupiah += part.rupiah
        combined.sources |= part.sources
        for program, (count, rupiah) in part.by_program.items():
            found = combined.by_program.setdefault(program, [0, 0])
            found[0] += count
            found[1] += rupiah
    return combined
