"""Monthly contributions by segment (PU, BPU, jasa konstruksi), with relief periods, due date and penalty.

Rounding (see money.py): every share is rounded half up to whole rupiah on its own; the JP
wage is capped before the rate; the BPU income is mapped to its band's nominal before the
rate; construction brackets are rounded per bracket. A relief multiplies the normal rate by
its factor before the wage is applied, so the item's `rate` is the rate actually charged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from lindung.rules.errors import RuleInputError
from lindung.rules.money import decimal_of, floor_to, to_rupiah
from lindung.rules.parameters import Window, rulebook
from lindung.rules.periods import Period, months_late, next_working_day
from lindung.rules.results import Calculation, Item, Result, join_bases
from lindung.rules.text import Money, Number, Rate, Text, gettext_noop

SEGMENTS = ("pu", "bpu", "jakon")
PROGRAMS = ("jkk", "jkm", "jht", "jp")
SEGMENT_PROGRAMS = {"pu": ("jkk", "jkm", "jht", "jp"), "bpu": ("jkk", "jkm", "jht"), "jakon": ("jkk", "jkm")}
DEFAULT_PROGRAMS = {"pu": ("jkk", "jkm", "jht", "jp"), "bpu": ("jkk", "jkm"), "jakon": ("jkk", "jkm")}
FUNDING_SOURCES = ("apbd", "apbdes", "apbn", "mandiri", "pemberi_kerja", "csr")
SECTORS = ("transportasi", "lainnya")
RISK_CLASSES = (1, 2, 3, 4, 5)
FIRST_DAY = date(2014, 1, 1)

WAGE = Text(gettext_noop("wage"))
CAPPED_WAGE = gettext_noop("wage %(wage)s capped at the JP wage cap")
BAND_NOMINAL = Text(gettext_noop("band nominal"))
CONTRACT_PART = gettext_noop("contract value between %(low)s and %(high)s")
CONTRACT_TOP = gettext_noop("contract value above %(low)s")


@dataclass(frozen=True)
class ContributionQuery:
    """What a contribution depends on. Amounts are whole rupiah; `programs` None means the segment's default."""

    period: Period
    segment: str
    programs: tuple[str, ...] | None = None
    wage: int | None = None
    income: int | None = None
    contract_value: int | None = None
    risk_class: int | None = None
    funding: str = "mandiri"
    sector: str = "lainnya"
    industry: str | None = None
    workers: int | None = None
    paid_on: date | None = None


@dataclass(frozen=True)
class Relief:
    """A factor on the normal rate, and the window that grants it."""

    factor: Decimal
    window: Window


def industries() -> tuple[str, ...]:
    """Industry codes known to the data (PP 7/2025's list), plus 'lainnya'."""
    known = {code for window in rulebook().windows["pp7_2025"] for code in window.value["industries"]}
    return (*sorted(known), "lainnya")


def contribution(query: ContributionQuery) -> Result:
    """The contribution owed for one member (or one construction contract) for `query.period`."""
    _check(query)
    calc = Calculation()
    programs = query.programs or DEFAULT_PROGRAMS[query.segment]
    if query.segment == "pu":
        _pu(calc, query, programs)
    elif query.segment == "bpu":
        _bpu(calc, query, programs)
    else:
        _jakon(calc, query, programs)
    calc.due_date = due_date(query.period, query.segment, calc)
    if query.paid_on is not None:
        _penalty(calc, query)
    return calc.result()


