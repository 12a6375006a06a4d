"""The edges the worked cases leave: the day a rule starts, zero and the smallest amounts, input
written the way people write it, and the texts the rules print in Indonesian."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lindung.rules.benefits import CareCosts, jkk_medical
from lindung.rules.contributions import due_date
from lindung.rules.entitlements import JhtQuery, jht_payout
from lindung.rules.errors import RuleInputError
from lindung.rules.inputs import calculate_benefit, calculate_contribution
from lindung.rules.money import decimal_of
from lindung.rules.periods import Period, holiday_name
from lindung.rules.results import rate_text
from lindung.rules.tests.helpers import ENGLISH, benefit_json, contribution_json
from lindung.rules.tests.test_input_errors import LEVEL_HELP, refusal
from lindung.rules.tests.test_whole_items import item
from lindung.rules.text import Bilingual, Language, Money, Rate, Text, format_number, render

INDONESIAN = Language(code="id")


def test_jp_is_in_the_default_programs_from_its_first_month():
    # PP 45/2015: JP began with July 2015; left out by default in June, there from July.
    assert [
        i["program"] for i in contribution_json(period="2015-06", segment="pu", wage="1", risk_class="1")["items"]
    ] == [
        "jkk",
        "jkm",
        "jht",
    ]
    july = contribution_json(period="2015-07", segment="pu", wage="1000000", risk_class="1")
    assert [i["program"] for i in july["items"]] == ["jkk", "jkm", "jht", "jp"]


def test_a_contract_value_on_a_bracket_edge_has_no_empty_bracket_and_the_top_bracket_says_so():
    edge = contribution_json(period="2024-05", segment="jakon", contract_value="100000000", programs="jkk")
    assert [i["component"] for i in edge["items"]] == ["contract_bracket_1"]
    top = contribution_json(period="2024-05", segment="jakon", contract_value="6000000000", programs="jkk")
    assert top["items"][-1] == item(
        "jkk",
        "contract_bracket_5",
        1_000_000_000,
        "0.0009",
        900_000,
        "Permenaker 44/2015 Lampiran",
        "0.09% × Rp1,000,000,000 (contract value above Rp5,000,000,000) = Rp900,000",
        900_000,
        0,
    )
    # Permenaker 44/2015: 0.21% × 100M + 0.17% × 400M + 0.13% × 500M + 0.11% × 4B + 0.09% × 1B.
    assert top["total"] == 210_000 + 680_000 + 650_000 + 4_400_000 + 900_000


def test_the_due_date_alone_for_the_monitoring_and_billing_pages():
    assert due_date(Period(2024, 5), "pu") == date(2024, 6, 18)
    assert due_date(Period(2024, 5), "bpu") == date(2024, 5, 15)
    assert due_date(Period(2021, 1), "pu") == date(2021, 3, 1)  # PP 49/2020: 30 Feb -> 28 Feb (a Sunday) -> 1 Mar
    assert due_date(Period(2021, 2), "pu") == date(2021, 3, 15)


def test_bpu_paid_late_has_no_penalty_only_a_note():
    body = contribution_json(period="2024-05", segment="bpu", income="1000000", paid_on="2024-09-01")
    assert body["total"] == 16_800
    assert body["notes"] == [
        "BPU has no late penalty; after more than 3 consecutive unpaid months the membership ends."
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"period": "2024-05", "segment": "pu", "wage": "-5", "programs": "jkm"}, ("wage", "Cannot be negative.")),
        (
            {"period": "2024-05", "segment": "pu", "wage": "1", "risk_class": "-1"},
            ("risk_class", "Must be a risk class from 1 to 5."),
        ),
        ({"program": "jkm", "event_date": "2024-01-10", "children": "2012-05-01:sd:x"}, ("children", LEVEL_HELP)),
        (
            {
                "program": "jkk",
                "kind": "death",
                "event_date": "2024-01-10",
                "wage": "1",
                "membership_start": "2024-01-11",
            },
            ("membership_start", "Cannot be after the event date."),
        ),
        (
            {"program": "jht", "event_date": "2024-03-01", "reason": "pensiun"},
            ("birth_date", "Required for a pension-age payout."),
        ),
        (
            {"program": "jht", "event_date": "2024-03-01", "reason": "sebagian_perumahan"},
            ("membership_start", "Required for a partial payout."),
        ),
        (
            {"program": "jht", "event_date": "2024-03-01", "reason": "phk", "balance": "-1"},
            ("balance", "Cannot be negative."),
        ),
        (
            {"program": "beasiswa", "cause": "jkm", "event_date": "2024-03-01", "children": "2015-01-01:sd"},
            ("membership_start", "Required to check the minimum contribution years for a scholarship."),
        ),
    ],
)
def test_more_refusals_with_field_and_message(raw, expected):
    call = calculate_benefit if "program" in raw else calculate_contribution
    assert refusal(call, raw) == expected


def test_the_smallest_accepted_values():
    # PP 82/2019 tables give percentages below 1%; a decimal comma is read as a point.
    body = benefit_json(program="jkk", kind="disability", event_date="2024-01-10", wage="1000000", percentage="0,5")
    assert body["items"][0]["rate"] == "0.005"
    assert body["items"][0]["amount"] == 400_000  # 0.5% × 80 × 1,000,000
    assert benefit_json(program="jkm", event_date="2014-01-01")["total"] == 21_000_000  # the first day known
    assert benefit_json(program="jht", event_date="2024-03-01", reason="phk", balance="0")["items"][0]["amount"] == 0
    on_the_day = benefit_json(
        program="beasiswa", cause="jkk", event_date="2024-03-01", children="2015-01-01:sd", on_date="2024-03-01"
    )
    assert on_the_day["eligible"] is True


def test_pp44_era_scholarship_is_one_lump_sum_for_one_child():
    body = benefit_json(program="jkm", event_date="2018-03-01", membership_start="2013-03-01", children="2012-01-01:sd")
    assert body["items"][-1] == item(
        "beasiswa", "child_1_lump_sum", 12_000_000, None, 12_000_000, "PP 44/2015", "one child, paid once"
    )
    assert body["total"] == 16_200_000 + 4_800_000 + 3_000_000 + 12_000_000


def test_a_work_accident_scholarship_names_its_unconfirmed_minimum():
    notes = benefit_json(program="jkk", kind="death", event_date="2024-01-10", wage="1000000")["notes"]
    assert notes[-1] == (
        "Unconfirmed value: Minimum contribution years for a JKK scholarship (from 2015-07-01, PP 82/2019). Check it"
        " before relying on it. No minimum contribution period after a work-accident death or total disability:"
        " unconfirmed."
    )


def test_texts_in_indonesian():
    assert format_number(Decimal("-1234567.5"), INDONESIAN) == "-1.234.567,5"
    assert format_number(Decimal("-1234567.5"), ENGLISH) == "-1,234,567.5"
    assert format_number(0, INDONESIAN) == "0"
    assert render(Text("%(a)s", a=Bilingual(id="Tarif", en="Rate")), INDONESIAN) == "Tarif"
    assert render(Text("%(a)s", a=Bilingual(id="Tarif", en="Rate")), ENGLISH) == "Rate"
    assert render(Text("%(m)s %(r)s", m=Money(-50_000_000), r=Rate(Decimal("0.0024"))), INDONESIAN) == (
        "-Rp50.000.000 0,24%"
    )
    assert holiday_name(date(2024, 8, 17)) == "Independence Day"
    assert holiday_name(date(2024, 8, 16)) is None


def test_decimal_values_and_their_text():
    assert rate_text(Decimal("10")) == "10"
    assert rate_text(Decimal("0.0240")) == "0.024"
    assert rate_text(None) is None
    assert decimal_of("0.0024") == Decimal("0.0024")
    assert decimal_of(7) == Decimal(7)
    with pytest.raises(TypeError, match=r"^not an exact number: 0\.1$"):
        decimal_of(0.1)
    with pytest.raises(TypeError, match=r"^not a number: \[\]$"):
        decimal_of([])
    with pytest.raises(RuleInputError, match=r"^period: "):
        contribution_json(period="2013-12", segment="pu", wage="1")


def test_care_before_its_caps_existed_names_the_receipt():
    # The transport caps start with PP 44/2015 (July 2015), home care with PP 82/2019 (2 December 2019).
    assert refusal(jkk_medical, date(2015, 6, 30), CareCosts(transport=1, transport_mode="darat")) == (
        "transport",
        "No rule in force on 2015-06-30 for JKK transport reimbursement; the first applies from 2015-07-01.",
    )
    assert refusal(jkk_medical, date(2019, 12, 1), CareCosts(home_care=1)) == (
        "home_care",
        "No rule in force on 2019-12-01 for JKK home care; the first applies from 2019-12-02.",
    )


def test_the_rules_refuse_a_negative_jht_balance_given_directly():
    query = JhtQuery(reason="phk", event_date=date(2024, 3, 1), balance=-1)
    assert refusal(jht_payout, query) == ("balance", "Cannot be negative.")


def test_a_whole_number_written_with_letters_is_refused():
    raw = {"period": "2024-05", "segment": "pu", "wage": "1", "risk_class": "X1"}
    assert refusal(calculate_contribution, raw) == ("risk_class", "Must be a whole number.")
