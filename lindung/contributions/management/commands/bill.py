"""`lindung bill --period 2026-06 [--region 14.08] [--sponsor ID]`: bill one period from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm  # type: ignore[import-untyped]

from lindung.contributions.services import billing_run
from lindung.core.commands import indonesian_number, input_error
from lindung.registry.models import Sponsor

STEPS = {
    "harga": "menghitung tarif",
    "tagihan": "membuat tagihan",
    "rincian": "menulis rincian",
    "pembalikan": "membalik yang tak lagi terutang",
    "denda": "menghitung denda dan pembayaran",
}


class Command(BaseCommand):
    help = "Bill the contributions of one period (YYYY-MM) for every active membership in scope."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--region", help="Region code: only memberships administered inside it.")
        parser.add_argument("--sponsor", type=int, help="Sponsor id: only its memberships.")

    def handle(self, *args: Any, **options: Any) -> None:
        sponsor = None
        if options["sponsor"] is not None:
            sponsor = Sponsor.objects.filter(pk=options["sponsor"]).first()
            if sponsor is None:
                raise CommandError(f"--sponsor: tidak ada pemberi kerja dengan id {options['sponsor']}.", returncode=2)
        with tqdm(total=len(STEPS), unit=" tahap", file=self.stderr._out, disable=None) as bar:

            def step(name: str) -> None:
                bar.set_description(STEPS[name])
                bar.update(1)

            try:
                _run, outcome = billing_run(
                    actor=None, period=options["period"], region_code=options["region"], sponsor=sponsor, progress=step
                )
            except ValidationError as error:
                raise input_error(error) from error
        self.stdout.write(_summary_text(outcome.as_dict()))


def _summary_text(summary: dict[str, Any]) -> str:
    text = (
        f"Periode {summary['period']}: {indonesian_number(summary['invoices_created'])} tagihan baru, "
        f"{indonesian_number(summary['lines'])} baris rincian ({indonesian_number(summary['corrections'])} koreksi, "
        f"{indonesian_number(summary.get('penalties', 0))} denda), "
        f"jumlah Rp{indonesian_number(summary['amount'])}."
    )
    if not summary["lines"]:
        text += " Tidak ada yang berubah sejak penagihan terakhir."
    for reason, count in summary["unpriced"].items():
        text += f"\n{indonesian_number(count)} kepesertaan tidak ditagih: {reason}"
    return text
