"""An invoice as XLSX (every line) and as PDF (the printable bill with its lines)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from lindung.contributions.ledger import InvoiceBalance
from lindung.contributions.models import Invoice, InvoiceLine
from lindung.core.exports import neutral_row, workbook_bytes
from lindung.core.pdf import Document
from lindung.offices.documents import letterhead, office_for_document, signature
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


MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def period_name(period: str) -> str:
    """ "2026-11" as a payer reads it on the bill: "November 2026"."""
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def virtual_account(invoice: Invoice) -> str:
    """The payer's virtual account: the office's prefix, 1 for a sponsor or 2 for a self-payer, and
    the payer's number, so a transfer names its payer without a reference."""
    prefix = settings.LINDUNG_PAYMENT.get("virtual_account_prefix", "")
    if not prefix:
        return ""
    kind, number = ("1", invoice.sponsor_id) if invoice.sponsor_id else ("2", invoice.person_id)
    return f"{prefix}{kind}{number or 0:09d}"


def _payer_details(invoice: Invoice) -> list[tuple[str, str]]:
    if invoice.sponsor is not None:
        sponsor = invoice.sponsor
        return [
            ("Pembayar", sponsor.name),
            ("Jenis", str(sponsor.get_kind_display())),
            ("NPWP", sponsor.npwp or "-"),
            ("Alamat", sponsor.address or sponsor.region.name),
        ]
    person = invoice.person
    return [
        ("Pembayar", person.name if person else "-"),
        ("Jenis", "Peserta mandiri (bukan penerima upah)"),
        ("NIK", person.masked_nik if person else "-"),
    ]


def invoice_pdf(invoice: Invoice, balance: InvoiceBalance, lines: Iterable[InvoiceLine]) -> bytes:
    """The bill a payer can act on: the issuing office, the payer, the amount due and by when, where
    to pay, then every line. Names print as written (a Unicode font, core.pdf)."""
    pdf = Document(f"Tagihan {invoice.number}")
    pdf.add_page()
    # The office that served the payer's region when the invoice was made issues it.
    office = office_for_document(invoice.region_id, timezone.localdate(invoice.created_at))
    letterhead(pdf, office)
    pdf.font(14, bold=True)
    pdf.cell(0, 8, pdf.text_of(f"Tagihan iuran {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10)
    rows = [
        *_payer_details(invoice),
        ("Periode", period_name(invoice.period)),
        ("Jatuh tempo", invoice.due_date.strftime("%d-%m-%Y")),
        ("Jumlah tagihan", money(balance.total)),
        ("Sudah dibayar", money(balance.allocated)),
        ("Sisa tagihan", money(balance.outstanding)),
    ]
    for label, value in rows:
        pdf.cell(40, 6, pdf.text_of(label))
        pdf.multi_cell(0, 6, pdf.text_of(value), new_x="LMARGIN", new_y="NEXT")
    _payment_section(pdf, invoice, balance)
    pdf.ln(3)
    widths = (50, 30, 34, 14, 30, 32)
    pdf.font(8, bold=True)
    for index, (width, title) in enumerate(
        zip(widths, ("Peserta", "NIK", "Jenis", "Program", "Dasar (Rp)", "Jumlah (Rp)"), strict=True)
    ):
        pdf.cell(width, 6, title, border="B", align="R" if index >= 4 else "L")
    pdf.ln()
    pdf.font(8)
    for line in lines:
        subject, nik, _period, kind, program, basis, _rate, amount, _basis = _line_cells(line)
        cells = (subject[:32], nik, kind, program, money(basis), money(amount))
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 5, pdf.text_of(text), align="R" if index >= 4 else "L")
        pdf.ln()
    pdf.font(9, bold=True)
    pdf.cell(sum(widths[:-1]), 7, "Jumlah", border="T")
    pdf.cell(widths[-1], 7, pdf.text_of(money(balance.total)), border="T", align="R")
    signature(pdf, office, place="", on=timezone.localdate(invoice.created_at))
    return bytes(pdf.output())


def _payment_section(pdf: Document, invoice: Invoice, balance: InvoiceBalance) -> None:
    """Where and by when to pay; without configured details, whom to ask (never an invented account)."""
    payment = settings.LINDUNG_PAYMENT
    pdf.ln(2)
    pdf.font(10, bold=True)
    pdf.cell(0, 6, "Cara membayar", new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    due = invoice.due_date.strftime("%d-%m-%Y")
    lines = [f"Bayar {money(balance.outstanding)} paling lambat {due}. Keterlambatan dikenai denda sesuai peraturan."]
    account = virtual_account(invoice)
    if account:
        lines.append(f"Virtual account: {account} (khusus pembayar ini).")
    if payment.get("bank") and payment.get("account"):
        holder = f" a.n. {payment['account_name']}" if payment.get("account_name") else ""
        lines.append(f"Atau transfer ke {payment['bank']} rekening {payment['account']}{holder}.")
    if not account and not payment.get("account"):
        lines.append("Rekening pembayaran belum diatur: tanyakan ke kantor cabang yang menerbitkan tagihan ini.")
    lines.append(f"Tulis nomor tagihan {invoice.number} pada keterangan transfer.")
    for text in lines:
        pdf.multi_cell(0, 5, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")
