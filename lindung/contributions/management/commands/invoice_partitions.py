"""`lindung invoice_partitions [--ahead 3]`: prepare the invoice-line partitions of this month and the
next ones (PostgreSQL; a monthly timer runs it, and a billing run prepares its own month anyway)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lindung.contributions.partitions import ensure_partitions_ahead, partitioned, partitions


class Command(BaseCommand):
    help = "Create the invoice-line partitions of this month and the next --ahead months (PostgreSQL)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--ahead", type=int, default=3, help="Months after this one (default 3, at most 24).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["ahead"] <= 24:
            raise CommandError("--ahead: antara 0 dan 24 bulan.", returncode=2)
        if not partitioned():
            self.stdout.write("Basis data ini tidak mempartisi rincian tagihan (SQLite): tidak ada yang perlu dibuat.")
            return
        created = ensure_partitions_ahead(months=options["ahead"], today=timezone.localdate())
        self.stdout.write(
            f"Partisi baru: {', '.join(created) if created else 'tidak ada (semua sudah ada)'}. "
            f"Jumlah partisi bulan: {len(partitions())}."
        )
