"""`lindung demo_outreach`: the demo DTKS list and register of village officials for Siak (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.core.commands import indonesian_number
from lindung.outreach.demo import demo_outreach_ensure


class Command(BaseCommand):
    help = "Load a demo DTKS list and a register of village officials for Kabupaten Siak (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        for source, summary in demo_outreach_ensure().items():
            self.stdout.write(
                f"Daftar sasaran demo ({source}): {indonesian_number(summary.get('rows', 0))} orang, "
                f"{indonesian_number(summary.get('terlindungi', 0))} terlindungi, "
                f"{indonesian_number(summary.get('belum_terdaftar', 0))} belum terdaftar."
            )
