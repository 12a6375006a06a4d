"""The issuing office on every document: its name, address and contacts at the top, its head at the
foot. Without an office (a region no office serves yet) the settings' office is used, never an
invented one."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from lindung.core.pdf import Document
from lindung.offices.models import Office
from lindung.offices.selectors import serving_office


def office_for_document(region_code: str, on: date) -> Office | None:
    """The office whose name a document about a region carries: the one serving it on the day."""
    return serving_office(region_code, on)


def letterhead(pdf: Document, office: Office | None = None) -> None:
    """The office's name and address over a green rule."""
    fallback = settings.LINDUNG_OFFICE
    name = office.name if office else (fallback.get("name") or "BPJS Ketenagakerjaan")
    parts = (office.address, office.phone, office.email) if office else (fallback.get("address"), fallback.get("phone"))
    pdf.font(12, bold=True)
    pdf.cell(0, 6, pdf.text_of(name), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    contact = " · ".join(part for part in parts if part)
    if contact:
        pdf.cell(0, 5, pdf.text_of(contact), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(11, 110, 79)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1.5, pdf.w - pdf.r_margin, pdf.get_y() + 1.5)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(5)


def head_lines(office: Office | None) -> list[str]:
    """Who signs for the office: title, then name (a line to sign on when the name is not known)."""
    if office is None:
        return []
    title = office.head_title or f"Kepala {office.name}"
    return [title, office.head_name or "(.................................)"]


def signature(pdf: Document, office: Office | None, *, place: str, on: date) -> None:
    """The closing block on the right: place and date, the head's title, room to sign, the head's name."""
    lines = head_lines(office)
    if not lines:
        return
    pdf.ln(6)
    left = pdf.w - pdf.r_margin - 75
    pdf.font(9)
    pdf.set_x(left)
    pdf.cell(75, 5, pdf.text_of(f"{place}, {on.strftime('%d-%m-%Y')}".lstrip(", ")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(left)
    pdf.multi_cell(75, 5, pdf.text_of(lines[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_x(left)
    pdf.font(9, bold=True)
    pdf.cell(75, 5, pdf.text_of(lines[1]), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