def _check(query: ContributionQuery) -> None:
    if query.period.first_day < FIRST_DAY:
        raise RuleInputError("period", Text(gettext_noop("Must be 2014-01 or later.")))
    if query.segment not in SEGMENTS:
        raise RuleInputError("segment", Text(gettext_noop("Unknown segment; use pu, bpu or jakon.")))
    programs = query.programs or DEFAULT_PROGRAMS[query.segment]
    allowed = SEGMENT_PROGRAMS[query.segment]
    for program in programs:
        if program not in allowed:
            raise RuleInputError(
                "programs",
                Text(
                    gettext_noop("Program %(program)s is not available for segment %(segment)s (use %(allowed)s)."),
                    program=program,
                    segment=query.segment,
                    allowed=", ".join(allowed),
                ),
            )
    if query.segment == "bpu" and not {"jkk", "jkm"} <= set(programs):
        raise RuleInputError("programs", Text(gettext_noop("A BPU member always has JKK and JKM; JHT is optional.")))
    if query.segment == "pu":
        _require(query.wage, "wage", Text(gettext_noop("Required for segment PU.")))
        if "jkk" in programs:
            _require(query.risk_class, "risk_class", Text(gettext_noop("Required for JKK in segment PU (1 to 5).")))
    if query.segment == "bpu":
        _require(query.income, "income", Text(gettext_noop("Required for segment BPU.")))
    if query.segment == "jakon" and query.wage is None and query.contract_value is None:
        raise RuleInputError("contract_value", Text(gettext_noop("Give the contract value, or the wages when known.")))
    _check_amounts(query)
    if query.risk_class is not None and query.risk_class not in RISK_CLASSES:
        raise RuleInputError("risk_class", Text(gettext_noop("Must be a risk class from 1 to 5.")))
    if query.funding not in FUNDING_SOURCES:
        raise RuleInputError("funding", Text(gettext_noop("Unknown funding source.")))
    if query.sector not in SECTORS:
        raise RuleInputError("sector", Text(gettext_noop("Unknown sector; use transportasi or lainnya.")))
    if query.industry is not None and query.industry not in industries():
        raise RuleInputError("industry", Text(gettext_noop("Unknown industry.")))
    if query.paid_on is not None and query.paid_on < query.period.first_day:
        raise RuleInputError("paid_on", Text(gettext_noop("Cannot be before the period starts.")))


def _require(value: object, field: str, message: Text) -> None:
    if value is None:
        raise RuleInputError(field, message)


def _check_amounts(query: ContributionQuery) -> None:
    amounts = {"wage": query.wage, "income": query.income, "contract_value": query.contract_value}
    for field, amount in amounts.items():
        if amount is not None and amount < 0:
            raise RuleInputError(field, Text(gettext_noop("Cannot be negative.")))
    if query.workers is not None and query.workers < 1:
        raise RuleInputError("workers", Text(gettext_noop("Must be at least 1.")))


def _windows(key: str, period: Period) -> list[Window]:
    return [window for window in rulebook().windows[key] if window.covers(period.first_day)]


def _pp49_relief(calc: Calculation, period: Period) -> Relief | None:
    """PP 49/2020: JKK and JKM at 1% of normal for periods 2020-08..2021-01, every segment."""
    for window in _windows("pp49_2020", period):
        calc.use_window(window)
        return Relief(decimal_of(window.value["jkk_jkm_factor"]), window)
    return None


def _pp7_relief(calc: Calculation, query: ContributionQuery) -> Relief | None:
    """PP 7/2025: JKK halved for labour-intensive industries with at least 50 workers."""
    for window in _windows("pp7_2025", query.period):
        if query.industry not in window.value["industries"]:
            return None
        if query.workers is None or query.workers < window.value["min_workers"]:
            calc.note(
                Text(
                    gettext_noop("%(relief)s needs at least %(minimum)s workers; it does not apply."),
                    relief=window.title,
                    minimum=Number(window.value["min_workers"]),
                )
            )
            return None
        calc.use_window(window)
        return Relief(decimal_of(window.value["jkk_factor"]), window)
    return None


def _pp50_relief(calc: Calculation, query: ContributionQuery) -> Relief | None:
    """PP 50/2025: BPU JKK+JKM halved, by sector window, except when paid from APBN or APBD."""
    for window in _windows("pp50_2025", query.period):
        if query.sector not in window.value["sectors"]:
            continue
        if query.funding in window.value["excluded_funding"]:
            calc.note(
                Text(
                    gettext_noop("%(relief)s does not apply to contributions paid from %(funding)s."),
                    relief=window.title,
                    funding=query.funding.upper(),
                )
            )
            return None
        calc.use_window(window)
        return Relief(decimal_of(window.value["jkk_jkm_factor"]), window)
    return None


def _relieved(rate: Decimal, relief: Relief | None) -> Decimal:
    return rate if relief is None else rate * relief.factor


def _basis_with(legal_basis: str, relief: Relief | None) -> str:
    return legal_basis if relief is None else join_bases(legal_basis, relief.window.basis)


def _rate_formula(
    rate: Decimal, base_name: Text, basis: int, amount: int, relief: Relief | None, normal: Decimal
) -> Text:
    formula = Text(
        gettext_noop("%(rate)s × %(basis)s (%(base)s) = %(amount)s"),
        rate=Rate(rate),
        base=base_name,
        basis=Money(basis),
        amount=Money(amount),
    )
    if relief is None:
        return formula
    return Text(
        gettext_noop("%(formula)s (normal rate %(normal)s × %(factor)s, %(relief)s)"),
        formula=formula,
        normal=Rate(normal),
        factor=Rate(relief.factor),
        relief=relief.window.title,
    )


