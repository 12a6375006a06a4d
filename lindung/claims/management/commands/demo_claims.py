"""`lindung demo_claims`: paid and open demo claims of each type across 2019-2025, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.claims.demo import demo_claims_ensure


class Command(BaseCommand):
    help = "Load demo claims for `make run` (does nothing when they are already there)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_claims_ensure()
        if result is None:
            self.stdout.write("Data demo klaim sudah ada.")
            return
        self.stdout.write(f"Data demo klaim dimuat: {result['claims']} klaim.")
