"""Benefits by event date: JKM (death not from work) and JKK (work accident).

Rounding: each component is rounded half up to whole rupiah on its own (money.py).
The wage is the last monthly wage reported to the agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lindung.rules.entitlements import Child, add_scholarships
from lindung.rules.errors import RuleInputError
from lindung.rules.money import decimal_of, to_rupiah
from lindung.rules.parameters import Entry, rulebook
from lindung.rules.results import Calculation, Item, Result
from lindung.rules.text import Money, Number, Rate, Text, gettext_noop

FIRST_DAY = date(2014, 1, 1)
JKK_KINDS = ("death", "disability", "total_disability", "stmb")


@dataclass(frozen=True)
class BenefitQuery:
    """What a JKM or JKK benefit depends on. Percentages are given as percent (40 = 40%)."""

    program: str
    event_date: date
    kind: str | None = None
    wage: int | None = None
    percentage: Decimal | None = None
    function_loss: Decimal | None = None
    months: int | None = None
    membership_start: date | None = None
    children: tuple[Child, ...] = ()


def check_event_date(event_date: date, field: str = "event_date") -> None:
    if event_date < FIRST_DAY:
        raise RuleInputError(field, Text(gettext_noop("Must be 2014-01-01 or later.")))


def check_membership_start(membership_start: date | None, event_date: date) -> None:
    if membership_start is not None and membership_start > event_date:
        raise RuleInputError("membership_start", Text(gettext_noop("Cannot be after the event date.")))


def lump(program: str, component: str, amount: int, entry: Entry, formula: Text | None = None) -> Item:
    """A fixed benefit amount of the era in force."""
    return Item(
        program=program,
        component=component,
        basis=amount,
        rate=None,
        amount=amount,
        legal_basis=entry.basis,
        formula=formula or Text(gettext_noop("fixed amount %(amount)s"), amount=Money(amount)),
    )


def _scholarships(calc: Calculation, query: BenefitQuery, *, cause: str) -> None:
    add_scholarships(
        calc, cause=cause, event_date=query.event_date, start=query.membership_start, children=query.children
    )


def jkm_benefit(query: BenefitQuery) -> Result:
    """JKM on a death not from work: lump sum, periodic benefit (paid at once) and funeral cost of the era."""
    check_event_date(query.event_date)
    check_membership_start(query.membership_start, query.event_date)
    calc = Calculation(eligible=True)
    entry = calc.use(rulebook().at("jkm.benefits", query.event_date, field="event_date"))
    for component in ("lump_sum", "periodic", "funeral"):
        calc.add(lump("jkm", component, int(entry.value[component]), entry))
    calc.note(Text(gettext_noop("Requires an active, paid membership on the date of death.")))
    calc.note(Text(gettext_noop("Without heirs, the funeral cost goes to whoever arranged the burial.")))
    _scholarships(calc, query, cause="jkm")
    return calc.result()


def jkk_benefit(query: BenefitQuery) -> Result:
    """JKK for a work accident: death, partial or total permanent disability, or STMB wage replacement."""
    check_event_date(query.event_date)
    check_membership_start(query.membership_start, query.event_date)
    if query.kind not in JKK_KINDS:
        raise RuleInputError("kind", Text(gettext_noop("Use death, disability, total_disability or stmb.")))
    if query.wage is None:
        raise RuleInputError("wage", Text(gettext_noop("Required for JKK: the last monthly wage reported.")))
    if query.wage < 0:
        raise RuleInputError("wage", Text(gettext_noop("Cannot be negative.")))
    calc = Calculation(eligible=True)
    if query.kind == "death":
        _jkk_death(calc, query, query.wage)
    elif query.kind == "disability":
        _jkk_disability(calc, query, query.wage)
    elif query.kind == "total_disability":
        _jkk_total_disability(calc, query, query.wage)
    else:
        _jkk_stmb(calc, query, query.wage)
    calc.note(Text(gettext_noop("Medical care is paid as medically needed, without a cap; it is not computed here.")))
    calc.note(
        Text(
            gettext_noop(
                "The right to claim lapses 2 years after the accident, counted to the day the claim is lodged."
            )
        )
    )
    return calc.result()


# Medical care under JKK has no cap and no table: the receipts are the amount (rules.md 2.2).
MEDICAL_BASIS = "PP 44/2015; PP 82/2019"
TRANSPORT_MODES = ("darat", "laut", "udara")


@dataclass(frozen=True)
class CareCosts:
    """The receipts of a JKK care claim, in rupiah: medical care, transport (by which means), home care."""

    medical: int = 0
    transport: int = 0
    transport_mode: str = ""
    home_care: int = 0


def jkk_medical(event_date: date, costs: CareCosts) -> Result:
    """JKK care: medical care as medically needed (the receipts, no cap); transport and home care
    reimbursed up to the caps in force on the accident date, each with its legal basis."""
    check_event_date(event_date)
    for name in ("medical", "transport", "home_care"):
        if getattr(costs, name) < 0:
            raise RuleInputError(name, Text(gettext_noop("Cannot be negative.")))
    calc = Calculation(eligible=True)
    if costs.medical or not (costs.transport or costs.home_care):
        calc.add(
            Item(
                program="jkk",
                component="medical",
                basis=costs.medical,
                rate=None,
                amount=costs.medical,
                legal_basis=MEDICAL_BASIS,
                formula=Text(gettext_noop("receipts of %(amount)s, reimbursed in full"), amount=Money(costs.medical)),
            )
        )
    if costs.transport:
        _capped(calc, "transport", costs.transport, _transport_cap(calc, event_date, costs.transport_mode))
    if costs.home_care:
        entry = calc.use(rulebook().at("jkk.home_care", event_date, field="home_care"))
        _capped(calc, "home_care", costs.home_care, (int(entry.value["max_amount"]), entry))
        months = Number(entry.value["months"])
        calc.note(Text(gettext_noop("Home care is given for at most %(months)s months."), months=months))
    return calc.result()


def _transport_cap(calc: Calculation, event_date: date, mode: str) -> tuple[int, Entry]:
    if mode not in TRANSPORT_MODES:
        raise RuleInputError("transport_mode", Text(gettext_noop("Say how the worker was carried: land, sea or air.")))
    entry = rulebook().at("jkk.transport", event_date, field="transport")
    if mode not in entry.value:
        # From PP 82/2019 the sea and air caps sit apart, unconfirmed (rules.md 2.2).
        entry = rulebook().at("jkk.transport_sea_air", event_date, field="transport")
    calc.use(entry)
    return int(entry.value[mode]), entry


def _capped(calc: Calculation, component: str, receipts: int, cap: tuple[int, Entry]) -> None:
    maximum, entry = cap
    amount = min(receipts, maximum)
    calc.add(
        Item(
            program="jkk",
            component=component,
            basis=receipts,
            rate=None,
            amount=amount,
            legal_basis=entry.basis,
            formula=Text(
                gettext_noop("receipts of %(receipts)s, reimbursed up to %(cap)s"),
                receipts=Money(receipts),
                cap=Money(maximum),
            ),
        )
    )


def _jkk_death(calc: Calculation, query: BenefitQuery, wage: int) -> None:
    entry = calc.use(rulebook().at("jkk.death", query.event_date, field="event_date"))
    multiple, minimum = int(entry.value["wage_multiple"]), int(entry.value["minimum"])
    amount = max(multiple * wage, minimum)
    calc.add(
        Item(
            program="jkk",
            component="lump_sum",
            basis=wage,
            rate=None,
            amount=amount,
            legal_basis=entry.basis,
            formula=Text(
                gettext_noop("%(multiple)s × wage %(wage)s = %(product)s, at least %(minimum)s"),
                multiple=Number(multiple),
                wage=Money(wage),
                product=Money(multiple * wage),
                minimum=Money(minimum),
            ),
        )
    )
    calc.add(lump("jkk", "funeral", int(entry.value["funeral"]), entry))
    calc.add(lump("jkk", "periodic", int(entry.value["periodic"]), entry))
    _scholarships(calc, query, cause="jkk")


def _percentage(value: Decimal | None, field: str) -> Decimal:
    if value is None:
        raise RuleInputError(field, Text(gettext_noop("Required: the percentage from the disability table.")))
    if not Decimal(0) < value <= Decimal(100):
        raise RuleInputError(field, Text(gettext_noop("Must be more than 0 and at most 100.")))
    return value / 100


def _jkk_disability(calc: Calculation, query: BenefitQuery, wage: int) -> None:
    entry = calc.use(rulebook().at("jkk.disability", query.event_date, field="event_date"))
    share = _percentage(query.percentage, "percentage")
    months = int(entry.value["months"])
    if query.function_loss is not None:
        share *= _percentage(query.function_loss, "function_loss")
    amount = to_rupiah(share * months * wage)
    calc.add(
        Item(
            program="jkk",
            component="partial_disability",
            basis=wage,
            rate=share,
            amount=amount,
            legal_basis=entry.basis,
            formula=Text(
                gettext_noop("%(share)s × %(months)s × wage %(wage)s = %(amount)s"),
                share=Rate(share),
                months=Number(months),
                wage=Money(wage),
                amount=Money(amount),
            ),
        )
    )


def _jkk_total_disability(calc: Calculation, query: BenefitQuery, wage: int) -> None:
    entry = calc.use(rulebook().at("jkk.disability", query.event_date, field="event_date"))
    share, months = decimal_of(entry.value["total_share"]), int(entry.value["months"])
    amount = to_rupiah(share * months * wage)
    calc.add(
        Item(
            program="jkk",
            component="total_disability",
            basis=wage,
            rate=share,
            amount=amount,
            legal_basis=entry.basis,
            formula=Text(
                gettext_noop("%(share)s × %(months)s × wage %(wage)s = %(amount)s"),
                share=Rate(share),
                months=Number(months),
                wage=Money(wage),
                amount=Money(amount),
            ),
        )
    )
    calc.add(lump("jkk", "periodic", int(entry.value["total_periodic"]), entry))
    _scholarships(calc, query, cause="jkk")


def _jkk_stmb(calc: Calculation, query: BenefitQuery, wage: int) -> None:
    if query.months is None:
        raise RuleInputError("months", Text(gettext_noop("Required for STMB: the months unable to work.")))
    if query.months < 1:
        raise RuleInputError("months", Text(gettext_noop("Must be at least 1.")))
    entry = calc.use(rulebook().at("jkk.stmb", query.event_date, field="event_date"))
    remaining, first = query.months, 1
    for band in entry.value:
        band_months = remaining if band.get("months") is None else min(remaining, int(band["months"]))
        if band_months == 0:
            break
        share = decimal_of(band["share"])
        amount = to_rupiah(share * wage * band_months)
        last = first + band_months - 1
        calc.add(
            Item(
                program="jkk",
                component=f"stmb_months_{first}_{last}",
                basis=wage,
                rate=share,
                amount=amount,
                legal_basis=entry.basis,
                formula=Text(
                    gettext_noop(
                        "%(share)s × wage %(wage)s × %(months)s months (months %(first)s-%(last)s) = %(amount)s"
                    ),
                    share=Rate(share),
                    wage=Money(wage),
                    months=Number(band_months),
                    first=Number(first),
                    last=Number(last),
                    amount=Money(amount),
                ),
            )
        )
        remaining, first = remaining - band_months, last + 1
    calc.note(Text(gettext_noop("STMB is paid to the employer as wage replacement, until recovery.")))
