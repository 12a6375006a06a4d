"""An invoice as XLSX (every line) and as PDF (the printable bill with its lines)."""

from __future__ import annotations

from collections.abc import Iterable

from fpdf import FPDF
from openpyxl import Workbook

from lindung.contributions.ledger import InvoiceBalance
from lindung.contributions.models import Invoice, InvoiceLine
from lindung.core.exports import neutral_row, workbook_bytes
from lindung.rules.text import Language, format_money

INDONESIAN = Language(code="id")


def money(rupiah: int) -> str:
    return format_money(rupiah, INDONESIAN)


HEADER = ("Peserta", "NIK", "Periode", "Jenis", "Program", "Dasar (Rp)", "Tarif", "Jumlah (Rp)", "Dasar hukum")


def payer_name(invoice: Invoice) -> str:
    if invoice.sponsor is not None:
        return invoice.sponsor.name
    return invoice.person.name if invoice.person is not None else "-"


def _line_cells(line: InvoiceLine) -> tuple[str, str, str, str, str, int, str, int, str]:
    person = line.membership.person if line.membership else None
    subject = person.name if person else f"Denda atas {line.penalty_for}" if line.penalty_for_id else "-"
    return (
        subject,
        person.masked_nik if person else "",
        line.period,
        line.get_kind_display(),
        line.program.upper(),
        line.basis,
        format(line.rate.normalize(), "f") if line.rate is not None else "",
        line.amount,
        line.legal_basis,
    )


def invoice_workbook(invoice: Invoice, balance: InvoiceBalance, lines: Iterable[InvoiceLine]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tagihan")
    sheet.append(neutral_row([f"Tagihan {invoice.number}"]))
    sheet.append(neutral_row(["Pembayar", payer_name(invoice)]))
    sheet.append(["Periode", invoice.period, "Jatuh tempo", invoice.due_date.strftime("%d-%m-%Y")])
    sheet.append(["Jumlah", balance.total, "Dibayar", balance.allocated, "Sisa", balance.outstanding])
    sheet.append([])
    sheet.append(list(HEADER))
    for line in lines:
        sheet.append(neutral_row(_line_cells(line)))
    sheet.append(["Jumlah", None, None, None, None, None, None, balance.total])
    return workbook_bytes(book)


class _InvoicePdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.title_text = title
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, _latin(f"{self.title_text} - halaman {self.page_no()}/{{nb}}"), align="C")


def _latin(text: str) -> str:
    # The PDF core fonts are Latin-1; names outside it keep their readable part.
    return text.encode("latin-1", "replace").decode("latin-1")


def invoice_pdf(invoice: Invoice, balance: InvoiceBalance, lines: Iterable[InvoiceLine]) -> bytes:
    pdf = _InvoicePdf(f"Tagihan {invoice.number}")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 8, _latin(f"Tagihan iuran {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for label, value in (
        ("Pembayar", payer_name(invoice)),
        ("Periode", invoice.period),
        ("Jatuh tempo", invoice.due_date.strftime("%d-%m-%Y")),
        ("Jumlah tagihan", money(balance.total)),
        ("Sudah dibayar", money(balance.allocated)),
        ("Sisa tagihan", money(balance.outstanding)),
    ):
        pdf.cell(40, 6, _latin(label))
        pdf.cell(0, 6, _latin(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (58, 34, 18, 14, 28, 28)
    pdf.set_font("Helvetica", style="B", size=8)
    for width, title in zip(widths, ("Peserta", "NIK", "Jenis", "Program", "Dasar (Rp)", "Jumlah (Rp)"), strict=True):
        pdf.cell(width, 6, title, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=8)
    for line in lines:
        subject, nik, _period, kind, program, basis, _rate, amount, _basis = _line_cells(line)
        cells = (subject[:36], nik, kind, program, money(basis), money(amount))
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 5, _latin(text), align="R" if index >= 4 else "L")
        pdf.ln()
    pdf.set_font("Helvetica", style="B", size=9)
    pdf.cell(sum(widths[:-1]), 7, "Jumlah", border="T")
    pdf.cell(widths[-1], 7, _latin(money(balance.total)), border="T", align="R")
    return bytes(pdf.output())
