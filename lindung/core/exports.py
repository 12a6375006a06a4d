"""Every XLSX and CSV the project writes passes its rows through here.

Text from users (a member named `=HYPERLINK("http://x","klik")`) must never become a live formula in
a spreadsheet an officer opens: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return is prefixed with an apostrophe (OWASP's CSV-injection advice), for XLSX and CSV alike.
Control characters, which XLSX cannot hold, are shown as U+FFFD.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A cell value that no spreadsheet evaluates; numbers, dates and None pass unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def neutral_row(values: Iterable[Any]) -> list[Any]:
    return [neutral(value) for value in values]


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]], *, delimiter: str = ";") -> str:
    """A CSV (CRLF lines, as banks and Excel expect) whose every cell went through `neutral`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(neutral_row(header))
    writer.writerows(neutral_row(row) for row in rows)
    return buffer.getvalue()
