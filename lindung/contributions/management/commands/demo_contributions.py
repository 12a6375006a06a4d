"""`lindung demo_contributions`: bill the demo registry for six months and record payments, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lindung.contributions.demo import demo_contributions_ensure
from lindung.core.commands import indonesian_number


class Command(BaseCommand):
    help = "Load demo invoices and payments for `make run` (does nothing when they are already there)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_contributions_ensure(timezone.localdate())
        if result is None:
            self.stdout.write("Data demo iuran sudah ada.")
            return
        self.stdout.write(
            f"Data demo iuran dimuat: {result['periods']} periode, {indonesian_number(result['invoices'])} tagihan, "
            f"{indonesian_number(result['payments'])} pembayaran."
        )
