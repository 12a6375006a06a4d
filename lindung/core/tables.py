"""Reading the rows of an uploaded CSV or XLSX file, the same way for every import."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook


def spreadsheet_rows(path: Path) -> tuple[Iterator[list[Any]], int]:
    """The rows of a .csv or .xlsx file (the header included) and how many there are.

    Raises ValidationError on "file" for any other type or a file that cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})


def _xlsx_rows(path: Path) -> tuple[Iterator[list[Any]], int]:
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as error:  # calamine raises its own error types for every kind of bad file
        raise ValidationError({"file": _("The file cannot be read as an Excel workbook (.xlsx).")}) from error
    return iter(sheet.iter_rows()), sheet.height


def _csv_rows(path: Path) -> tuple[Iterator[list[Any]], int]:
    handle = _open_text(path)
    sample = handle.read(4096)
    handle.seek(0)
    total = sum(1 for line in handle if line.strip())
    handle.seek(0)
    # Excel set to Indonesian saves CSV with semicolons.
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return iter(csv.reader(handle, delimiter=delimiter)), total


def _open_text(path: Path) -> IO[str]:
    raw = path.read_bytes()
    try:
        return io.StringIO(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return io.StringIO(raw.decode("cp1252"))  # older Excel on Windows
