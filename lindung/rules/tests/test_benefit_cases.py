"""Worked benefit cases by event date, each citing its regulation, with the era boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.rules.entitlements import heirs
from lindung.rules.tests.helpers import amounts, benefit_json, has_unconfirmed_note


@pytest.mark.parametrize(
    ("event_date", "expected", "unconfirmed"),
    [
        pytest.param("2015-06-30", (14_200_000, 4_800_000, 2_000_000), False, id="PP53/2012: the day before PP44/2015"),
        pytest.param("2015-07-01", (16_200_000, 4_800_000, 3_000_000), True, id="PP44/2015: its first day"),
        pytest.param("2019-12-01", (16_200_000, 4_800_000, 3_000_000), True, id="PP44/2015: the day before PP82/2019"),
        pytest.param("2019-12-02", (20_000_000, 12_000_000, 10_000_000), True, id="PP82/2019: first day, unsure start"),
        pytest.param("2020-06-15", (20_000_000, 12_000_000, 10_000_000), False, id="PP82/2019: settled era"),
    ],
)
def test_jkm_eras(event_date, expected, unconfirmed) -> None:
    body = benefit_json(program="jkm", event_date=event_date, membership_start="2014-01-01")

    assert amounts(body) == dict(zip(("jkm/lump_sum", "jkm/periodic", "jkm/funeral"), expected, strict=True))
    assert body["total"] == sum(expected)
    assert has_unconfirmed_note(body) is unconfirmed


def test_jkm_totals_are_21_24_and_42_million() -> None:
    totals = [
        benefit_json(program="jkm", event_date=day)["total"] for day in ("2015-01-10", "2018-01-10", "2024-01-10")
    ]

    assert totals == [21_000_000, 24_000_000, 42_000_000]


@pytest.mark.parametrize(
    ("wage", "lump_sum"),
    [
        pytest.param("3000000", 144_000_000, id="PP82/2019: 48 x 3,000,000"),
        pytest.param("416667", 20_000_016, id="PP82/2019: 48 x wage just above the minimum"),
        pytest.param("300000", 20_000_000, id="PP82/2019: never below the JKM lump sum 20,000,000"),
    ],
)
def test_jkk_death(wage, lump_sum) -> None:
    body = benefit_json(program="jkk", kind="death", event_date="2024-03-01", wage=wage)

    assert amounts(body) == {"jkk/lump_sum": lump_sum, "jkk/funeral": 10_000_000, "jkk/periodic": 12_000_000}


def test_jkk_death_before_pp82_uses_that_eras_minimum_and_is_flagged() -> None:
    body = benefit_json(program="jkk", kind="death", event_date="2018-03-01", wage="300000")

    assert amounts(body) == {"jkk/lump_sum": 16_200_000, "jkk/funeral": 3_000_000, "jkk/periodic": 4_800_000}
    assert has_unconfirmed_note(body)


def test_jkk_partial_disability_is_percentage_x_80_x_wage() -> None:
    body = benefit_json(program="jkk", kind="disability", event_date="2024-03-01", wage="5000000", percentage="40")

    assert amounts(body) == {"jkk/partial_disability": 160_000_000}  # 40% x 80 x 5,000,000 (PP 82/2019 Lampiran III)


def test_jkk_functional_disability_multiplies_the_function_lost() -> None:
    body = benefit_json(
        program="jkk", kind="disability", event_date="2024-03-01", wage="5000000", percentage="40", function_loss="50"
    )

    assert amounts(body) == {"jkk/partial_disability": 80_000_000}


def test_jkk_total_permanent_disability() -> None:
    body = benefit_json(program="jkk", kind="total_disability", event_date="2024-03-01", wage="5000000")

    assert amounts(body) == {"jkk/total_disability": 280_000_000, "jkk/periodic": 12_000_000}


@pytest.mark.parametrize(
    ("event_date", "months", "expected"),
    [
        pytest.param(
            "2024-03-01",
            "14",
            {"jkk/stmb_months_1_12": 36_000_000, "jkk/stmb_months_13_14": 3_000_000},
            id="PP82/2019: 100% x 12 then 50%",
        ),
        pytest.param("2024-03-01", "5", {"jkk/stmb_months_1_5": 15_000_000}, id="PP82/2019: 5 months at 100%"),
        pytest.param(
            "2019-12-01",
            "14",
            {"jkk/stmb_months_1_6": 18_000_000, "jkk/stmb_months_7_12": 13_500_000, "jkk/stmb_months_13_14": 3_000_000},
            id="PP44/2015: the day before PP82/2019, 100% x 6, 75% x 6, then 50%",
        ),
    ],
)
def test_jkk_stmb(event_date, months, expected) -> None:
    body = benefit_json(program="jkk", kind="stmb", event_date=event_date, wage="3000000", months=months)

    assert amounts(body) == expected


def test_scholarship_two_children_accepted_a_third_refused() -> None:
    # PP 82/2019 + Permenaker 5/2021: at most 2 children; SD 1,500,000 and SMA 3,000,000 a year.
    body = benefit_json(
        program="beasiswa",
        cause="jkm",
        event_date="2024-03-01",
        membership_start="2019-01-01",
        children="2014-05-01:sd,2008-03-02:sma,2016-01-01:sd",
    )

    assert amounts(body) == {"beasiswa/child_1_sd": 1_500_000, "beasiswa/child_2_sma": 3_000_000}
    assert "Child 3: at most 2 children." in body["notes"]
    assert body["eligible"] is True


@pytest.mark.parametrize(
    ("on_date", "expected"),
    [
        pytest.param("2024-03-09", {"beasiswa/child_1_s1": 12_000_000}, id="the day before the 23rd birthday"),
        pytest.param("2024-03-10", {}, id="the 23rd birthday: it stops"),
    ],
)
def test_scholarship_ends_at_23(on_date, expected) -> None:
    body = benefit_json(
        program="beasiswa",
        cause="jkk",
        event_date="2023-01-01",
        children="2001-03-10:s1",
        on_date=on_date,
    )

    assert amounts(body) == expected
    assert body["eligible"] is bool(expected)


@pytest.mark.parametrize(
    ("membership_start", "entitled"),
    [
        pytest.param("2021-06-16", False, id="PP82/2019: 2 years 364 days of contributions"),
        pytest.param("2021-06-15", True, id="PP82/2019: exactly 3 years"),
    ],
)
def test_jkm_scholarship_needs_3_years_of_contributions(membership_start, entitled) -> None:
    body = benefit_json(
        program="jkm", event_date="2024-06-15", membership_start=membership_start, children="2015-01-01:sd"
    )

    assert ("beasiswa/child_1_sd" in amounts(body)) is entitled
    assert body["total"] == 42_000_000 + (1_500_000 if entitled else 0)


def test_pp44_era_scholarship_is_12_million_for_one_child_after_5_years() -> None:
    body = benefit_json(
        program="jkm", event_date="2018-06-15", membership_start="2013-06-15", children="2010-01-01:sd,2012-01-01:sd"
    )

    assert amounts(body)["beasiswa/child_1_lump_sum"] == 12_000_000
    assert "beasiswa/child_2_lump_sum" not in amounts(body)


def test_no_scholarship_before_pp44_2015() -> None:
    body = benefit_json(program="jkm", event_date="2015-03-01", children="2010-01-01:sd")

    assert "No scholarship existed for events on this date." in body["notes"]
    assert body["total"] == 21_000_000


@pytest.mark.parametrize(
    ("raw", "eligible", "expected"),
    [
        pytest.param({"reason": "pensiun", "birth_date": "1968-03-02"}, False, {}, id="Permenaker 4/2022: 55 years"),
        pytest.param(
            {"reason": "pensiun", "birth_date": "1968-03-01"},
            True,
            {"jht/full_payout": 80_000_000},
            id="Permenaker 4/2022: 56 on the event date",
        ),
        pytest.param({"reason": "phk"}, True, {"jht/full_payout": 80_000_000}, id="dismissal, after 1 month"),
        pytest.param(
            {"reason": "sebagian_perumahan", "membership_start": "2014-03-01"},
            True,
            {"jht/sebagian_perumahan": 24_000_000},
            id="partial 30% for housing after 10 years",
        ),
        pytest.param(
            {"reason": "sebagian_lainnya", "membership_start": "2014-03-02"},
            False,
            {},
            id="partial refused a day before 10 years",
        ),
    ],
)
def test_jht_payout(raw, eligible, expected) -> None:
    body = benefit_json(program="jht", event_date="2024-03-01", balance="80000000", **raw)

    assert body["eligible"] is eligible
    assert amounts(body) == expected


@pytest.mark.parametrize(
    ("relatives", "group", "positions"),
    [
        pytest.param(["parent", "spouse", "child", "sibling"], 1, (1, 2), id="spouse and children first"),
        pytest.param(["sibling", "parent", "grandchild"], 2, (1, 2), id="parents and grandchildren when none"),
        pytest.param(["parent_in_law", "sibling"], 3, (1,), id="siblings before parents-in-law"),
        pytest.param(["designated", "parent_in_law"], 4, (1,), id="parents-in-law before the named person"),
        pytest.param(["designated"], 5, (0,), id="the person named in the will"),
        pytest.param([], None, (), id="no heir"),
    ],
)
def test_heir_order(relatives, group, positions) -> None:
    choice = heirs(relatives, date(2024, 1, 1))

    assert choice.group == group
    assert choice.positions == positions
