"""`lindung import_agency_figures angka-bpjs.xlsx --source "BPJS Ketenagakerjaan Cabang Siak, April 2021"`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.commands import acting_user
from lindung.core.commands import indonesian_number, input_error
from lindung.monitoring.agency import COLUMNS, agency_import


class Command(BaseCommand):
    help = (
        "Import the agency's own participant and claim figures from a CSV or XLSX file with the columns "
        f"{', '.join(COLUMNS)}. A later file for the same region and month replaces its figures."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="Where the figures come from, with their date.")
        parser.add_argument("--pengguna", default="", help="The officer loading them (their regions apply).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        actor = acting_user(options["pengguna"]) if options["pengguna"] else None
        try:
            result = agency_import(actor=actor, path=path, source=options["source"])
        except ValidationError as error:
            raise input_error(error) from error
        self.stdout.write(
            f"{indonesian_number(result.figures)} angka ditulis, {indonesian_number(result.replaced)} "
            f"wilayah-bulan diganti, {indonesian_number(len(result.problems))} baris bergalat."
        )
        for problem in result.problems:
            self.stdout.write(f"  baris {problem.row}, {problem.column}: {problem.message}")
