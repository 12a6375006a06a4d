"""Lists people can sort and take away: `?urut=name` or `?urut=-name` orders by a column the list
allows, `?unduh=xlsx` downloads what the list shows (every page, up to EXPORT_LIMIT rows).

Only columns a list names can sort, each by a model path its view chose (an index, or a small
table): a header link never becomes an arbitrary ORDER BY over the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook

from lindung.core.exports import neutral_row, workbook_bytes

EXPORT_LIMIT = 50_000  # rows of one download: beyond it, narrow the list (filters) first
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str  # in the URL: ?urut=<key>
    label: Any  # a (lazy) translated heading
    value: Callable[[Any], Any]  # the cell of one row in the XLSX
    order_by: tuple[str, ...] = ()  # model paths; empty: the column does not sort


@dataclass(frozen=True)
class Sorting:
    """The list's current order and, per column, the link that sorts by it."""

    key: str
    descending: bool
    query: str  # the other parameters (filters) to keep in every link

    @property
    def order(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    @property
    def kept(self) -> str:
        """The filters and this order: for the pages' links and the download."""
        return f"{self.query}&urut={self.order}" if self.query else f"urut={self.order}"

    def link(self, column: Column) -> str:
        flip = column.key == self.key and not self.descending
        order = f"-{column.key}" if flip else column.key
        return f"?{self.query}&urut={order}" if self.query else f"?urut={order}"

    def aria(self, column: Column) -> str:
        if column.key != self.key:
            return "none"
        return "descending" if self.descending else "ascending"


def sort(
    request: HttpRequest, queryset: QuerySet[Any], columns: Sequence[Column], default: str
) -> tuple[QuerySet[Any], Sorting]:
    """The queryset ordered as `?urut=` asks (unknown keys fall back to `default`), ties by id."""
    asked = request.GET.get("urut", default)
    descending = asked.startswith("-")
    key = asked.lstrip("-")
    column = next((c for c in columns if c.key == key and c.order_by), None)
    if column is None:
        descending, key = default.startswith("-"), default.lstrip("-")
        column = next(c for c in columns if c.key == key)
    fields = [f"-{path}" if descending else path for path in column.order_by]
    kept = request.GET.copy()
    for name in ("urut", "page", "unduh"):
        kept.pop(name, None)
    return queryset.order_by(*fields, "-pk" if descending else "pk"), Sorting(key, descending, kept.urlencode())


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("unduh") == "xlsx"


def xlsx_response(title: str, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    """The list as a workbook: the headings, then one row per item, at most EXPORT_LIMIT."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(neutral_row([str(column.label) for column in columns]))
    for count, row in enumerate(rows):
        if count >= EXPORT_LIMIT:
            sheet.append(neutral_row([f"... lebih dari {EXPORT_LIMIT} baris: persempit daftarnya."]))
            break
        sheet.append(neutral_row([column.value(row) for column in columns]))
    response = HttpResponse(workbook_bytes(book), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slugify(title) or "daftar"}.xlsx"'
    return response
