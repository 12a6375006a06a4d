"""Entitlements that are more than an amount: children's scholarships, JHT payout, and the order of heirs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lindung.rules.errors import RuleInputError
from lindung.rules.money import decimal_of, to_rupiah
from lindung.rules.parameters import Entry, rulebook
from lindung.rules.results import Calculation, Item, Result
from lindung.rules.text import Money, Number, Rate, Text, gettext_noop

LEVELS = ("belum_sekolah", "tk", "sd", "smp", "sma", "s1")
CAUSES = ("jkm", "jkk")
JHT_REASONS = (
    "pensiun",
    "cacat_total",
    "meninggal",
    "berhenti_bekerja",
    "phk",
    "kontrak_selesai",
    "bpu_berhenti",
    "wna_pulang",
    "sebagian_perumahan",
    "sebagian_lainnya",
)
RELATIVES = ("spouse", "child", "parent", "grandchild", "grandparent", "sibling", "parent_in_law", "designated")


@dataclass(frozen=True)
class Child:
    """A member's child as the scholarship rules see it: birth date and school level now."""

    birth_date: date
    level: str


def full_years(start: date, end: date) -> int:
    """Completed years from `start` to `end` (birthdays and membership anniversaries)."""
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def _min_years(calc: Calculation, entry: Entry, cause: str, event_date: date) -> int:
    if cause == "jkk":
        return int(calc.use(rulebook().at("scholarship.jkk_min_years", event_date, field="event_date")).value)
    return int(entry.value["min_years"][cause])


def add_scholarships(
    calc: Calculation,
    *,
    cause: str,
    event_date: date,
    start: date | None,
    children: Sequence[Child],
    on_date: date | None = None,
) -> None:
    """Add the children's scholarship items (or say why not) to a death or total-disability benefit.

    At most `max_children` children, taken in the order given; a child at or above `max_age`
    on `on_date` (the school-year claim date, default the event date) no longer receives it.
    """
    entry = calc.use(rulebook().at("scholarship", event_date, field="event_date"))
    maximum = int(entry.value["max_children"])
    if maximum == 0:
        if children:
            calc.note(Text(gettext_noop("No scholarship existed for events on this date.")))
        return
    min_years = _min_years(calc, entry, cause, event_date)
    if not children:
        calc.note(
            Text(
                gettext_noop(
                    "Scholarship: up to %(children)s children when contributions reach %(years)s years;"
                    " give the children to compute it."
                ),
                children=Number(maximum),
                years=Number(min_years),
            )
        )
        return
    if min_years > 0 and start is None:
        raise RuleInputError(
            "membership_start",
            Text(gettext_noop("Required to check the minimum contribution years for a scholarship.")),
        )
    if start is not None and full_years(start, event_date) < min_years:
        calc.note(
            Text(
                gettext_noop("No scholarship: %(years)s full years of contributions, %(minimum)s required."),
                years=Number(full_years(start, event_date)),
                minimum=Number(min_years),
            )
        )
        return
    for number, child in enumerate(children, start=1):
        _child_scholarship(calc, entry, number, child, on_date or event_date, maximum)


def _child_scholarship(calc: Calculation, entry: Entry, number: int, child: Child, on_date: date, maximum: int) -> None:
    if number > maximum:
        calc.note(Text(gettext_noop("Child %(number)s: at most %(maximum)s children."), number=number, maximum=maximum))
        return
    if "lump_sum" in entry.value:
        amount = int(entry.value["lump_sum"])
        calc.add(_scholarship_item(number, "lump_sum", amount, entry, Text(gettext_noop("one child, paid once"))))
        return
    age = full_years(child.birth_date, on_date)
    if age >= int(entry.value["max_age"]):
        calc.note(
            Text(
                gettext_noop("Child %(number)s is %(age)s on %(day)s: the scholarship ends at %(max_age)s."),
                number=number,
                age=Number(age),
                day=on_date.isoformat(),
                max_age=Number(int(entry.value["max_age"])),
            )
        )
        return
    if child.level == "belum_sekolah":
        calc.note(Text(gettext_noop("Child %(number)s: entitled from the year they enter school."), number=number))
        return
    level = entry.value["levels"][child.level]
    yearly, years = int(level["yearly"]), int(level["years"])
    explanation = Text(
        gettext_noop("%(yearly)s a year for %(level)s, at most %(years)s years (%(cap)s)"),
        yearly=Money(yearly),
        level=child.level.upper(),
        years=Number(years),
        cap=Money(yearly * years),
    )
    calc.add(_scholarship_item(number, child.level, yearly, entry, explanation))


def _scholarship_item(number: int, level: str, amount: int, entry: Entry, formula: Text) -> Item:
    return Item(
        program="beasiswa",
        component=f"child_{number}_{level}",
        basis=amount,
        rate=None,
        amount=amount,
        legal_basis=entry.basis,
        formula=formula,
    )


