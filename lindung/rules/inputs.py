"""Text input (CLI options, API query parameters, form fields) to rule queries, with one error per bad field.

Every door calls these, so the same input gets the same answer and the same error everywhere.
Field names are the API's (risk_class); the CLI shows them as options (--risk-class).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lindung.rules.benefits import BenefitQuery, jkk_benefit, jkm_benefit
from lindung.rules.contributions import PROGRAMS, ContributionQuery, contribution
from lindung.rules.entitlements import LEVELS, Child, HeirChoice, JhtQuery, heirs, jht_payout, scholarship_benefit
from lindung.rules.errors import RuleInputError
from lindung.rules.periods import Period
from lindung.rules.results import Result
from lindung.rules.text import Language, Text, gettext_noop, render

Raw = Mapping[str, str | None]
BENEFIT_PROGRAMS = ("jkm", "jkk", "beasiswa", "jht")
GROUPED_RUPIAH = re.compile(r"^\d{1,3}(\.\d{3})+$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(raw: Raw, field: str) -> str | None:
    value = raw.get(field)
    if value is None or not value.strip():
        return None
    return value.strip()


def _required(raw: Raw, field: str) -> str:
    value = _text(raw, field)
    if value is None:
        raise RuleInputError(field, Text(gettext_noop("Required.")))
    return value


def rupiah(raw: Raw, field: str) -> int | None:
    """Whole rupiah: digits, optionally grouped with dots (1.500.000). Negative amounts are refused."""
    value = _text(raw, field)
    if value is None:
        return None
    if value.startswith("-") and value[1:].replace(".", "").isdigit():
        raise RuleInputError(field, Text(gettext_noop("Cannot be negative.")))
    if GROUPED_RUPIAH.match(value):
        value = value.replace(".", "")
    if not value.isdigit():
        raise RuleInputError(field, Text(gettext_noop("Must be a whole number of rupiah, for example 1500000.")))
    return int(value)


def whole_number(raw: Raw, field: str) -> int | None:
    value = _text(raw, field)
    if value is None:
        return None
    if not value.lstrip("-").isdigit():
        raise RuleInputError(field, Text(gettext_noop("Must be a whole number.")))
    return int(value)


def percent(raw: Raw, field: str) -> Decimal | None:
    value = _text(raw, field)
    if value is None:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise RuleInputError(field, Text(gettext_noop("Must be a number, for example 40 or 12.5.")))
    return number


def day(raw: Raw, field: str) -> date | None:
    value = _text(raw, field)
    if value is None:
        return None
    try:
        if not DATE_PATTERN.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise RuleInputError(field, Text(gettext_noop("Must be a date written YYYY-MM-DD."))) from None


def _required_day(raw: Raw, field: str) -> date:
    _required(raw, field)
    parsed = day(raw, field)
    assert parsed is not None  # noqa: S101 - required above
    return parsed


def period(raw: Raw, field: str = "period") -> Period:
    value = _required(raw, field)
    try:
        return Period.parse(value)
    except ValueError:
        raise RuleInputError(field, Text(gettext_noop("Must be a month written YYYY-MM."))) from None


def programs(raw: Raw, field: str = "programs") -> tuple[str, ...] | None:
    value = _text(raw, field)
    if value is None:
        return None
    codes = tuple(dict.fromkeys(code.strip().lower() for code in value.split(",") if code.strip()))
    for code in codes:
        if code not in PROGRAMS:
            raise RuleInputError(
                field,
                Text(gettext_noop("Unknown program %(program)s; use jkk, jkm, jht or jp."), program=code),
            )
    return codes or None


def children(raw: Raw, field: str = "children") -> tuple[Child, ...]:
    """Children as 'BIRTHDATE:LEVEL' separated by commas: 2012-05-01:sd,2008-03-02:sma."""
    value = _text(raw, field)
    if value is None:
        return ()
    parsed = []
    for part in value.split(","):
        birth, _, level = part.strip().partition(":")
        birth_date = day({field: birth}, field)
        if birth_date is None or level.strip().lower() not in LEVELS:
            raise RuleInputError(
                field,
                Text(
                    gettext_noop("Write each child as BIRTHDATE:LEVEL (level: %(levels)s), separated by commas."),
                    levels=", ".join(LEVELS),
                ),
            )
        parsed.append(Child(birth_date=birth_date, level=level.strip().lower()))
    return tuple(parsed)


def contribution_query(raw: Raw) -> ContributionQuery:
    """Parse the contribution inputs; the rules check the combination (wage for PU, and so on)."""
    return ContributionQuery(
        period=period(raw),
        segment=(_required(raw, "segment")).lower(),
        programs=programs(raw),
        wage=rupiah(raw, "wage"),
        income=rupiah(raw, "income"),
        contract_value=rupiah(raw, "contract_value"),
        risk_class=whole_number(raw, "risk_class"),
        funding=(_text(raw, "funding") or "mandiri").lower(),
        sector=(_text(raw, "sector") or "lainnya").lower(),
        industry=(_text(raw, "industry") or "").lower() or None,
        workers=whole_number(raw, "workers"),
        paid_on=day(raw, "paid_on"),
    )


def calculate_contribution(raw: Raw) -> Result:
    return contribution(contribution_query(raw))


def calculate_benefit(raw: Raw) -> Result:
    """Dispatch on `program`: jkm, jkk (by kind), beasiswa (scholarship) or jht (payout eligibility)."""
    program = _required(raw, "program").lower()
    if program not in BENEFIT_PROGRAMS:
        raise RuleInputError("program", Text(gettext_noop("Unknown program; use jkm, jkk, beasiswa or jht.")))
    event_date = _required_day(raw, "event_date")
    if event_date < date(2014, 1, 1):
        raise RuleInputError("event_date", Text(gettext_noop("Must be 2014-01-01 or later.")))
    if program == "jht":
        return jht_payout(
            JhtQuery(
                reason=_required(raw, "reason").lower(),
                event_date=event_date,
                membership_start=day(raw, "membership_start"),
                birth_date=day(raw, "birth_date"),
                balance=rupiah(raw, "balance"),
            )
        )
    if program == "beasiswa":
        return scholarship_benefit(
            cause=_required(raw, "cause").lower(),
            event_date=event_date,
            membership_start=day(raw, "membership_start"),
            children=children(raw),
            on_date=day(raw, "on_date"),
        )
    query = BenefitQuery(
        program=program,
        event_date=event_date,
        kind=(_text(raw, "kind") or "").lower() or None,
        wage=rupiah(raw, "wage"),
        percentage=percent(raw, "percentage"),
        function_loss=percent(raw, "function_loss"),
        months=whole_number(raw, "months"),
        membership_start=day(raw, "membership_start"),
        children=children(raw),
    )
    if program == "jkk":
        _required(raw, "kind")
        return jkk_benefit(query)
    return jkm_benefit(query)


def choose_heirs(raw: Raw) -> tuple[list[str], HeirChoice]:
    """Relatives as relation codes separated by commas, in any order; the order of heirs on the date of death."""
    relatives = [code.strip().lower() for code in (_text(raw, "relatives") or "").split(",") if code.strip()]
    return relatives, heirs(relatives, _required_day(raw, "event_date"))


def heirs_json(relatives: list[str], choice: HeirChoice, language: Language) -> dict[str, Any]:
    return {
        "group": choice.group,
        "heirs": [{"position": position + 1, "relation": relatives[position]} for position in choice.positions],
        "reason": render(choice.reason, language),
        "legal_basis": choice.legal_basis,
    }
