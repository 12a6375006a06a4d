"""The payout register as XLSX (the bank transfer file is a numbered batch: `payouts.transfer_file`)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook

from lindung.claims.models import Payout
from lindung.core.exports import neutral_row, workbook_bytes

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
