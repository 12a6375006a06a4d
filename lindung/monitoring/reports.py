"""The region report as PDF, for a meeting: coverage, the trend, the village outreach list, money
and the ranking, printed from the same tables as the pages (fpdf2, core fonts, A4 landscape)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from fpdf.fonts import FontFace

from lindung.core.pdf import Document
from lindung.monitoring import agency, selectors, tables
from lindung.monitoring.offices import office_figures
from lindung.monitoring.selectors import Place
from lindung.offices.documents import letterhead, office_for_document, signature
from lindung.offices.models import Office
from lindung.rules.periods import Period

PAGE_WIDTH = 277  # A4 landscape less the margins, in mm


def _cell_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def region_report(place: Place, period: Period, *, today: date) -> bytes:
    """The PDF report of `place` for `period` (money for the period's year)."""
    title = f"Laporan pemantauan {place.name} {period}"
    pdf = Document(title, landscape=True, bottom_margin=14)
    pdf.add_page()
    letterhead(pdf, office_for_document(place.code, today))
    pdf.font(15, bold=True)
    pdf.cell(0, 9, pdf.text_of(title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    pdf.cell(
        0, 5, pdf.text_of(f"Dicetak {today.strftime('%d-%m-%Y')} dari rekap Lindung."), new_x="LMARGIN", new_y="NEXT"
    )
    figures = selectors.coverage(place, period)
    _summary(pdf, figures)
    _trend(pdf, figures.trend)
    coverage_tables = tables.coverage_tables(figures)
    for table in coverage_tables[:-1]:
        _table(pdf, table)
    if place.is_regency:
        outreach = tables.village_table(selectors.village_protection(place, period))
        outreach.rows = [row for row in outreach.rows if row[4] == 0]  # no official protected
        outreach.title = f"Desa tanpa perangkat terlindungi ({len(outreach.rows)})"
        _table(pdf, outreach)
    claims = agency.agency_claims_of_year(place.code, period.year)
    for table in tables.money_tables(selectors.money(place, period.year, today=today), claims):
        _table(pdf, table)
    if place.level < 3:
        weights = selectors.ranking_weights()
        _table(pdf, tables.ranking_table(selectors.ranking(place, period, today=today), weights))
    return bytes(pdf.output())


def _summary(pdf: Document, figures: selectors.Coverage) -> None:
    total = figures.total
    pdf.ln(2)
    items = (
        ("Terdaftar", _cell_text(total.registered)),
        ("Aktif (iuran dibayar)", _cell_text(total.active)),
        ("Angkatan kerja", _cell_text(total.workforce or None)),
        ("Belum terlindungi", _cell_text(total.not_covered or None)),
        ("Cakupan", f"{_cell_text(total.percent)} %"),
    )
    width = PAGE_WIDTH / len(items)
    pdf.font(8)
    for label, _value in items:
        pdf.cell(width, 5, pdf.text_of(label))
    pdf.ln()
    pdf.font(13, bold=True)
    for _label, value in items:
        pdf.cell(width, 8, pdf.text_of(value))
    pdf.ln(10)


def _trend(pdf: Document, trend: Sequence[tuple[str, int, int]]) -> None:
    """Bars of registered (light) and active (dark) members per month."""
    if not trend:
        return
    pdf.font(11, bold=True)
    pdf.cell(0, 7, "Tren bulanan (terdaftar dan aktif)", new_x="LMARGIN", new_y="NEXT")
    top = max(registered for _m, registered, _a in trend) or 1
    height, left, base = 40.0, pdf.l_margin, pdf.get_y() + 42
    width = min(PAGE_WIDTH / len(trend), 20)
    pdf.font(6)
    for index, (month, registered, active) in enumerate(trend):
        x = left + index * width
        pdf.set_fill_color(190, 210, 230)
        pdf.rect(x + 1, base - height * registered / top, width - 2, height * registered / top, style="F")
        pdf.set_fill_color(20, 90, 150)
        pdf.rect(x + 3, base - height * active / top, width - 6, height * active / top, style="F")
        pdf.text(x + 1, base + 4, month)
    pdf.set_y(base + 8)


def _table(pdf: Document, table: tables.Table) -> None:
    if pdf.get_y() > 165:
        pdf.add_page()
    pdf.font(11, bold=True)
    pdf.cell(0, 8, pdf.text_of(table.title), new_x="LMARGIN", new_y="NEXT")
    if not table.rows:
        pdf.font(9)
        pdf.cell(0, 6, "(tidak ada)", new_x="LMARGIN", new_y="NEXT")
        return
    first = min(70.0, PAGE_WIDTH / 3)
    rest = (PAGE_WIDTH - first) / max(len(table.headers) - 1, 1)
    widths = [first] + [rest] * (len(table.headers) - 1)
    # A column of numbers (and of "-" where a number is missing) is right-aligned whole, heading too;
    # headings wrap inside their column instead of running into the next.
    numeric = [
        index > 0
        and all(
            value is None or (isinstance(value, int | float) and not isinstance(value, bool))
            for value in (row[index] for row in table.rows)
        )
        for index in range(len(table.headers))
    ]
    pdf.font(7)
    pdf.set_fill_color(255, 255, 255)  # the trend's bars leave their colour behind
    with pdf.table(
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 242)),
        cell_fill_mode="NONE",
        width=PAGE_WIDTH,
        col_widths=widths,
        text_align=tuple("RIGHT" if right else "LEFT" for right in numeric),
        borders_layout="HORIZONTAL_LINES",
        line_height=4.2,
        first_row_as_headings=True,
    ) as grid:
        heading = grid.row()
        for header in table.headers:
            heading.cell(pdf.text_of(header))
        for row in table.rows:
            cells = grid.row()
            for index, value in enumerate(row):
                cells.cell(pdf.text_of(_cell_text(value))[: 60 if index == 0 else 30])
    pdf.ln(3)


def office_report(office: Office, period: Period, *, today: date) -> bytes:
    """An office's report for a meeting: under its letterhead, its regions' tables, signed by its head."""
    title = f"Laporan pemantauan {office.name} {period}"
    pdf = Document(title, landscape=True, bottom_margin=14)
    pdf.add_page()
    letterhead(pdf, office)
    pdf.font(15, bold=True)
    pdf.multi_cell(0, 8, pdf.text_of(title), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    pdf.cell(
        0,
        5,
        pdf.text_of(f"Dicetak {today.strftime('%d-%m-%Y')} dari rekap Lindung. Uang dan klaim: tahun {period.year}."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    figures = office_figures(office, period, today=today)
    for table in tables.office_tables(figures, selectors.ranking_weights()):
        _table(pdf, table)
    signature(pdf, office, place="", on=today)
    return bytes(pdf.output())
