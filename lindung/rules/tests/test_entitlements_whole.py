"""Scholarships, JHT payouts, JKK care and the order of heirs, asserted whole at their boundaries,
each citing its regulation; plus the calendar helpers behind due dates and lateness."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lindung.rules.benefits import CareCosts, jkk_medical
from lindung.rules.contributions import ContributionQuery, monthly_plan
from lindung.rules.entitlements import full_years
from lindung.rules.inputs import choose_heirs, heirs_json
from lindung.rules.money import floor_to, to_rupiah
from lindung.rules.periods import Period, holiday_name, months_late, next_working_day, previous_month
from lindung.rules.results import result_json
from lindung.rules.tests.helpers import ENGLISH, benefit_json
from lindung.rules.tests.test_whole_items import item

SCHOLARSHIP_BASIS = "PP 82/2019; Permenaker 5/2021"
JHT_BASIS = "Permenaker 4/2022"


def test_pp82_scholarship_two_children_each_by_level_and_a_third_refused():
    body = benefit_json(
        program="beasiswa",
        cause="jkm",
        event_date="2024-03-01",
        membership_start="2021-03-01",  # exactly 3 full years: the minimum for a JKM scholarship
        children="2010-05-01:smp,2016-01-01:sd,2020-01-01:tk",
        on_date="2024-07-15",
    )
    assert body["items"] == [
        item(
            "beasiswa",
            "child_1_smp",
            2_000_000,
            None,
            2_000_000,
            SCHOLARSHIP_BASIS,
            "Rp2,000,000 a year for SMP, at most 3 years (Rp6,000,000)",
        ),
        item(
            "beasiswa",
            "child_2_sd",
            1_500_000,
            None,
            1_500_000,
            SCHOLARSHIP_BASIS,
            "Rp1,500,000 a year for SD, at most 6 years (Rp9,000,000)",
        ),
    ]
    assert body["eligible"] is True
    assert body["notes"] == ["Child 3: at most 2 children."]


def test_pp82_scholarship_a_day_short_of_three_years_is_refused():
    body = benefit_json(
        program="beasiswa",
        cause="jkm",
        event_date="2024-03-01",
        membership_start="2021-03-02",
        children="2010-05-01:smp",
    )
    assert body["items"] == []
    assert body["eligible"] is False
    assert body["notes"] == ["No scholarship: 2 full years of contributions, 3 required."]


def test_pp82_scholarship_ends_on_the_23rd_birthday_and_starts_at_school():
    body = benefit_json(
        program="jkm",
        event_date="2024-03-01",
        membership_start="2021-03-01",
        children="2001-03-01:s1,2020-01-01:belum_sekolah",
    )
    assert [i["component"] for i in body["items"]] == ["lump_sum", "periodic", "funeral"]
    assert body["notes"][2:] == [
        "Child 1 is 23 on 2024-03-01: the scholarship ends at 23.",
        "Child 2: entitled from the year they enter school.",
    ]


def test_jkm_scholarship_needs_the_membership_start():
    body = benefit_json(program="beasiswa", cause="jkk", event_date="2024-03-01", children="2015-01-01:sd")
    assert body["eligible"] is True  # a work-accident death needs no minimum years
    with pytest.raises(ValueError, match="membership_start"):
        benefit_json(program="beasiswa", cause="jkm", event_date="2024-03-01", children="2015-01-01:sd")


@pytest.mark.parametrize(
    ("raw", "items", "eligible", "notes"),
    [
        pytest.param(
            {"reason": "pensiun", "birth_date": "1968-03-01", "balance": "80000001"},
            [
                item(
                    "jht",
                    "full_payout",
                    80_000_001,
                    "1",
                    80_000_001,
                    JHT_BASIS,
                    "100% × balance Rp80,000,001 = Rp80,000,001",
                )
            ],
            True,
            [],
            id="Permenaker 4/2022: 56 on the day, the whole balance",
        ),
        pytest.param(
            {"reason": "pensiun", "birth_date": "1968-03-02", "balance": "1"},
            [],
            False,
            ["Age 55 on 2024-03-01; the pension age is 56."],
            id="Permenaker 4/2022: a day short of 56",
        ),
        pytest.param(
            {"reason": "sebagian_lainnya", "membership_start": "2014-03-01", "balance": "80000005"},
            [
                item(
                    "jht",
                    "sebagian_lainnya",
                    80_000_005,
                    "0.1",
                    8_000_001,
                    JHT_BASIS,
                    "10% × balance Rp80,000,005 = Rp8,000,001",
                )
            ],
            True,
            [],
            id="Permenaker 4/2022: 10% after exactly 10 years; 8,000,000.5 rounds half up",
        ),
        pytest.param(
            {"reason": "sebagian_perumahan", "membership_start": "2014-03-02", "balance": "1"},
            [],
            False,
            ["A partial payout needs 10 years of membership; there are 9."],
            id="Permenaker 4/2022: housing share a day short of 10 years",
        ),
        pytest.param(
            {"reason": "berhenti_bekerja"},
            [],
            True,
            ["Payable 1 month after the work ended."],
            id="Permenaker 4/2022: resignation, payable one month after",
        ),
        pytest.param(
            {"reason": "meninggal", "balance": "5"},
            [item("jht", "full_payout", 5, "1", 5, JHT_BASIS, "100% × balance Rp5 = Rp5")],
            True,
            [],
            id="Permenaker 4/2022: death, at once",
        ),
    ],
)
def test_jht_payout_whole(raw, items, eligible, notes):
    body = benefit_json(program="jht", event_date="2024-03-01", **raw)
    assert body["items"] == items
    assert body["eligible"] is eligible
    assert body["notes"] == notes


def test_jht_refusals_name_the_missing_field():
    with pytest.raises(ValueError, match="birth_date"):
        benefit_json(program="jht", event_date="2024-03-01", reason="pensiun")
    with pytest.raises(ValueError, match="membership_start"):
        benefit_json(program="jht", event_date="2024-03-01", reason="sebagian_perumahan")
    with pytest.raises(ValueError, match="balance"):
        benefit_json(program="jht", event_date="2024-03-01", reason="phk", balance="-1")


def test_pp82_jkk_care_receipts_and_caps():
    body = result_json(
        jkk_medical(
            date(2024, 1, 10),
            CareCosts(medical=7_000_000, transport=6_000_000, transport_mode="darat", home_care=25_000_000),
        ),
        ENGLISH,
    )
    assert body["items"] == [
        item(
            "jkk",
            "medical",
            7_000_000,
            None,
            7_000_000,
            "PP 44/2015; PP 82/2019",
            "receipts of Rp7,000,000, reimbursed in full",
        ),
        item(
            "jkk",
            "transport",
            6_000_000,
            None,
            5_000_000,
            "PP 82/2019 Lampiran III",
            "receipts of Rp6,000,000, reimbursed up to Rp5,000,000",
        ),
        item(
            "jkk",
            "home_care",
            25_000_000,
            None,
            20_000_000,
            "PP 82/2019 Lampiran III",
            "receipts of Rp25,000,000, reimbursed up to Rp20,000,000",
        ),
    ]
    assert body["total"] == 32_000_000
    assert body["notes"] == ["Home care is given for at most 12 months."]
    assert body["eligible"] is True


@pytest.mark.parametrize(
    ("day", "mode", "cap", "basis", "unconfirmed"),
    [
        (date(2024, 1, 10), "udara", 10_000_000, "PP 82/2019 Lampiran III", True),
        (date(2024, 1, 10), "laut", 2_000_000, "PP 82/2019 Lampiran III", True),
        (date(2024, 1, 10), "darat", 5_000_000, "PP 82/2019 Lampiran III", False),
        (date(2019, 12, 1), "laut", 1_500_000, "PP 44/2015 Lampiran III", True),  # the day before PP 82/2019
        # PP 82/2019's first day (2 December) is itself unconfirmed until the end of 2019.
        (date(2019, 12, 2), "darat", 5_000_000, "PP 82/2019 Lampiran III", True),
        (date(2019, 12, 1), "darat", 1_000_000, "PP 44/2015 Lampiran III", True),
    ],
)
def test_jkk_transport_cap_by_means_and_era(day, mode, cap, basis, unconfirmed):
    result = jkk_medical(day, CareCosts(transport=99_000_000, transport_mode=mode))
    (only,) = result.items
    assert (only.component, only.amount, only.basis, only.legal_basis) == ("transport", cap, 99_000_000, basis)
    assert result.unconfirmed is unconfirmed


def test_jkk_care_without_receipts_is_a_zero_medical_line():
    (only,) = jkk_medical(date(2024, 1, 10), CareCosts()).items
    assert (only.component, only.amount) == ("medical", 0)
    transport_only = jkk_medical(date(2024, 1, 10), CareCosts(transport=1, transport_mode="darat")).items
    assert [i.component for i in transport_only] == ["transport"]


@pytest.mark.parametrize(
    ("relatives", "expected"),
    [
        (
            "child,spouse,parent",
            {
                "group": 1,
                "heirs": [{"position": 1, "relation": "child"}, {"position": 2, "relation": "spouse"}],
                "reason": "Group 1 of the legal order: spouse and children.",
            },
        ),
        (
            "grandparent,designated",
            {
                "group": 2,
                "heirs": [{"position": 1, "relation": "grandparent"}],
                "reason": "Group 2 of the legal order (parent, grandchild, grandparent): no one in an earlier group.",
            },
        ),
        (
            "parent_in_law,sibling",
            {
                "group": 3,
                "heirs": [{"position": 2, "relation": "sibling"}],
                "reason": "Group 3 of the legal order (sibling): no one in an earlier group.",
            },
        ),
        (
            "designated, PARENT_IN_LAW",
            {
                "group": 4,
                "heirs": [{"position": 2, "relation": "parent_in_law"}],
                "reason": "Group 4 of the legal order (parent_in_law): no one in an earlier group.",
            },
        ),
        (
            "designated",
            {
                "group": 5,
                "heirs": [{"position": 1, "relation": "designated"}],
                "reason": "Group 5 of the legal order (designated): no one in an earlier group.",
            },
        ),
        (
            "",
            {
                "group": None,
                "heirs": [],
                "reason": "No heir: the JHT balance goes to the Balai Harta Peninggalan; the funeral cost to whoever"
                " arranged the burial.",
            },
        ),
    ],
)
def test_heirs_by_the_legal_order(relatives, expected):
    found, choice = choose_heirs({"relatives": relatives, "event_date": "2024-01-10"})
    assert heirs_json(found, choice, ENGLISH) == {**expected, "legal_basis": "PP 44/2015; Permenaker 5/2021"}


@pytest.mark.parametrize(
    ("due", "paid", "months"),
    [
        (date(2024, 12, 16), date(2024, 12, 16), 0),
        (date(2024, 12, 16), date(2024, 12, 17), 1),
        (date(2024, 12, 16), date(2025, 1, 16), 1),
        (date(2024, 12, 16), date(2025, 1, 17), 2),
        (date(2024, 11, 15), date(2026, 1, 15), 14),
        (date(2024, 11, 15), date(2024, 11, 1), 0),
    ],
)
def test_months_late_counts_started_months_across_the_year(due, paid, months):
    assert months_late(due, paid) == months


def test_calendar_helpers():
    assert previous_month(date(2026, 1, 5)) == Period(2025, 12)
    assert previous_month(date(2026, 7, 31)) == Period(2026, 6)
    assert Period(2025, 12).shifted(1) == Period(2026, 1)
    assert Period(2026, 1).shifted(-13) == Period(2024, 12)
    assert str(Period(2026, 3)) == "2026-03"
    assert Period(2024, 2).day(30) == date(2024, 2, 29)
    assert holiday_name(date(2024, 8, 17)) is not None
    assert holiday_name(date(2024, 8, 16)) is None
    assert next_working_day(date(2024, 8, 17)) == date(2024, 8, 19)  # Saturday and Independence Day
    assert next_working_day(date(2024, 8, 19)) == date(2024, 8, 19)
    assert full_years(date(2000, 2, 29), date(2024, 2, 28)) == 23
    assert full_years(date(2000, 2, 29), date(2024, 2, 29)) == 24
    for bad in ("2024-00", "2024-1", "x", "2024-13"):
        with pytest.raises(ValueError, match=bad):
            Period.parse(bad)
    assert Period.parse(" 2024-12 ") == Period(2024, 12)


def test_money_rounds_half_up_and_floors_to_steps():
    assert to_rupiah(Decimal("7504.5")) == 7_505
    assert to_rupiah(Decimal("7503.5")) == 7_504
    assert to_rupiah(Decimal("7504.49")) == 7_504
    assert floor_to(1_599_999, 100_000) == 1_500_000
    assert floor_to(1_600_000, 100_000) == 1_600_000


def test_a_monthly_plan_prices_each_month_by_its_own_rules():
    query = ContributionQuery(period=Period(2024, 1), segment="pu", wage=10_500_000, risk_class=1, programs=("jp",))
    plan = monthly_plan(query, members=10, months=3)
    # JP on the 2023 cap 9,559,600 in January and February (3% = 286,788), the 2024 cap 10,042,300 from March.
    assert [(str(m.period), m.per_member, m.total, m.unconfirmed) for m in plan] == [
        ("2024-01", 286_788, 2_867_880, False),
        ("2024-02", 286_788, 2_867_880, False),
        ("2024-03", 301_269, 3_012_690, False),
    ]
    late = ContributionQuery(
        period=Period(2025, 2), segment="pu", wage=10_600_000, programs=("jp",), paid_on=date(2026, 1, 1)
    )
    # February 2025 still on the 2024 cap; March on the 2025 cap 10,547,400 (unconfirmed): 3% = 316,422.
    assert [m.per_member for m in monthly_plan(late, members=1, months=2)] == [301_269, 316_422]
    assert [m.unconfirmed for m in monthly_plan(late, members=1, months=2)] == [False, True]
    assert len(monthly_plan(query, members=1)) == 12
