"""Reading a bank-statement CSV: one credit per row (date, amount, reference, payer account).

Banks export with ';' or ',' between columns, Indonesian (1.250.000,00) or English (1,250,000.00)
amounts, and day-first dates. Headers may be in Indonesian or English. Every row either becomes a
StatementRow or an error naming the row and the reason; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lindung.core.commands import indonesian_number
from lindung.core.inputs import MAX_RUPIAH, TOO_MANY_RUPIAH

MAX_ROWS = 50_000
HEADERS = {
    "paid_on": ("tanggal", "tgl", "date", "tanggal transaksi", "value date"),
    "amount": ("jumlah", "nominal", "amount", "kredit", "credit", "mutasi"),
    "reference": ("referensi", "reference", "keterangan", "berita", "description", "remark"),
    "payer_account": ("rekening", "no rekening", "rekening pengirim", "payer account", "account"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


@dataclass(frozen=True)
class StatementRow:
    row: int
    paid_on: date
    amount: int
    reference: str
    payer_account: str


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


class StatementFormatError(ValueError):
    """The file as a whole cannot be read (not text, no header we know)."""


def read_statement(content: bytes) -> tuple[list[StatementRow], list[RowError]]:
    text = _decode(content)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        raise StatementFormatError(_("The file is empty."))
    columns = _columns(header)
    rows: list[StatementRow] = []
    errors: list[RowError] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if number > MAX_ROWS + 1:
            raise StatementFormatError(_("At most %(count)s rows per file.") % {"count": indonesian_number(MAX_ROWS)})
        try:
            rows.append(_row(number, cells, columns))
        except ValueError as error:
            errors.append(RowError(number, str(error)))
    return rows, errors


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementFormatError(_("The file is not a CSV text file."))


def _dialect(text: str) -> type[csv.Dialect]:
    first_line = text.split("\n", 1)[0]
    return _Semicolon if first_line.count(";") > first_line.count(",") else csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _columns(header: list[str]) -> dict[str, int]:
    names = [re.sub(r"\s+", " ", cell.strip().lower()) for cell in header]
    columns = {}
    for field, aliases in HEADERS.items():
        for index, name in enumerate(names):
            if name in aliases:
                columns[field] = index
                break
    missing = [field for field in ("paid_on", "amount") if field not in columns]
    if missing:
        raise StatementFormatError(
            _("The header needs at least the columns tanggal and jumlah (found: %(found)s).")
            % {"found": ", ".join(cell for cell in header if cell.strip()) or "-"}
        )
    return columns


def _cell(cells: list[str], columns: dict[str, int], field: str) -> str:
    index = columns.get(field)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _row(number: int, cells: list[str], columns: dict[str, int]) -> StatementRow:
    return StatementRow(
        row=number,
        paid_on=parse_day(_cell(cells, columns, "paid_on")),
        amount=parse_amount(_cell(cells, columns, "amount")),
        reference=_cell(cells, columns, "reference")[:140],
        payer_account=re.sub(r"[^0-9A-Za-z]", "", _cell(cells, columns, "payer_account"))[:34],
    )


def parse_day(text: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise ValueError(_("Date %(value)s is not a date (use DD/MM/YYYY or YYYY-MM-DD).") % {"value": text or "-"})


def parse_amount(text: str) -> int:
    """Whole rupiah from '1.250.000', '1.250.000,00', '1,250,000.00', 'Rp 1250000'. Must be positive."""
    cleaned = re.sub(r"(?i)rp|idr|\s", "", text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif re.search(r"[.,]\d{1,2}$", cleaned):
        decimal_mark = cleaned[-3] if cleaned[-3] in ",." else cleaned[-2]
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    for mark in thousands:
        cleaned = cleaned.replace(mark, "")
    if decimal_mark:
        cleaned = cleaned.replace(decimal_mark, ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("Amount %(value)s is not a number.") % {"value": text or "-"}) from None
    if value != value.to_integral_value():
        raise ValueError(_("Amount %(value)s has cents; contributions are whole rupiah.") % {"value": text})
    if value <= 0:
        raise ValueError(_("Amount %(value)s must be more than zero.") % {"value": text})
    if value > MAX_RUPIAH:
        raise ValueError(str(TOO_MANY_RUPIAH))
    return int(value)
