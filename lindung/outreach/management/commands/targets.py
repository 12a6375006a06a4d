"""`lindung targets import|match|export|purge|list`: target lists from the command line.

lindung targets import dtks-siak.xlsx --region 14.08 --source dtks --date 2026-06-30 [--user siak]
lindung targets match 12
lindung targets export 12 --class belum_terdaftar --output belum-terdaftar.xlsx
lindung targets purge
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.models import User
from lindung.core.commands import indonesian_number, input_error
from lindung.outreach import exports, processing, selectors, services
from lindung.outreach.models import ListStatus, TargetClass, TargetList, TargetSource


class Command(BaseCommand):
    help = "Target lists of the poor and vulnerable (DTKS, Regsosek, P3KE): import, match, export, purge."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imported = commands.add_parser("import", help="Read a CSV/XLSX list and match it.")
        imported.add_argument("file", type=Path)
        imported.add_argument("--region", required=True, help="The list's region code, e.g. 14.08.")
        imported.add_argument("--source", required=True, choices=TargetSource.values)
        imported.add_argument("--date", required=True, type=date.fromisoformat, help="Date of the data, YYYY-MM-DD.")
        imported.add_argument("--name", default="")
        imported.add_argument("--user", default="", help="Act as this user (their regions apply); default: system.")
        matched = commands.add_parser("match", help="Match a list (or --all) again against today's registry.")
        matched.add_argument("list_id", type=int, nargs="?")
        matched.add_argument("--all", action="store_true", help="Every matched list (the daily timer).")
        exported = commands.add_parser("export", help="Write a list's entries (full NIK) to an XLSX file.")
        exported.add_argument("list_id", type=int)
        exported.add_argument("--class", dest="outcome", default="", choices=["", *TargetClass.values])
        exported.add_argument("--output", required=True, type=Path)
        commands.add_parser("purge", help="Delete the lists past their retention period.")
        commands.add_parser("list", help="Show the lists.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as error:
            raise input_error(error) from error
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from error

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.", returncode=2)
        actor = _user(options["user"])
        target_list, created = services.target_list_create(
            actor=actor,
            path=path,
            file_name=path.name,
            region_code=options["region"],
            source=options["source"],
            source_date=options["date"],
            name=options["name"],
            queue=False,
        )
        if not created:
            self.stdout.write(f"Berkas ini sudah diunggah: daftar #{target_list.pk} {target_list.name}.")
            return
        processing.target_list_read(target_list.pk)
        target_list.refresh_from_db()
        if target_list.status == ListStatus.SAME:
            self.stdout.write(f"Isinya sama dengan daftar #{target_list.same_as_id}; tidak ada yang disimpan.")
            return
        self.stdout.write(f"Daftar #{target_list.pk} {target_list.name}: {_counts(target_list.summary)}")

    def _match(self, options: dict[str, Any]) -> None:
        if options["all"]:
            lists = list(TargetList.objects.filter(status=ListStatus.DONE))
        elif options["list_id"] is not None:
            lists = [_list(options["list_id"])]
        else:
            raise CommandError("Sebutkan nomor daftar, atau --all.", returncode=2)
        for target_list in lists:
            counts = services.target_list_rematch(actor=None, target_list=target_list)
            self.stdout.write(f"Daftar #{target_list.pk} dicocokkan ulang: {_counts(counts)}")

    def _export(self, options: dict[str, Any]) -> None:
        target_list = _list(options["list_id"])
        content = exports.entries_workbook(actor=None, target_list=target_list, outcome=options["outcome"] or None)
        options["output"].write_bytes(content)
        rows = selectors.entries_of(target_list, options["outcome"] or None).count()
        self.stdout.write(f"{indonesian_number(rows)} baris ditulis ke {options['output']}.")

    def _purge(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"{indonesian_number(services.target_lists_purge())} daftar dihapus (masa simpan habis).")

    def _list(self, options: dict[str, Any]) -> None:
        for target_list in TargetList.objects.select_related("region"):
            self.stdout.write(
                f"#{target_list.pk} {target_list.name} · {target_list.region.name} · "
                f"{target_list.get_status_display()} · {indonesian_number(target_list.summary.get('rows', 0))} baris"
            )


def _user(username: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Pengguna {username} tidak ada atau tidak aktif.", returncode=2)
    return user


def _list(list_id: int) -> TargetList:
    target_list = TargetList.objects.filter(pk=list_id).first()
    if target_list is None:
        raise CommandError(f"Daftar #{list_id} tidak ada.", returncode=2)
    return target_list


def _counts(counts: dict[str, Any]) -> str:
    labels = dict(TargetClass.choices)
    parts = [f"{labels[value]} {indonesian_number(counts.get(value, 0))}" for value in TargetClass.values]
    return "; ".join(str(part) for part in parts) + "."