def scholarship_benefit(
    *, cause: str, event_date: date, membership_start: date | None, children: Sequence[Child], on_date: date | None
) -> Result:
    """The yearly scholarship for each entitled child on `on_date` (default: the event date)."""
    if cause not in CAUSES:
        raise RuleInputError("cause", Text(gettext_noop("Use jkm or jkk.")))
    if not children:
        raise RuleInputError("children", Text(gettext_noop("Give at least one child (birth date and level).")))
    if on_date is not None and on_date < event_date:
        raise RuleInputError("on_date", Text(gettext_noop("Cannot be before the event date.")))
    calc = Calculation()
    add_scholarships(
        calc, cause=cause, event_date=event_date, start=membership_start, children=children, on_date=on_date
    )
    calc.eligible = bool(calc.items)
    return calc.result()


@dataclass(frozen=True)
class JhtQuery:
    reason: str
    event_date: date
    membership_start: date | None = None
    birth_date: date | None = None
    balance: int | None = None


def jht_payout(query: JhtQuery) -> Result:
    """Whether the JHT balance can be paid for `reason`, when, and how much (full, or 30%/10% partial)."""
    if query.reason not in JHT_REASONS:
        raise RuleInputError("reason", Text(gettext_noop("Unknown payout reason.")))
    if query.balance is not None and query.balance < 0:
        raise RuleInputError("balance", Text(gettext_noop("Cannot be negative.")))
    calc = Calculation()
    entry = calc.use(rulebook().at("jht.payout", query.event_date, field="event_date"))
    refusal = _jht_refusal(query, entry)
    calc.eligible = refusal is None
    if refusal is not None:
        calc.note(refusal)
        return calc.result()
    waiting = entry.value["waiting_months"].get(query.reason)
    if waiting:
        calc.note(
            Text(
                gettext_noop("Payable %(months)s month after the work ended."),
                months=Number(int(waiting)),
            )
        )
    if query.balance is not None:
        calc.add(_jht_item(query, entry, query.balance))
    return calc.result()


def _jht_refusal(query: JhtQuery, entry: Entry) -> Text | None:
    """Why the reason does not (yet) allow a payout, or None."""
    if query.reason == "pensiun":
        if query.birth_date is None:
            raise RuleInputError("birth_date", Text(gettext_noop("Required for a pension-age payout.")))
        age, pension_age = full_years(query.birth_date, query.event_date), int(entry.value["pension_age"])
        if age < pension_age:
            return Text(
                gettext_noop("Age %(age)s on %(day)s; the pension age is %(pension_age)s."),
                age=Number(age),
                day=query.event_date.isoformat(),
                pension_age=Number(pension_age),
            )
    if query.reason in entry.value["partial_share"]:
        if query.membership_start is None:
            raise RuleInputError("membership_start", Text(gettext_noop("Required for a partial payout.")))
        years, minimum = full_years(query.membership_start, query.event_date), int(entry.value["partial_min_years"])
        if years < minimum:
            return Text(
                gettext_noop("A partial payout needs %(minimum)s years of membership; there are %(years)s."),
                minimum=Number(minimum),
                years=Number(years),
            )
    return None


def _jht_item(query: JhtQuery, entry: Entry, balance: int) -> Item:
    share = decimal_of(entry.value["partial_share"].get(query.reason, "1"))
    amount = balance if share == 1 else to_rupiah(Decimal(balance) * share)
    return Item(
        program="jht",
        component="full_payout" if share == 1 else query.reason,
        basis=balance,
        rate=share,
        amount=amount,
        legal_basis=entry.basis,
        formula=Text(
            gettext_noop("%(share)s × balance %(balance)s = %(amount)s"),
            share=Rate(share),
            balance=Money(balance),
            amount=Money(amount),
        ),
    )


@dataclass(frozen=True)
class HeirChoice:
    """Who receives: the positions (in the given list) of the relatives of the first non-empty group."""

    group: int | None
    positions: tuple[int, ...]
    reason: Text
    legal_basis: str


def heirs(relatives: Sequence[str], on_date: date) -> HeirChoice:
    """The heirs among `relatives` (relation codes) in the legal order: spouse and children first, then
    parents, grandchildren and grandparents, then siblings, parents-in-law, the person named in a will."""
    for position, relation in enumerate(relatives):
        if relation not in RELATIVES:
            raise RuleInputError(
                "relatives",
                Text(gettext_noop("Unknown relation at position %(position)s."), position=Number(position + 1)),
            )
    entry = rulebook().at("heirs.order", on_date, field="event_date")
    for group, members in enumerate(entry.value, start=1):
        positions = tuple(index for index, relation in enumerate(relatives) if relation in members)
        if positions:
            return HeirChoice(
                group=group,
                positions=positions,
                reason=Text(
                    gettext_noop("Group %(group)s of the legal order (%(members)s): no one in an earlier group."),
                    group=Number(group),
                    members=", ".join(members),
                )
                if group > 1
                else Text(gettext_noop("Group 1 of the legal order: spouse and children.")),
                legal_basis=entry.basis,
            )
    return HeirChoice(
        group=None,
        positions=(),
        reason=Text(
            gettext_noop(
                "No heir: the JHT balance goes to the Balai Harta Peninggalan; the funeral cost to whoever"
                " arranged the burial."
            )
        ),
        legal_basis=entry.basis,
    )
