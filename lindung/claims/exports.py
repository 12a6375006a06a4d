"""The payout register as XLSX, and as a bank transfer file (CSV: one credit per payee)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook

from lindung.claims.models import Payout
from lindung.core.exports import csv_text, neutral_row, workbook_bytes

REGISTER_HEADER = ("Tanggal bayar", "Nomor klaim", "Jenis", "Penerima", "Bank", "Rekening", "Jumlah (Rp)")
TRANSFER_HEADER = ("rekening_tujuan", "nama_penerima", "bank", "jumlah", "berita")


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
                ]
            )
        )
    sheet.append(["Jumlah", None, None, None, None, None, total])
    return workbook_bytes(book)


def transfer_csv(payouts: Iterable[Payout]) -> str:
    """The bank's bulk-transfer layout: account, name, bank, amount, and the claim number as the message."""
    return csv_text(
        TRANSFER_HEADER,
        (
            [payout.account, payout.payee, payout.bank, payout.amount, f"KLAIM {payout.claim.number}"]
            for payout in payouts
        ),
    )
