"""`lindung demo_monitoring`: demo workforce figures for Riau, then the monitoring rollups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.core.commands import indonesian_number
from lindung.monitoring.demo import demo_monitoring_ensure


class Command(BaseCommand):
    help = "Load demo workforce and agency figures (once) and rebuild the monitoring rollups for `make run`."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_monitoring_ensure()
        self.stdout.write(
            f"Data demo pemantauan: {indonesian_number(result['workforce'])} angka angkatan kerja baru, "
            f"{indonesian_number(result['agency_figures'])} angka BPJS Ketenagakerjaan baru, "
            f"rekap {result['months']} bulan ({indonesian_number(result['coverage_rows'])} baris kepesertaan)."
        )
