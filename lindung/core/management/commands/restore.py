"""`lindung restore ARCHIVE`: into an empty database and folders, then checked against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lindung.core.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Restore an archive of `lindung backup` into an empty database (run `lindung migrate` only after)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check = restore(Path(options["archive"]))
        except (RestoreError, OSError) as error:
            raise CommandError(f"Pemulihan gagal: {error}") from error
        if not check.ok:
            raise CommandError("Dipulihkan, tetapi berbeda dari manifes:\n" + "\n".join(check.differences))
        self.stdout.write("Dipulihkan dan diperiksa: jumlah baris, jumlah uang, dan setiap berkas sama dengan manifes.")
