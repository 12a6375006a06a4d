"""Bad input names its field and says why, in words: every check of the rules and of the text input
that every door (CLI, API, pages) shares. The exact English message is asserted, not only the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from lindung.rules.benefits import BenefitQuery, CareCosts, jkk_benefit, jkk_medical
from lindung.rules.contributions import ContributionQuery, contribution
from lindung.rules.errors import RuleInputError
from lindung.rules.inputs import calculate_benefit, calculate_contribution, choose_heirs
from lindung.rules.periods import Period
from lindung.rules.tests.helpers import ENGLISH
from lindung.rules.text import render

PU = {"period": "2024-05", "segment": "pu", "wage": "3000000", "risk_class": "1"}
BPU = {"period": "2024-05", "segment": "bpu", "income": "1000000"}
LEVEL_HELP = "Write each child as BIRTHDATE:LEVEL (level: belum_sekolah, tk, sd, smp, sma, s1), separated by commas."


def refusal(call, *args) -> tuple[str, str]:
    with pytest.raises(RuleInputError) as raised:
        call(*args)
    assert str(raised.value).startswith(f"{raised.value.field}: ")
    return raised.value.field, render(raised.value.message, ENGLISH)


CONTRIBUTION_ERRORS = [
    ({**PU, "period": "2013-12"}, ("period", "Must be 2014-01 or later.")),
    ({**PU, "period": ""}, ("period", "Required.")),
    ({**PU, "period": "2024-13"}, ("period", "Must be a month written YYYY-MM.")),
    ({**PU, "period": "24-05"}, ("period", "Must be a month written YYYY-MM.")),
    ({**PU, "segment": ""}, ("segment", "Required.")),
    ({**PU, "segment": "asn"}, ("segment", "Unknown segment; use pu, bpu or jakon.")),
    ({**PU, "programs": "jkk,jkx"}, ("programs", "Unknown program jkx; use jkk, jkm, jht or jp.")),
    (
        {**BPU, "programs": "jkk,jkm,jp"},
        ("programs", "Program jp is not available for segment bpu (use jkk, jkm, jht)."),
    ),
    ({**BPU, "programs": "jkk"}, ("programs", "A BPU member always has JKK and JKM; JHT is optional.")),
    ({**BPU, "programs": "jkm,jht"}, ("programs", "A BPU member always has JKK and JKM; JHT is optional.")),
    ({"period": "2024-05", "segment": "pu", "risk_class": "1"}, ("wage", "Required for segment PU.")),
    ({**PU, "risk_class": ""}, ("risk_class", "Required for JKK in segment PU (1 to 5).")),
    ({**PU, "risk_class": "6"}, ("risk_class", "Must be a risk class from 1 to 5.")),
    ({**PU, "risk_class": "0"}, ("risk_class", "Must be a risk class from 1 to 5.")),
    ({**PU, "risk_class": "satu"}, ("risk_class", "Must be a whole number.")),
    ({"period": "2024-05", "segment": "bpu"}, ("income", "Required for segment BPU.")),
    (
        {"period": "2024-05", "segment": "jakon"},
        ("contract_value", "Give the contract value, or the wages when known."),
    ),
    ({**PU, "wage": "-1.000"}, ("wage", "Cannot be negative.")),
    ({**PU, "wage": "3,5 juta"}, ("wage", "Must be a whole number of rupiah, for example 1500000.")),
    ({**PU, "wage": "1.50.000"}, ("wage", "Must be a whole number of rupiah, for example 1500000.")),
    ({**BPU, "funding": "hibah"}, ("funding", "Unknown funding source.")),
    ({**BPU, "sector": "pertanian"}, ("sector", "Unknown sector; use transportasi or lainnya.")),
    ({**PU, "industry": "tambang"}, ("industry", "Unknown industry.")),
    ({**PU, "workers": "0"}, ("workers", "Must be at least 1.")),
    ({**PU, "workers": "lima"}, ("workers", "Must be a whole number.")),
    ({**PU, "paid_on": "2024-04-30"}, ("paid_on", "Cannot be before the period starts.")),
    ({**PU, "paid_on": "2024-5-20"}, ("paid_on", "Must be a date written YYYY-MM-DD.")),
    ({**PU, "paid_on": "2024-02-30"}, ("paid_on", "Must be a date written YYYY-MM-DD.")),
    (
        {**BPU, "period": "2015-06"},
        ("period", "No rule in force on 2015-06-01 for BPU income bands; the first applies from 2015-07-01."),
    ),
]


@pytest.mark.parametrize(("raw", "expected"), CONTRIBUTION_ERRORS, ids=lambda v: str(v)[:60])
def test_contribution_input_errors(raw, expected):
    assert refusal(calculate_contribution, raw) == expected


@pytest.mark.parametrize(
    ("raw", "total"),
    [
        # Every PU program: 0.24% + 0.3% + 5.7% + 3% of 3,000,000 = 7,200 + 9,000 + 171,000 + 90,000.
        ({**PU, "paid_on": "2024-05-01"}, 277_200),  # paid on the period's first day: allowed, not late
        ({**PU, "workers": "1", "industry": "tekstil"}, 277_200),
        ({**PU, "risk_class": "5", "programs": "jkk"}, 52_200),
        ({"period": "2024-05", "segment": "pu", "wage": "3.000.000", "programs": "jkm"}, 9_000),
        ({**BPU, "programs": "JKM, jkk ,jkk"}, 16_800),
        ({**PU, "wage": " 3000000 ", "programs": "jkk,jkm", "funding": " APBD "}, 16_200),
    ],
)
def test_input_at_the_edge_of_each_check_is_accepted(raw, total):
    result = calculate_contribution(raw)
    assert result.total == total


@pytest.mark.parametrize(
    ("segment", "field", "zero_total"),
    [("pu", "wage", 0), ("bpu", "income", 16_800), ("jakon", "contract_value", 0)],
)
def test_a_negative_amount_given_to_the_rules_directly_is_refused(segment, field, zero_total):
    def query(amount: int) -> ContributionQuery:
        changes: dict[str, Any] = {field: amount}
        return replace(ContributionQuery(period=Period(2024, 5), segment=segment, risk_class=1), **changes)

    assert refusal(contribution, query(-1)) == (field, "Cannot be negative.")
    # Zero is an amount: BPU's lowest band still applies (1% of 1,000,000 + JKM 6,800).
    assert contribution(query(0)).total == zero_total


BENEFIT_ERRORS = [
    ({}, ("program", "Required.")),
    ({"program": "jp", "event_date": "2024-01-10"}, ("program", "Unknown program; use jkm, jkk, beasiswa or jht.")),
    ({"program": "jkm"}, ("event_date", "Required.")),
    ({"program": "jkm", "event_date": "2013-12-31"}, ("event_date", "Must be 2014-01-01 or later.")),
    ({"program": "jkm", "event_date": "10-01-2024"}, ("event_date", "Must be a date written YYYY-MM-DD.")),
    (
        {"program": "jkm", "event_date": "2024-01-10", "membership_start": "2024-01-11"},
        ("membership_start", "Cannot be after the event date."),
    ),
    ({"program": "jkk", "event_date": "2024-01-10", "wage": "3000000"}, ("kind", "Required.")),
    (
        {"program": "jkk", "kind": "sakit", "event_date": "2024-01-10", "wage": "1"},
        ("kind", "Use death, disability, total_disability or stmb."),
    ),
    (
        {"program": "jkk", "kind": "death", "event_date": "2024-01-10"},
        ("wage", "Required for JKK: the last monthly wage reported."),
    ),
    (
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "1"},
        ("percentage", "Required: the percentage from the disability table."),
    ),
    (
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "1", "percentage": "0"},
        ("percentage", "Must be more than 0 and at most 100."),
    ),
    (
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "1", "percentage": "100.01"},
        ("percentage", "Must be more than 0 and at most 100."),
    ),
    (
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "1", "percentage": "empat"},
        ("percentage", "Must be a number, for example 40 or 12.5."),
    ),
    (
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "1", "percentage": "Infinity"},
        ("percentage", "Must be a number, for example 40 or 12.5."),
    ),
    (
        {
            "program": "jkk",
            "kind": "disability",
            "event_date": "2024-01-10",
            "wage": "1",
            "percentage": "40",
            "function_loss": "0",
        },
        ("function_loss", "Must be more than 0 and at most 100."),
    ),
    (
        {"program": "jkk", "kind": "stmb", "event_date": "2024-01-10", "wage": "1"},
        ("months", "Required for STMB: the months unable to work."),
    ),
    (
        {"program": "jkk", "kind": "stmb", "event_date": "2024-01-10", "wage": "1", "months": "0"},
        ("months", "Must be at least 1."),
    ),
    ({"program": "jkm", "event_date": "2024-01-10", "children": "2012-05-01"}, ("children", LEVEL_HELP)),
    ({"program": "jkm", "event_date": "2024-01-10", "children": "2012-05-01:kuliah"}, ("children", LEVEL_HELP)),
    (
        {"program": "jkm", "event_date": "2024-01-10", "children": "kemarin:sd"},
        ("children", "Must be a date written YYYY-MM-DD."),
    ),
    ({"program": "beasiswa", "event_date": "2024-01-10"}, ("cause", "Required.")),
    ({"program": "beasiswa", "event_date": "2024-01-10", "cause": "sakit"}, ("cause", "Use jkm or jkk.")),
    (
        {"program": "beasiswa", "event_date": "2024-01-10", "cause": "jkm"},
        ("children", "Give at least one child (birth date and level)."),
    ),
    (
        {
            "program": "beasiswa",
            "event_date": "2024-01-10",
            "cause": "jkm",
            "children": "2012-05-01:sd",
            "on_date": "2024-01-09",
        },
        ("on_date", "Cannot be before the event date."),
    ),
    ({"program": "jht", "event_date": "2024-01-10"}, ("reason", "Required.")),
    ({"program": "jht", "event_date": "2024-01-10", "reason": "menikah"}, ("reason", "Unknown payout reason.")),
]


@pytest.mark.parametrize(("raw", "expected"), BENEFIT_ERRORS, ids=lambda v: str(v)[:70])
def test_benefit_input_errors(raw, expected):
    assert refusal(calculate_benefit, raw) == expected


def test_benefit_checks_given_to_the_rules_directly():
    base = BenefitQuery(program="jkk", event_date=date(2024, 1, 10), kind="death")
    assert refusal(jkk_benefit, replace(base, wage=-1)) == ("wage", "Cannot be negative.")
    assert jkk_benefit(replace(base, wage=0)).total == 20_000_000 + 10_000_000 + 12_000_000
    assert refusal(jkk_benefit, replace(base, event_date=date(2013, 12, 31), wage=1)) == (
        "event_date",
        "Must be 2014-01-01 or later.",
    )
    # A membership that starts on the event date itself is allowed.
    assert jkk_benefit(replace(base, wage=1, membership_start=date(2024, 1, 10))).eligible is True
    for name in ("medical", "transport", "home_care"):
        negative: dict[str, Any] = {name: -1}
        costs = replace(CareCosts(), **negative)
        assert refusal(jkk_medical, date(2024, 1, 10), costs) == (name, "Cannot be negative.")
    assert refusal(jkk_medical, date(2024, 1, 10), CareCosts(transport=100, transport_mode="kuda")) == (
        "transport_mode",
        "Say how the worker was carried: land, sea or air.",
    )
    assert refusal(jkk_medical, date(2013, 12, 31), CareCosts()) == ("event_date", "Must be 2014-01-01 or later.")


def test_heir_input_errors():
    assert refusal(choose_heirs, {"relatives": "spouse"}) == ("event_date", "Required.")
    assert refusal(choose_heirs, {"relatives": "spouse,tetangga", "event_date": "2024-01-10"}) == (
        "relatives",
        "Unknown relation at position 2.",
    )
