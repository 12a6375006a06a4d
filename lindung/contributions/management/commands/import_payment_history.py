"""`lindung import_payment_history riwayat.csv --pemberi-kerja 12 --tagih-mulai 2026-01 --sumber "..."`.

A sponsor's months paid to the agency before Lindung billed it (lindung.contributions.prior)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.commands import acting_user
from lindung.contributions.prior import COLUMNS, billing_start_of, billing_start_set, prior_import
from lindung.core.commands import indonesian_number, input_error
from lindung.registry.models import Sponsor
from lindung.rules.periods import Period


class Command(BaseCommand):
    help = (
        "Record a sponsor's payment history before Lindung from a CSV or XLSX file with the columns "
        f"{', '.join(COLUMNS)}; --tagih-mulai sets the month from which Lindung bills it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--pemberi-kerja", type=int, required=True, help="The sponsor's number in Lindung.")
        parser.add_argument("--tagih-mulai", default="", help="The month Lindung bills from (YYYY-MM).")
        parser.add_argument("--sumber", required=True, help="Where the history comes from, with its date.")
        parser.add_argument("--pengguna", default="", help="The officer recording it (their regions apply).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        actor = acting_user(options["pengguna"]) if options["pengguna"] else None
        sponsor = Sponsor.objects.filter(pk=options["pemberi_kerja"]).first()
        if sponsor is None:
            raise CommandError(f"Pemberi kerja {options['pemberi_kerja']} tidak ada.", returncode=2)
        try:
            if options["tagih_mulai"]:
                billing_start_set(actor=actor, sponsor=sponsor, bills_from=_month(options["tagih_mulai"]))
            result = prior_import(actor=actor, sponsor=sponsor, path=path, source=options["sumber"])
        except ValidationError as error:
            raise input_error(error) from error
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from error
        start = billing_start_of(sponsor)
        self.stdout.write(
            f"{sponsor.name}: Lindung menagih mulai {start.bills_from if start else '-'}; "
            f"{indonesian_number(result.months)} bulan dicatat dibayar sebelum Lindung, "
            f"{indonesian_number(result.replaced)} diganti, {indonesian_number(len(result.problems))} baris bergalat."
        )
        for problem in result.problems:
            self.stdout.write(f"  baris {problem.row}, {problem.column}: {problem.message}")


def _month(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError:
        raise CommandError("Tulis --tagih-mulai sebagai YYYY-MM, misalnya 2026-01.", returncode=2) from None
