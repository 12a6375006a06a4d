"""`lindung import_members FILE --sponsor ID [--dry-run]`: bulk enrolment from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm  # type: ignore[import-untyped]

from lindung.core.commands import indonesian_number, input_error
from lindung.registry.imports import error_report, import_file, open_table
from lindung.registry.models import Sponsor


class Command(BaseCommand):
    help = "Enrol workers from a CSV or XLSX file (the template's columns) for one sponsor."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--sponsor", type=int, required=True, help="Sponsor id (see its page).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
        parser.add_argument("--report", type=Path, help="Where to write the error report (.xlsx).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"file: {path} tidak ditemukan.", returncode=2)
        sponsor = Sponsor.objects.filter(pk=options["sponsor"]).first()
        if sponsor is None:
            raise CommandError(f"--sponsor: tidak ada pemberi kerja dengan id {options['sponsor']}.", returncode=2)
        try:
            total = open_table(path).total
            with tqdm(total=total, unit=" baris", file=self.stderr._out, disable=None) as bar:
                plan, _rows = import_file(
                    actor=None,
                    sponsor=sponsor,
                    path=path,
                    dry_run=options["dry_run"],
                    progress=lambda done: bar.update(done - bar.n),
                )
        except ValidationError as error:
            raise input_error(error) from error
        summary = plan.summary()
        report = options["report"] or path.with_name(f"{path.stem}-galat.xlsx")
        if plan.problems:
            error_report(plan.problems, report)
        self.stdout.write(_summary_text(summary, dry_run=options["dry_run"]))
        if plan.problems:
            self.stdout.write(f"Laporan galat dan peringatan: {report}")


def _summary_text(summary: dict[str, int], *, dry_run: bool) -> str:
    n = {key: indonesian_number(value) for key, value in summary.items()}
    head = "Uji coba, tidak ada yang ditulis." if dry_run else "Selesai."
    return (
        f"{head} {n['rows']} baris: {n['valid']} valid, {n['errors']} galat, {n['warnings']} peringatan; "
        f"{n['new_persons']} orang baru, {n['new_memberships']} kepesertaan baru, {n['updated']} diubah, "
        f"{n['unchanged']} tidak berubah."
    )
