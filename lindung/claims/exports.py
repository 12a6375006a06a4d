"""The payout register as XLSX (the bank transfer file is a numbered batch: `payouts.transfer_file`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from lindung.claims.models import Payout, PayoutBatch
from lindung.core.exports import neutral_row, workbook_bytes
from lindung.core.pdf import Document
from lindung.offices.documents import letterhead, signature
from lindung.rules.text import Language, format_money

ID_TEXT = Language()

REGISTER_HEADER = (
    "Tanggal bayar",
    "Nomor klaim",
    "Jenis",
    "Penerima",
    "Bank",
    "Rekening",
    "Jumlah (Rp)",
    "Status",
    "Batch",
    "Referensi transfer",
)


def payout_workbook(payouts: Iterable[Payout]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pembayaran klaim")
    sheet.append(neutral_row(REGISTER_HEADER))
    total = 0
    for payout in payouts:
        total += payout.amount
        sheet.append(
            neutral_row(
                [
                    payout.paid_on,
                    payout.claim.number,
                    payout.claim.get_claim_type_display(),
                    payout.payee,
                    payout.bank,
                    payout.account,
                    payout.amount,
                    payout.get_status_display(),
                    payout.batch.number if payout.batch else "",
                    payout.reference or payout.claim.outside_reference,
                ]
            )
        )
    sheet.append(["Jumlah", None, None, None, None, None, total])
    return workbook_bytes(book)


def _account_masked(account: str) -> str:
    # The list goes on paper to be signed: an account shows its last four digits only.
    return f"…{account[-4:]}" if len(account) > 4 else account


def batch_pdf(batch: PayoutBatch, *, printed_on: date) -> bytes:
    """The batch's cover list for signature: the paying office (name, address, head) and the account
    it pays from, then each payout (claim, payee, bank, account's last digits, amount) and the total."""
    office = batch.office
    pdf = Document(f"Daftar pembayaran {batch.number}")
    pdf.add_page()
    letterhead(pdf, office)
    pdf.font(14, bold=True)
    pdf.cell(0, 8, pdf.text_of(f"Daftar pembayaran manfaat {batch.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10)
    source = (
        f"{office.bank_name} {office.bank_account} a.n. {office.bank_account_name or office.name}"
        if office and office.bank_account
        else "belum diatur pada data kantor"
    )
    rows = [
        ("Kantor pembayar", office.name if office else "-"),
        ("Rekening sumber", source),
        ("Dibuat", timezone.localtime(batch.created_at).strftime("%d-%m-%Y %H:%M")),
        ("Jumlah pembayaran", f"{batch.count:,}".replace(",", ".")),
        ("Total", format_money(batch.total, ID_TEXT)),
    ]
    for label, value in rows:
        pdf.cell(45, 6, pdf.text_of(label))
        pdf.multi_cell(0, 6, pdf.text_of(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (10, 42, 60, 30, 18, 30)
    pdf.font(8, bold=True)
    for index, (width, title) in enumerate(
        zip(widths, ("No", "Klaim", "Penerima", "Bank", "Rekening", "Jumlah"), strict=True)
    ):
        pdf.cell(width, 6, title, border="B", align="R" if index == 5 else "L")
    pdf.ln()
    pdf.font(8)
    for number, payout in enumerate(batch.payouts.select_related("claim").order_by("id"), start=1):
        cells = (
            str(number),
            payout.claim.number,
            payout.payee[:38],
            payout.bank[:18],
            _account_masked(payout.account),
            format_money(payout.amount, ID_TEXT),
        )
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 5, pdf.text_of(text), align="R" if index == 5 else "L")
        pdf.ln()
    pdf.font(9, bold=True)
    pdf.cell(sum(widths[:-1]), 7, "Total", border="T")
    pdf.cell(widths[-1], 7, pdf.text_of(format_money(batch.total, ID_TEXT)), border="T", align="R")
    pdf.ln()
    signature(pdf, office, place="", on=printed_on)
    return bytes(pdf.output())
