"""`lindung backup [ARCHIVE]`: the database and the uploaded files in one archive (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lindung.core.backup import backup


class Command(BaseCommand):
    help = "Write one archive with the database, the uploaded files and a manifest of counts and checksums."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", nargs="?", help="Where to write it (default: lindung-YYYYMMDD-HHMM.tar)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["archive"] or f"lindung-{timezone.localtime():%Y%m%d-%H%M}.tar")
        manifest = backup(target)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Cadangan ditulis ke {target}: {len(manifest['tables'])} tabel, {rows:,} baris, "
            f"{len(manifest['files'])} berkas unggahan, {target.stat().st_size // 1024:,} KB.".replace(",", ".")
        )
