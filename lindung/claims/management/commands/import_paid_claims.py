"""`lindung import_paid_claims riwayat-klaim.csv --pengguna cabang`: claims the agency paid outside Lindung."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.commands import acting_user
from lindung.claims.history import COLUMNS, import_paid_claims
from lindung.core.commands import indonesian_number, input_error


class Command(BaseCommand):
    help = (
        "Record claims already paid by the agency (before Lindung or outside it) from a CSV or XLSX file "
        f"with the columns {', '.join(COLUMNS)}. Rows already in Lindung are skipped."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--pengguna", required=True, help="The officer recording them: their regions and their name in the audit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        actor = acting_user(options["pengguna"])
        try:
            outcome = import_paid_claims(actor=actor, path=path)
        except ValidationError as error:
            raise input_error(error) from error
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            f"{indonesian_number(len(outcome.created))} klaim dicatat, "
            f"{indonesian_number(outcome.duplicates)} sudah ada di Lindung, "
            f"{indonesian_number(len(outcome.problems))} masalah."
        )
        for problem in outcome.problems:
            self.stdout.write(f"  baris {problem['row']}, {problem['column']}: {problem['message']}")
        if outcome.problems:
            raise CommandError("Sebagian baris tidak dicatat; perbaiki lalu ulangi (yang sudah dicatat dilewati).")