def _employer_item(
    program: str,
    component: str,
    *,
    basis: int,
    rate: Decimal,
    legal_basis: str,
    base_name: Text,
    relief: Relief | None = None,
) -> Item:
    """An item the employer (or sponsor) pays alone: JKK, JKM."""
    charged = _relieved(rate, relief)
    amount = to_rupiah(basis * charged)
    return Item(
        program=program,
        component=component,
        basis=basis,
        rate=charged,
        amount=amount,
        legal_basis=_basis_with(legal_basis, relief),
        formula=_rate_formula(charged, base_name, basis, amount, relief, rate),
        employer_share=amount,
        worker_share=0,
    )


def _shared_item(program: str, *, basis: int, shares: dict[str, object], legal_basis: str, base_name: Text) -> Item:
    """An item split between employer and worker (JHT, JP), each share rounded on its own."""
    employer_rate, worker_rate = decimal_of(shares["employer"]), decimal_of(shares["worker"])
    employer, worker = to_rupiah(basis * employer_rate), to_rupiah(basis * worker_rate)
    return Item(
        program=program,
        component="contribution",
        basis=basis,
        rate=employer_rate + worker_rate,
        amount=employer + worker,
        legal_basis=legal_basis,
        formula=Text(
            gettext_noop(
                "%(basis)s (%(base)s) × (%(employer_rate)s employer + %(worker_rate)s worker)"
                " = %(employer)s + %(worker)s"
            ),
            base=base_name,
            basis=Money(basis),
            employer_rate=Rate(employer_rate),
            worker_rate=Rate(worker_rate),
            employer=Money(employer),
            worker=Money(worker),
        ),
        employer_share=employer,
        worker_share=worker,
    )


def _pu(calc: Calculation, query: ContributionQuery, programs: tuple[str, ...]) -> None:
    assert query.wage is not None  # noqa: S101 - guaranteed by _check
    book, day, wage = rulebook(), query.period.first_day, query.wage
    pp49 = _pp49_relief(calc, query.period)
    if "jkk" in programs:
        assert query.risk_class is not None  # noqa: S101 - guaranteed by _check
        entry = calc.use(book.at("pu.jkk_rate", day, field="period"))
        relief = pp49 or _pp7_relief(calc, query)
        component = f"risk_class_{query.risk_class}"
        rate = decimal_of(entry.value[query.risk_class])
        calc.add(
            _employer_item(
                "jkk", component, basis=wage, rate=rate, legal_basis=entry.basis, base_name=WAGE, relief=relief
            )
        )
    if "jkm" in programs:
        entry = calc.use(book.at("pu.jkm_rate", day, field="period"))
        calc.add(
            _employer_item(
                "jkm",
                "contribution",
                basis=wage,
                rate=decimal_of(entry.value),
                legal_basis=entry.basis,
                base_name=WAGE,
                relief=pp49,
            )
        )
    if "jht" in programs:
        entry = calc.use(book.at("pu.jht_rate", day, field="period"))
        calc.add(_shared_item("jht", basis=wage, shares=entry.value, legal_basis=entry.basis, base_name=WAGE))
    if "jp" in programs:
        if query.programs is None and day < book.parameters["pu.jp_rate"].entries[0].starts:
            # JP began in July 2015: by default it is simply left out before then; asked for, it is an error.
            calc.note(Text(gettext_noop("JP did not exist yet in this period (it began in July 2015).")))
            return
        _jp(calc, query.period, wage)


def _jp(calc: Calculation, period: Period, wage: int) -> None:
    book, day = rulebook(), period.first_day
    rates = calc.use(book.at("pu.jp_rate", day, field="period"))
    cap = calc.use(book.at("pu.jp_wage_cap", day, field="period"))
    capped = min(wage, int(cap.value))
    base_name = Text(CAPPED_WAGE, wage=Money(wage)) if wage > capped else WAGE
    legal_basis = join_bases(rates.basis, cap.basis)
    calc.add(_shared_item("jp", basis=capped, shares=rates.value, legal_basis=legal_basis, base_name=base_name))
    if _windows("pp49_2020", period):
        calc.note(
            Text(
                gettext_noop(
                    "PP 49/2020: a qualifying employer may defer 99% of the JP contribution; the full amount is shown."
                )
            )
        )


def band_nominal(income: int, bands: dict[str, int]) -> int:
    """The nominal of a BPU income's band: its lower bound, within the lowest and highest nominals."""
    return max(bands["lowest"], min(bands["highest"], floor_to(income, bands["step"])))


