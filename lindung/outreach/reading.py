"""Reading a target list file (CSV or XLSX, as the social-affairs office exports it) into entries.

Column names vary between DTKS, Regsosek and P3KE exports and between offices, so each field is
known by several names. Only the NIK and the name are required; a row without them is left out and
counted. A row whose NIK is invalid or does not match the birth date and sex written beside it, or
whose village lies outside the list's region, is kept, marked with its problem: the office needs
those back to correct them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lindung.core.tables import Limits, spreadsheet_rows
from lindung.outreach.models import TargetClass, TargetList
from lindung.regions import codes
from lindung.regions.models import Region, RegionLevel
from lindung.registry.nik import FEMALE_DAY_OFFSET, check_nik, clean_nik
from lindung.registry.values import SEX_WORDS, parse_date, parse_rupiah, text

# Field -> the column names it is known by (lower case, spaces and dashes as underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_nik", "nomor_nik"),
    "family_card": ("no_kk", "nokk", "kk", "nomor_kk", "no_kartu_keluarga"),
    "name": ("nama", "nama_lengkap", "nama_art"),
    "birth_date": ("tanggal_lahir", "tgl_lahir"),
    "sex": ("jenis_kelamin", "jk", "kelamin"),
    "village_code": ("kode_desa", "kode_kelurahan", "kode_wilayah", "kd_desa"),
    "village_name": ("desa", "kelurahan", "desa_kelurahan", "nama_desa"),
    "district_name": ("kecamatan", "nama_kecamatan"),
    "decile": ("desil", "desil_kesejahteraan", "desil_nasional"),
    "welfare_status": ("status_kesejahteraan", "status_dtks", "kategori_kesejahteraan"),
    "work_status": ("status_pekerjaan", "status_bekerja", "status_kerja"),
    "occupation": ("pekerjaan", "jenis_pekerjaan", "lapangan_usaha"),
    "position": ("jabatan", "posisi", "jabatan_perangkat"),
    "income": ("penghasilan", "siltap", "penghasilan_tetap"),
}
REQUIRED = ("nik", "name")
ENTRY_COLUMNS = (
    "target_list_id", "source_row", "nik", "family_card", "name", "birth_date", "sex", "village_id", "district_code",
    "decile", "welfare_status", "work_status", "occupation", "position", "income", "problem", "problem_text",
    "outcome",
)  # fmt: skip


@dataclass
class ReadResult:
    rows: int = 0
    skipped: int = 0
    skipped_sample: list[dict[str, Any]] = field(default_factory=list)
    content_hash: str = ""


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def header_fields(header: list[Any]) -> dict[str, int]:
    """{field: column position} for the columns recognised; ValidationError when NIK or name is missing."""
    names = [text(cell).lower().replace(" ", "_").replace("-", "_") for cell in header]
    positions: dict[str, int] = {}
    for field_name, known in COLUMNS.items():
        for index, name in enumerate(names):
            if name in known and field_name not in positions:
                positions[field_name] = index
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in positions]
    if missing:
        raise ValidationError(
            {"file": _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}}
        )
    return positions


def open_list(path: Path) -> tuple[dict[str, int], Iterator[list[Any]], int]:
    """The recognised columns, the data rows and how many there are (ValidationError on a bad file)."""
    rows, total = spreadsheet_rows(path, limits=Limits(rows=settings.TARGET_LIST_MAX_ROWS))
    positions = header_fields(next(rows, []))
    return positions, rows, max(total - 1, 0)


class Places:
    """The villages and kecamatan of the list's kabupaten/kota, to resolve a row's village by its
    code or, failing that, by its name within its kecamatan."""

    def __init__(self, target_list: TargetList) -> None:
        self.scope = target_list.region_id
        regency = codes.ancestor_at(self.scope, RegionLevel.REGENCY) or self.scope
        self.regency = regency
        inside = Region.objects.filter(Region.subtree_q(regency)).values_list("code", "name", "level", "parent_id")
        self.villages: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], str] = {}
        self.village_by_name: dict[str, list[str]] = {}
        district_names = {}
        rows = list(inside)
        for code, name, level, _parent in rows:
            if level == RegionLevel.DISTRICT:
                district_names[code] = codes.fold_name(name)
        for code, name, level, parent in rows:
            if level == RegionLevel.VILLAGE:
                self.villages[code.replace(".", "")] = code
                folded = codes.fold_name(name)
                self.by_name[(district_names.get(parent, ""), folded)] = code
                self.village_by_name.setdefault(folded, []).append(code)

    def village(self, code_text: str, village_name: str, district_name: str) -> str | None:
        digits = "".join(ch for ch in code_text if ch.isdigit())
        if digits in self.villages:
            return self.villages[digits]
        if not village_name:
            return None
        folded = codes.fold_name(village_name)
        found = self.by_name.get((codes.fold_name(district_name), folded))
        if found:
            return found
        candidates = self.village_by_name.get(folded, [])
        return candidates[0] if len(candidates) == 1 else None

    def inside(self, code: str) -> bool:
        return codes.is_within(code, self.scope)


def entry_rows(
    target_list: TargetList, positions: dict[str, int], rows: Iterator[list[Any]], result: ReadResult
) -> Iterator[tuple[Any, ...]]:
    """Each good data row as a tuple of ENTRY_COLUMNS (its problem, if any, set); counts into `result`."""
    places = Places(target_list)
    districts = Region.objects.filter(level=RegionLevel.DISTRICT).values_list("code", flat=True)
    known_districts = {code.replace(".", "") for code in districts}
    digest = hashlib.sha256()
    for number, cells in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        values = {name: (cells[index] if index < len(cells) else None) for name, index in positions.items()}
        digest.update(repr(sorted((k, text(v)) for k, v in values.items())).encode())
        row = _entry(target_list.pk, number, values, places, known_districts, result)
        if row is not None:
            result.rows += 1
            yield row
    result.content_hash = digest.hexdigest()


def _entry(
    list_id: int, number: int, values: dict[str, Any], places: Places, known_districts: set[str], result: ReadResult
) -> tuple[Any, ...] | None:
    nik = clean_nik(values.get("nik"))[:16]
    name = text(values.get("name"))[:150]
    if not nik or not name:
        result.skipped += 1
        if len(result.skipped_sample) < 50:
            result.skipped_sample.append({"row": number, "message": _("The NIK and the name are required.")})
        return None
    birth_date = _date_or_none(values.get("birth_date"))
    sex = SEX_WORDS.get(text(values.get("sex")).upper(), "")
    checked = check_nik(nik, birth_date=birth_date, sex=sex or None, known_districts=known_districts)
    problem, problem_text = "", ""
    if not checked.ok:
        problem, problem_text = TargetClass.INVALID, checked.errors[0]
    elif birth_date is None:
        birth_date = birth_date_in_nik(nik)  # so that a selection by age finds them
    if not sex and checked.ok:
        sex = "P" if int(nik[6:8]) > FEMALE_DAY_OFFSET else "L"
    village = places.village(
        text(values.get("village_code")), text(values.get("village_name")), text(values.get("district_name"))
    )
    district = codes.ancestor_at(village, RegionLevel.DISTRICT) if village else ""
    if not problem:
        problem, problem_text = _outside(nik, village, places)
    return (
        list_id, number, nik, clean_nik(values.get("family_card"))[:16], name, birth_date, sex, village,
        district or "", _decile(values.get("decile")), text(values.get("welfare_status"))[:60],
        text(values.get("work_status"))[:60], text(values.get("occupation"))[:100],
        text(values.get("position"))[:60], _income_or_none(values.get("income")), problem, problem_text[:200], problem,
    )  # fmt: skip


def _outside(nik: str, village: str | None, places: Places) -> tuple[str, str]:
    """A known village outside the list's region, or (no village known) a NIK issued in another
    kabupaten/kota: the entry belongs to another region's list."""
    if village is not None:
        if places.inside(village):
            return "", ""
        return TargetClass.OUTSIDE, _("The village lies outside the list's region.")
    issued_in = f"{nik[:2]}.{nik[2:4]}"
    if codes.is_within(issued_in, places.regency) or codes.is_within(places.regency, issued_in):
        return "", ""
    return TargetClass.OUTSIDE, _("No village known in the list's region, and the NIK was issued elsewhere.")


def birth_date_in_nik(nik: str, *, today: date | None = None) -> date | None:
    """The birth date a valid NIK encodes (DDMMYY, day + 40 for women); a two-digit year after this
    year's is taken as last century's."""
    today = today or date.today()  # noqa: DTZ011 (a calendar year, no time)
    day, month, year = int(nik[6:8]) % FEMALE_DAY_OFFSET, int(nik[8:10]), int(nik[10:12])
    century = 1900 if year > today.year % 100 else 2000
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def _date_or_none(value: object) -> date | None:
    if value is None or text(value) == "":
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None


def _income_or_none(value: object) -> int | None:
    if value is None or text(value) == "":
        return None
    try:
        return parse_rupiah(value)
    except ValueError:
        return None


def _decile(value: object) -> int | None:
    digits = "".join(ch for ch in text(value) if ch.isdigit())
    return int(digits) if digits and 1 <= int(digits) <= 10 else None
