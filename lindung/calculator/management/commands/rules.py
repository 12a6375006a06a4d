"""`lindung rules contribution|benefit|heirs ...`: the calculators as JSON, the same JSON as /api/v1/rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindung.core.rules_bridge import active_language, as_json, error_message
from lindung.rules import inputs
from lindung.rules.errors import RuleInputError

# Options per subcommand: the API's parameter names, shown as --kebab-case.
OPTIONS = {
    "contribution": {
        "period": "contribution month YYYY-MM",
        "segment": "pu, bpu or jakon",
        "programs": "comma-separated: jkk,jkm,jht,jp (default: the segment's)",
        "wage": "monthly wage, whole rupiah",
        "income": "BPU declared monthly income, whole rupiah",
        "contract_value": "construction contract value excluding VAT",
        "risk_class": "JKK risk class 1-5 (PU)",
        "funding": "apbd, apbdes, apbn, mandiri, pemberi_kerja or csr",
        "sector": "BPU sector for PP 50/2025: transportasi or lainnya",
        "industry": "employer industry for PP 7/2025, e.g. garmen",
        "workers": "employer's number of workers (PP 7/2025)",
        "paid_on": "payment date YYYY-MM-DD, for the late penalty",
    },
    "benefit": {
        "program": "jkm, jkk, beasiswa or jht",
        "event_date": "date of the death, accident or payout event YYYY-MM-DD",
        "kind": "JKK: death, disability, total_disability or stmb",
        "wage": "last reported monthly wage, whole rupiah",
        "percentage": "disability table percentage, e.g. 40",
        "function_loss": "functional disability: percent of function lost",
        "months": "STMB: months unable to work",
        "membership_start": "membership start YYYY-MM-DD",
        "children": "BIRTHDATE:LEVEL,... (belum_sekolah, tk, sd, smp, sma, s1)",
        "cause": "beasiswa: jkm or jkk",
        "on_date": "beasiswa: school-year claim date YYYY-MM-DD",
        "reason": "jht payout reason, e.g. pensiun, phk, sebagian_perumahan",
        "birth_date": "jht pensiun: member's birth date YYYY-MM-DD",
        "balance": "jht balance, whole rupiah",
    },
    "heirs": {
        "relatives": "relation codes, comma-separated: spouse,child,parent,grandchild,...",
        "event_date": "date of death YYYY-MM-DD",
    },
}


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


class Command(BaseCommand):
    help = "Compute contributions and benefits by the rules in force (JSON on stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="calculation", required=True, metavar="contribution|benefit|heirs")
        for name, fields in OPTIONS.items():
            subparser = subcommands.add_parser(name, help=f"{name} calculator")
            for field, help_text in fields.items():
                # Every option is text: lindung.rules.inputs checks it, with the API's messages.
                subparser.add_argument(option_name(field), dest=field, help=help_text)

    def handle(self, *args: Any, calculation: str, **options: Any) -> None:
        raw = {field: options.get(field) for field in OPTIONS[calculation]}
        try:
            body = CALCULATIONS[calculation](raw)
        except RuleInputError as error:
            raise CommandError(f"{option_name(error.field)}: {error_message(error)}", returncode=2) from None
        self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))


def _heirs(raw: dict[str, str | None]) -> dict[str, Any]:
    relatives, choice = inputs.choose_heirs(raw)
    return inputs.heirs_json(relatives, choice, active_language())


CALCULATIONS: dict[str, Callable[[dict[str, str | None]], dict[str, Any]]] = {
    "contribution": lambda raw: as_json(inputs.calculate_contribution(raw)),
    "benefit": lambda raw: as_json(inputs.calculate_benefit(raw)),
    "heirs": _heirs,
}