def _bpu(calc: Calculation, query: ContributionQuery, programs: tuple[str, ...]) -> None:
    assert query.income is not None  # noqa: S101 - guaranteed by _check
    book, day = rulebook(), query.period.first_day
    bands = book.at("bpu.income_bands", day, field="period")
    nominal = band_nominal(query.income, bands.value)
    if nominal not in (bands.value["lowest"], bands.value["highest"]):
        calc.use(bands)  # only the lowest and highest nominals are confirmed; the steps between are not
    relief = _pp49_relief(calc, query.period) or _pp50_relief(calc, query)
    jkk = calc.use(book.at("bpu.jkk_rate", day, field="period"))
    calc.add(
        _bpu_item(
            _employer_item(
                "jkk",
                "contribution",
                basis=nominal,
                rate=decimal_of(jkk.value),
                legal_basis=join_bases(jkk.basis, bands.basis),
                base_name=BAND_NOMINAL,
                relief=relief,
            )
        )
    )
    calc.add(_bpu_jkm(calc, day, nominal, relief))
    if "jht" in programs:
        jht = calc.use(book.at("bpu.jht_rate", day, field="period"))
        calc.add(
            _bpu_item(
                _employer_item(
                    "jht",
                    "contribution",
                    basis=nominal,
                    rate=decimal_of(jht.value),
                    legal_basis=jht.basis,
                    base_name=BAND_NOMINAL,
                )
            )
        )
    if query.income != nominal:
        calc.note(
            Text(
                gettext_noop("Declared income %(income)s falls in the band with nominal %(nominal)s."),
                income=Money(query.income),
                nominal=Money(nominal),
            )
        )
    if query.funding != "mandiri":
        calc.note(
            Text(gettext_noop("Paid on the member's behalf (funding: %(funding)s)."), funding=query.funding.upper())
        )


def _bpu_item(item: Item) -> Item:
    """A BPU member owes the whole amount; there is no employer share."""
    return Item(**{**item.__dict__, "employer_share": 0, "worker_share": item.amount})


def _bpu_jkm(calc: Calculation, day: date, nominal: int, relief: Relief | None) -> Item:
    entry = calc.use(rulebook().at("bpu.jkm_flat", day, field="period"))
    flat = int(entry.value)
    amount = to_rupiah(_relieved(Decimal(flat), relief))
    formula = Text(gettext_noop("flat %(flat)s a month"), flat=Money(flat))
    if relief is not None:
        formula = Text(
            gettext_noop("flat %(flat)s × %(factor)s (%(relief)s) = %(amount)s"),
            flat=Money(flat),
            factor=Rate(relief.factor),
            relief=relief.window.title,
            amount=Money(amount),
        )
    return Item(
        program="jkm",
        component="contribution",
        basis=nominal,
        rate=None,
        amount=amount,
        legal_basis=_basis_with(entry.basis, relief),
        formula=formula,
        employer_share=0,
        worker_share=amount,
    )


def _jakon(calc: Calculation, query: ContributionQuery, programs: tuple[str, ...]) -> None:
    book, day = rulebook(), query.period.first_day
    relief = _pp49_relief(calc, query.period)
    if query.wage is not None:
        rates = calc.use(book.at("jakon.wage_rates", day, field="period"))
        for program in programs:
            calc.add(
                _employer_item(
                    program,
                    "wages",
                    basis=query.wage,
                    rate=decimal_of(rates.value[program]),
                    legal_basis=rates.basis,
                    base_name=WAGE,
                    relief=relief,
                )
            )
        return
    assert query.contract_value is not None  # noqa: S101 - guaranteed by _check
    sources = {"jkk": "jakon.contract_brackets", "jkm": "jakon.contract_jkm_brackets"}
    for program in programs:
        entry = calc.use(book.at(sources[program], day, field="period"))
        for item in _brackets(program, query.contract_value, entry.value[program], entry.basis, relief):
            calc.add(item)


def _brackets(
    program: str, contract_value: int, brackets: list[dict[str, Any]], legal_basis: str, relief: Relief | None
) -> list[Item]:
    """Marginal brackets: each rate on the part of the contract value inside its bracket; rounded per bracket."""
    items, low = [], 0
    for number, bracket in enumerate(brackets, start=1):
        if contract_value <= low:
            break
        high = None if bracket.get("up_to") is None else int(bracket["up_to"])
        if high is None:
            part, base_name = contract_value - low, Text(CONTRACT_TOP, low=Money(low))
        else:
            part, base_name = min(contract_value, high) - low, Text(CONTRACT_PART, low=Money(low), high=Money(high))
        items.append(
            _employer_item(
                program,
                f"contract_bracket_{number}",
                basis=part,
                rate=decimal_of(bracket["rate"]),
                legal_basis=legal_basis,
                base_name=base_name,
                relief=relief,
            )
        )
        low = high if high is not None else low
    return items


