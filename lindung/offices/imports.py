"""The office file the administrator keeps: one row per office and region it serves (CSV or XLSX).

Columns: kode_kantor, jenis (kanwil / cabang / kcp), nama_kantor, kode_induk, alamat, telepon, email,
kepala, jabatan_kepala, bank, nomor_rekening, nama_rekening, kode_wilayah, berlaku_mulai.
An office's details are read from its first row; its later rows may leave them empty or repeat
them, never contradict them. A region under two offices with two dates is a move on the later date.
The whole file is checked first; one bad row and nothing changes. Importing the same file twice
changes nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.exports import workbook_bytes
from lindung.core.tables import Limits, cell_text, row_cells, spreadsheet_rows
from lindung.offices import services
from lindung.offices.models import Office, OfficeKind, ServiceArea
from lindung.regions.models import Region

MAX_ROWS = 5_000  # every office of the agency with every kabupaten/kota it serves, many times over

# The file's office columns and the office field each fills.
OFFICE_COLUMNS = {
    "nama_kantor": "name",
    "alamat": "address",
    "telepon": "phone",
    "email": "email",
    "kepala": "head_name",
    "jabatan_kepala": "head_title",
    "bank": "bank_name",
    "nomor_rekening": "bank_account",
    "nama_rekening": "bank_account_name",
}
COLUMNS = ("kode_kantor", "jenis", *OFFICE_COLUMNS, "kode_induk", "kode_wilayah", "berlaku_mulai")
KIND_WORDS = {
    "kanwil": OfficeKind.KANWIL,
    "kantor wilayah": OfficeKind.KANWIL,
    "cabang": OfficeKind.CABANG,
    "kantor cabang": OfficeKind.CABANG,
    "kc": OfficeKind.CABANG,
    "kcp": OfficeKind.KCP,
    "kantor cabang perintis": OfficeKind.KCP,
    "kantor cabang pembantu": OfficeKind.KCP,
}
KIND_ORDER = {OfficeKind.KANWIL: 0, OfficeKind.CABANG: 1, OfficeKind.KCP: 2}


@dataclass
class OfficeRow:
    row: int
    code: str
    kind: str
    parent: str
    values: dict[str, str]


@dataclass
class AreaRow:
    row: int
    office: str
    region: str
    valid_from: date


@dataclass
class OfficeFile:
    offices: dict[str, OfficeRow] = field(default_factory=dict)
    areas: list[AreaRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportOutcome:
    offices_created: int = 0
    offices_changed: int = 0
    areas_changed: int = 0
    rows: int = 0


def read_office_file(path: Path) -> OfficeFile:
    """The file's offices and areas, with a problem per bad cell ("baris 4: ...")."""
    rows, _total = spreadsheet_rows(path, limits=Limits(rows=MAX_ROWS))
    header = [cell_text(cell).lower().replace(" ", "_") for cell in next(rows, [])]
    missing = [column for column in ("kode_kantor", "jenis", "nama_kantor") if column not in header]
    if missing:
        raise ValidationError({"file": _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}})
    result = OfficeFile()
    for number, cells in enumerate(rows, start=2):
        values = {
            name: cell_text(value) if name != "berlaku_mulai" else value
            for name, value in row_cells(cells, header).items()
        }
        if any(cell_text(v) for v in values.values()):
            _read_row(result, number, values)
    return result


def _read_row(result: OfficeFile, number: int, cells: dict[str, Any]) -> None:
    def problem(message: str) -> None:
        result.problems.append(_("Row %(row)s: %(message)s") % {"row": number, "message": message})

    code = cells.get("kode_kantor") or ""
    if not code:
        problem(_("kode_kantor is empty."))
        return
    kind = KIND_WORDS.get((cells.get("jenis") or "").lower())
    details = {target: cells.get(column) or "" for column, target in OFFICE_COLUMNS.items()}
    known = result.offices.get(code)
    if known is None:
        if kind is None:
            problem(_("jenis must be kanwil, cabang or kcp."))
            return
        if not details["name"]:
            problem(_("nama_kantor is empty."))
            return
        result.offices[code] = OfficeRow(number, code, kind, cells.get("kode_induk") or "", details)
    else:
        clash = [
            column
            for column, target in OFFICE_COLUMNS.items()
            if details[target] and details[target] != known.values[target]
        ]
        if (kind and kind != known.kind) or clash:
            problem(
                _("office %(code)s is described differently on row %(first)s (%(columns)s).")
                % {"code": code, "first": known.row, "columns": ", ".join(clash or ["jenis"])}
            )
            return
    region = cells.get("kode_wilayah") or ""
    if region:
        start = _day(cells.get("berlaku_mulai"))
        if start is None:
            problem(_("berlaku_mulai must be a date (2024-07-01) when kode_wilayah is given."))
            return
        result.areas.append(AreaRow(number, code, region, start))


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar day, no time)
        except ValueError:
            continue
    return None


