"""`lindung refresh_rollups [--since YYYY-MM] [--until YYYY-MM]`: rebuild the dashboards' figures."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lindung.core.commands import indonesian_number
from lindung.monitoring.rollups import WINDOW_MONTHS, refresh_rollups
from lindung.rules.periods import Period


class Command(BaseCommand):
    help = f"Rebuild the monitoring rollups (default: the last {WINDOW_MONTHS} months up to this month)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--since", help="First month, YYYY-MM.")
        parser.add_argument("--until", help="Last month, YYYY-MM (default: this month).")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _month(options["since"], "--since"), _month(options["until"], "--until")
        if first and last and first > last:
            raise CommandError("--since: harus sebelum --until.", returncode=2)
        started = time.perf_counter()
        outcome = refresh_rollups(first=first, last=last)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Rekap pemantauan dihitung ulang untuk {outcome.months[0]} s.d. {outcome.months[-1]}: "
            f"{indonesian_number(outcome.coverage_rows)} baris kepesertaan, "
            f"{indonesian_number(outcome.money_rows)} baris keuangan, {seconds:.1f} detik."
        )


def _month(text: str | None, option: str) -> Period | None:
    if not text:
        return None
    try:
        return Period.parse(text)
    except ValueError:
        raise CommandError(f"{option}: tulis sebagai YYYY-MM, misalnya 2026-06.", returncode=2) from None