def due_date(period: Period, segment: str, calc: Calculation | None = None) -> date:
    """The day the period's contribution is due: the segment's rule, PP 49/2020's 30th in its window,
    moved to the next working day when it falls on a weekend or national holiday."""
    rule = rulebook().at("due_date", period.first_day, field="period")
    if calc is not None:
        calc.use(rule)
    months_after, day = rule.value[segment]["months_after"], rule.value[segment]["day"]
    for window in _windows("pp49_2020", period):
        months_after, day = 1, window.value["due_day"]
    return next_working_day(period.shifted(months_after).day(day))


def _penalty(calc: Calculation, query: ContributionQuery) -> None:
    """Late payment: the monthly penalty rate × started months late × the contribution owed."""
    assert query.paid_on is not None  # noqa: S101 - caller checked
    assert calc.due_date is not None  # noqa: S101 - set before
    months = months_late(calc.due_date, query.paid_on)
    if months == 0:
        return
    calc.use(rulebook().at("late_penalty", query.period.first_day, field="period"))
    rate = penalty_rate(query.period, query.segment)
    if rate is None:
        calc.note(
            Text(
                gettext_noop(
                    "BPU has no late penalty; after more than 3 consecutive unpaid months the membership ends."
                )
            )
        )
        return
    monthly, legal_basis = rate
    owed = sum(item.amount for item in calc.items)
    amount = to_rupiah(owed * monthly * months)
    calc.add(
        Item(
            program="denda",
            component="late_penalty",
            basis=owed,
            rate=monthly,
            amount=amount,
            legal_basis=legal_basis,
            formula=Text(
                gettext_noop("%(rate)s a month × %(months)s months late × %(basis)s = %(amount)s"),
                rate=Rate(monthly),
                months=Number(months),
                basis=Money(owed),
                amount=Money(amount),
            ),
            employer_share=amount,
            worker_share=0,
        )
    )


def penalty_rate(period: Period, segment: str) -> tuple[Decimal, str] | None:
    """The monthly late-payment penalty rate for `period`'s contributions of `segment`, with its legal
    basis; PP 49/2020's window lowers it. None for BPU, which lapses instead of paying a penalty."""
    rule = rulebook().at("late_penalty", period.first_day, field="period")
    if segment not in rule.value:
        return None
    monthly, legal_basis = decimal_of(rule.value[segment]), rule.basis
    for window in _windows("pp49_2020", period):
        monthly, legal_basis = decimal_of(window.value["penalty_rate"]), window.basis
    return monthly, legal_basis


@dataclass(frozen=True)
class PlanMonth:
    period: Period
    per_member: int
    total: int
    unconfirmed: bool


def monthly_plan(query: ContributionQuery, *, members: int, months: int = 12) -> list[PlanMonth]:
    """The cost of `members` identical members for `months` periods from `query.period`, month by month,
    each month by the rules in force then (reliefs, JP cap); no penalty."""
    plan = []
    for offset in range(months):
        month = query.period.shifted(offset)
        result = contribution(replace(query, period=month, paid_on=None))
        plan.append(
            PlanMonth(
                period=month, per_member=result.total, total=result.total * members, unconfirmed=result.unconfirmed
            )
        )
    return plan


@dataclass(frozen=True)
class WageFloor:
    """The lowest wage (PU) or declared income (BPU) the rules accept on a day, with its basis."""

    amount: int
    legal_basis: str
    confirmed: bool


def wage_floor(segment: str, day: date) -> WageFloor | None:
    """PU: the lowest provincial minimum wage of the year (`pu.wage_floor`); BPU: the lowest income
    band's nominal (PP 44/2015 Lampiran II). None for Jakon (priced on the contract value) and before
    a floor is in the rules."""
    key = {"pu": "pu.wage_floor", "bpu": "bpu.income_bands"}.get(segment)
    if key is None:
        return None
    try:
        entry = rulebook().at(key, day, field="starts_on")
    except RuleInputError:
        return None
    amount = entry.value["lowest"] if segment == "bpu" else entry.value
    return WageFloor(int(amount), entry.basis, entry.confirmed)
