"""`lindung offices import|export|list|move`: the agency's offices from the command line.

lindung offices import kantor.csv          (CSV or XLSX; checked whole first, then loaded)
lindung offices import --default           (the Sumbar Riau and Sumbagsel offices that ship with Lindung)
lindung offices export kantor.xlsx
lindung offices move 14.08 kc-siak 2026-01-01
lindung offices list
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lindung.core.commands import input_error
from lindung.offices import imports, selectors, services
from lindung.offices.models import Office

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "kantor-sumbarriau-sumbagsel.csv"


class Command(BaseCommand):
    help = "The agency's offices (Kanwil, branches, KCP) and the regions each serves: import, export, move, list."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imported = commands.add_parser("import", help="Load an office file (CSV or XLSX).")
        imported.add_argument("file", type=Path, nargs="?")
        imported.add_argument("--default", action="store_true", help="The office file that ships with Lindung.")
        exported = commands.add_parser("export", help="Write the offices and their dated areas to an XLSX file.")
        exported.add_argument("file", type=Path)
        moved = commands.add_parser("move", help="An office serves a region from a date on.")
        moved.add_argument("region")
        moved.add_argument("office")
        moved.add_argument("valid_from", type=date.fromisoformat, help="YYYY-MM-DD, the first day it serves it.")
        commands.add_parser("list", help="Show the offices and what each serves today.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as error:
            raise input_error(error) from error
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from error

    def _import(self, options: dict[str, Any]) -> None:
        path: Path | None = DEFAULT_FILE if options["default"] else options["file"]
        if path is None:
            raise CommandError("Sebutkan berkas kantor, atau --default.", returncode=2)
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        outcome = imports.offices_import(actor=None, path=path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Berkas kantor {path.name} dimuat: {outcome.offices_created} kantor baru, "
                f"{outcome.offices_changed} kantor diubah, {outcome.areas_changed} wilayah layanan berubah "
                f"({outcome.rows} baris wilayah)."
            )
        )

    def _export(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        path.write_bytes(imports.offices_workbook())
        self.stdout.write(self.style.SUCCESS(f"Berkas kantor ditulis ke {path}."))

    def _move(self, options: dict[str, Any]) -> None:
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(f"Kantor {options['office']} tidak dikenal.", returncode=2)
        change = services.area_assign(
            actor=None, office=office, region_code=options["region"], valid_from=options["valid_from"]
        )
        day = options["valid_from"].strftime("%d-%m-%Y")
        if change is None:
            self.stdout.write(f"{office.name} sudah melayani {options['region']} pada {day}: tidak ada yang berubah.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{office.name} melayani {options['region']} mulai {day}."))

    def _list(self, options: dict[str, Any]) -> None:
        today = timezone.localdate()
        for office in selectors.office_list():
            area = ", ".join(office.area_codes(today)) or "-"
            self.stdout.write(f"{office.code:<24} {office.get_kind_display():<32} {office.name}  [{area}]")
