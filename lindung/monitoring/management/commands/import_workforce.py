"""`lindung import_workforce angkatan-kerja.xlsx [--source "BPS Sakernas 2025"]`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lindung.core.commands import indonesian_number, input_error
from lindung.monitoring.workforce import workforce_import


class Command(BaseCommand):
    help = "Import workforce figures (kode_wilayah, tahun, kategori, jumlah) from a CSV or XLSX file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Where the figures come from, e.g. BPS Sakernas 2025.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        try:
            result = workforce_import(actor=None, path=path, source=options["source"])
        except ValidationError as error:
            raise input_error(error) from error
        self.stdout.write(
            f"{indonesian_number(result.created)} angka baru, {indonesian_number(result.updated)} diperbarui, "
            f"{indonesian_number(result.unchanged)} tidak berubah, "
            f"{indonesian_number(len(result.problems))} baris bergalat."
        )
        for problem in result.problems:
            self.stdout.write(f"  baris {problem.row}, {problem.column}: {problem.message}")
