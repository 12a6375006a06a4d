"""Reading the rows of an uploaded CSV or XLSX file, the same way for every import, within limits.

An XLSX is a zip: 1.45 MB on the wire once expanded to a 368 MB sheet and took the server from
205 MB to 1.5 GB. So before any sheet is loaded: the archive's declared uncompressed size is
checked (zipfile never inflates an entry past its declared size), then the sheet's dimension and
header are read as a stream (openpyxl read-only). Only a file within every limit is loaded, by
calamine, which is fast; its real height and width are checked again (a dimension can lie).
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from lindung.core.commands import indonesian_number
from lindung.rules.periods import Period

MAX_COLUMNS = 100


@dataclass(frozen=True)
class Limits:
    """What one upload may hold: data rows (the header not counted) and columns."""

    rows: int
    columns: int = MAX_COLUMNS


@contextmanager
def saved_upload(upload: UploadedFile, *, stem: str = "upload") -> Iterator[Path]:
    """An uploaded file written to a temporary folder under its own suffix (the readers tell CSV
    from XLSX by it), for the time of the block; a file over IMPORT_MAX_BYTES is refused."""
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}{suffix}"
        with path.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 50 MB; split it.")})
        yield path


def spreadsheet_rows(path: Path, *, limits: Limits) -> tuple[Iterator[list[Any]], int]:
    """The rows of a .csv or .xlsx file (the header included) and how many there are.

    Raises ValidationError on "file" for any other type, a file that cannot be read, or one over
    the limits (rows, columns, uncompressed size)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path, limits)
    if suffix == ".csv":
        return _csv_rows(path, limits)
    raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})


def spreadsheet_header(path: Path, *, limits: Limits) -> tuple[list[Any], int | None]:
    """The first row and the number of data rows the file says it has, without loading it all:
    for the checks at upload time, in the web server's process."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _check_archive(path)
        return _xlsx_head(path, limits)
    rows, total = spreadsheet_rows(path, limits=limits)
    return next(rows, []), total - 1


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError({"file": _("The file cannot be read as an Excel workbook (.xlsx).")}) from error
    if expanded > settings.SPREADSHEET_MAX_EXPANDED_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "Opened, this workbook holds %(size)s MB, more than %(limit)s MB; split it or save it as CSV."
                )
                % {
                    "size": indonesian_number(expanded // 1_000_000),
                    "limit": indonesian_number(settings.SPREADSHEET_MAX_EXPANDED_BYTES // 1_000_000),
                }
            }
        )


def _xlsx_head(path: Path, limits: Limits) -> tuple[list[Any], int | None]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError({"file": _("The file cannot be read as an Excel workbook (.xlsx).")}) from error
    try:
        sheet = book.worksheets[0]
        declared_rows, declared_columns = sheet.max_row, sheet.max_column
        _check_size(max((declared_rows or 1) - 1, 0), declared_columns or 0, limits)
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    except IndexError as error:
        raise ValidationError({"file": _("The workbook has no sheet.")}) from error
    finally:
        book.close()
    return list(header), (declared_rows - 1 if declared_rows else None)


def _check_size(data_rows: int, columns: int, limits: Limits) -> None:
    if data_rows > limits.rows:
        raise ValidationError(
            {
                "file": _("The file has %(count)s rows; at most %(limit)s per file. Split it.")
                % {"count": indonesian_number(data_rows), "limit": indonesian_number(limits.rows)}
            }
        )
    if columns > limits.columns:
        raise ValidationError(
            {
                "file": _("The file has %(count)s columns; at most %(limit)s.")
                % {"count": indonesian_number(columns), "limit": indonesian_number(limits.columns)}
            }
        )


def _xlsx_rows(path: Path, limits: Limits) -> tuple[Iterator[list[Any]], int]:
    _check_archive(path)
    _xlsx_head(path, limits)  # refuses by the declared dimension before anything is loaded
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as error:  # calamine raises its own error types for every kind of bad file
        raise ValidationError({"file": _("The file cannot be read as an Excel workbook (.xlsx).")}) from error
    _check_size(max(sheet.height - 1, 0), sheet.width, limits)
    return iter(sheet.iter_rows()), sheet.height


def _csv_rows(path: Path, limits: Limits) -> tuple[Iterator[list[Any]], int]:
    handle = _open_text(path)
    sample = handle.read(4096)
    handle.seek(0)
    total = sum(1 for line in handle if line.strip())
    handle.seek(0)
    # Excel set to Indonesian saves CSV with semicolons.
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    _check_size(max(total - 1, 0), len(header), limits)
    return iter(csv.reader(handle, delimiter=delimiter)), total


def _open_text(path: Path) -> IO[str]:
    """UTF-8 (with or without BOM), else Windows-1252 as older Excel saves; bytes that are neither
    become U+FFFD, and NULs (which the csv module refuses) too, so that a bad cell is a row error."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return io.StringIO(text.replace("\x00", "\ufffd"))


# ---------------------------------------------------------------- reading cells of a data row

MAX_COUNT = 1_000_000_000


@dataclass(frozen=True)
class RowProblem:
    """A bad cell of an import: its row number in the file (the header is row 1), column and why."""

    row: int
    column: str
    message: str


def row_cells(cells: list[Any], header: list[str]) -> dict[str, Any]:
    """A data row as {column name: value}; a short row's missing cells are None."""
    return {name: (cells[index] if index < len(cells) else None) for index, name in enumerate(header)}


def cell_text(value: Any) -> str:
    """A cell as text: 12.0 -> "12", a date typed into a month column -> "2021-04"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m")
    return "" if value is None else str(value).strip()


def cell_month(value: Any) -> Period | None:
    """A month written 2021-04 (or a date in it), from 2014 (the agency's start) on; else None."""
    try:
        period = Period.parse(cell_text(value)[:7])
    except ValueError:
        return None
    return period if 2014 <= period.year <= 2100 else None


def cell_count(
    value: Any, column: str, problem: Callable[[str, str], None], *, required: bool = False, limit: int = MAX_COUNT
) -> int | None:
    """A whole number of 0 or more (thousands separators allowed), or None with a problem said."""
    text = cell_text(value).replace(".", "").replace(",", "")
    if not text:
        if required:
            problem(column, _("Required: a whole number, 0 or more."))
        return None
    if not text.isdigit() or int(text) > limit:
        problem(column, _("Write a whole number, 0 or more."))
        return None
    return int(text)
