"""`lindung refresh_rollups [--since YYYY-MM] [--until YYYY-MM] [--resume]`: rebuild the dashboards' figures,
one month per transaction; `--resume` goes on with a refresh that was interrupted."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lindung.core.commands import indonesian_number
from lindung.monitoring.rollups import WINDOW_MONTHS, RefreshOutcome, refresh_rollups
from lindung.rules.periods import Period


class Command(BaseCommand):
    help = f"Rebuild the monitoring rollups (default: the last {WINDOW_MONTHS} months up to this month)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--since", help="First month, YYYY-MM.")
        parser.add_argument("--until", help="Last month, YYYY-MM (default: this month).")
        parser.add_argument("--resume", action="store_true", help="Go on with an interrupted refresh.")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _month(options["since"], "--since"), _month(options["until"], "--until")
        if first and last and first > last:
            raise CommandError("--since: harus sebelum --until.", returncode=2)
        if options["resume"] and (first or last):
            raise CommandError(
                "--resume: melanjutkan jendela yang sedang dihitung; tanpa --since/--until.", returncode=2
            )
        started = time.perf_counter()

        def progress(month: str, outcome: RefreshOutcome) -> None:
            self.stdout.write(f"  {month} selesai ({time.perf_counter() - started:.1f} detik)")

        outcome = refresh_rollups(first=first, last=last, resume=options["resume"], progress=progress)
        seconds = time.perf_counter() - started
        if not outcome.months:
            self.stdout.write("Tidak ada rekap yang perlu dilanjutkan.")
            return
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