def _check_references(found: OfficeFile) -> None:
    """Parents and regions that exist (in the file or already in Lindung)."""
    existing = dict(Office.objects.values_list("code", "kind"))
    kinds = {**existing, **{code: row.kind for code, row in found.offices.items()}}
    for row in found.offices.values():
        if row.parent and row.parent not in kinds:
            found.problems.append(
                _("Row %(row)s: %(message)s")
                % {"row": row.row, "message": _("parent office %(code)s is unknown.") % {"code": row.parent}}
            )
    regions = set(Region.objects.filter(code__in={a.region for a in found.areas}).values_list("code", flat=True))
    for area in found.areas:
        if area.region not in regions:
            found.problems.append(
                _("Row %(row)s: %(message)s")
                % {"row": area.row, "message": _("Unknown region: %(codes)s.") % {"codes": area.region}}
            )


def offices_import(*, actor: User | None, path: Path) -> ImportOutcome:
    """Load the office file: offices created or changed, then every region's dated office.
    One transaction; any problem raises ValidationError (on "file", one line each) and changes nothing."""
    require(actor, Capability.MANAGE_OFFICES)
    found = read_office_file(path)
    _check_references(found)
    if found.problems:
        raise ValidationError({"file": found.problems[:50]})
    outcome = ImportOutcome(rows=len(found.areas))
    row = 0
    try:
        with transaction.atomic():
            saved: dict[str, Office] = {}
            for office_row in sorted(found.offices.values(), key=lambda r: (KIND_ORDER[OfficeKind(r.kind)], r.row)):
                row = office_row.row
                saved[office_row.code] = _save_office(actor, office_row, saved, outcome)
            for area in sorted(found.areas, key=lambda a: (a.region, a.valid_from)):
                row = area.row
                office = saved.get(area.office) or Office.objects.get(code=area.office)
                if _already(office, area):
                    continue
                if services.area_assign(
                    actor=actor, office=office, region_code=area.region, valid_from=area.valid_from
                ):
                    outcome.areas_changed += 1
    except ValidationError as error:
        raise ValidationError(
            {"file": [_("Row %(row)s: %(message)s") % {"row": row, "message": message} for message in error.messages]}
        ) from error
    return outcome


def _save_office(actor: User | None, row: OfficeRow, saved: dict[str, Office], outcome: ImportOutcome) -> Office:
    parent = saved.get(row.parent) or (Office.objects.filter(code=row.parent).first() if row.parent else None)
    is_new = not Office.objects.filter(code=row.code).exists()
    office, changed = services.office_save(actor=actor, code=row.code, kind=row.kind, parent=parent, **row.values)
    outcome.offices_created += int(is_new)
    outcome.offices_changed += int(changed and not is_new)
    return office


def _already(office: Office, area: AreaRow) -> bool:
    # A row restating a period already held (the file exported and imported again) is no change.
    return ServiceArea.objects.filter(office=office, region_id=area.region, valid_from=area.valid_from).exists()


def offices_workbook() -> bytes:
    """The office file as Lindung holds it now, every dated area included: edit it, import it back."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kantor")
    sheet.append(list(COLUMNS))
    areas: dict[int, list[ServiceArea | None]] = {}
    for row in ServiceArea.objects.order_by("region_id", "valid_from"):
        areas.setdefault(row.office_id, []).append(row)
    offices = sorted(Office.objects.select_related("parent"), key=lambda o: (KIND_ORDER[OfficeKind(o.kind)], o.code))
    for office in offices:
        details = [office.code, office.kind, *(getattr(office, target) for target in OFFICE_COLUMNS.values())]
        parent = office.parent.code if office.parent else ""
        for index, area in enumerate(areas.get(office.pk) or [None]):
            shown = details if index == 0 else [office.code, "", *[""] * len(OFFICE_COLUMNS)]
            sheet.append([*shown, parent, area.region_id if area else "", area.valid_from.isoformat() if area else ""])
    return workbook_bytes(book)
