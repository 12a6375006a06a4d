"""Properties that hold for every input: never negative, monotone, JP capped, totals add up, deterministic."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lindung.rules.benefits import BenefitQuery, jkk_benefit
from lindung.rules.contributions import SEGMENT_PROGRAMS, ContributionQuery, contribution, industries
from lindung.rules.errors import RuleInputError
from lindung.rules.parameters import rulebook
from lindung.rules.periods import Period
from lindung.rules.results import Result

PERIODS = st.builds(Period, st.integers(2014, 2028), st.integers(1, 12))
MONEY = st.integers(0, 500_000_000)
FUNDING = st.sampled_from(("apbd", "apbdes", "apbn", "mandiri", "pemberi_kerja", "csr"))


@st.composite
def queries(draw: st.DrawFn) -> ContributionQuery:
    segment = draw(st.sampled_from(("pu", "bpu", "jakon")))
    programs = draw(st.lists(st.sampled_from(SEGMENT_PROGRAMS[segment]), min_size=1, unique=True))
    if segment == "bpu":
        programs = sorted({*programs, "jkk", "jkm"})
    on_wages = segment == "pu" or draw(st.booleans())
    return ContributionQuery(
        period=draw(PERIODS),
        segment=segment,
        programs=tuple(programs),
        wage=draw(MONEY) if on_wages else None,
        income=draw(MONEY),
        contract_value=draw(st.integers(0, 20_000_000_000)),
        risk_class=draw(st.integers(1, 5)),
        funding=draw(FUNDING),
        sector=draw(st.sampled_from(("transportasi", "lainnya"))),
        industry=draw(st.sampled_from(industries())),
        workers=draw(st.integers(1, 1000)),
    )


def computed(query: ContributionQuery) -> Result:
    try:
        return contribution(query)
    except RuleInputError as error:
        # Only a period before the rule existed (JP, BPU before July 2015) may be refused here.
        assume(error.field != "period")
        raise


@given(queries())
@settings(max_examples=300)
def test_amounts_are_never_negative_and_shares_add_up(query: ContributionQuery) -> None:
    result = computed(query)

    assert all(item.amount >= 0 and item.basis >= 0 for item in result.items)
    assert all(item.employer_share is not None for item in result.items)
    assert all(item.worker_share is not None for item in result.items)
    assert all((item.employer_share or 0) + (item.worker_share or 0) == item.amount for item in result.items)
    assert result.total == sum(item.amount for item in result.items)


@given(queries(), MONEY, MONEY)
def test_contributions_are_monotone_in_the_wage_income_and_contract_value(query, low, high) -> None:
    low, high = sorted((low, high))

    cheaper = computed(replace(query, wage=low if query.wage is not None else None, income=low, contract_value=low))
    dearer = computed(replace(query, wage=high if query.wage is not None else None, income=high, contract_value=high))

    assert cheaper.total <= dearer.total


@given(PERIODS, MONEY)
def test_jp_basis_never_exceeds_the_cap_in_force(period: Period, wage: int) -> None:
    assume(period >= Period(2015, 7))
    result = contribution(ContributionQuery(period=period, segment="pu", programs=("jp",), wage=wage))

    cap = rulebook().at("pu.jp_wage_cap", period.first_day, field="period").value
    assert result.items[0].basis == min(wage, cap)


@given(queries())
def test_same_input_same_output(query: ContributionQuery) -> None:
    assert computed(query) == computed(query)


@given(
    st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from(("death", "total_disability", "stmb")),
    MONEY,
    MONEY,
)
def test_jkk_benefits_are_monotone_in_the_wage(event_date, kind, low, high) -> None:
    low, high = sorted((low, high))
    query = BenefitQuery(program="jkk", kind=kind, event_date=event_date, months=18, wage=low)

    assert 0 <= jkk_benefit(query).total <= jkk_benefit(replace(query, wage=high)).total
