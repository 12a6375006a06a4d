"""Worked contribution cases, one per rule and era, each citing its regulation.

Amounts are computed by hand from ../shared/domain/rules.md; boundaries test the day before
and the day a value starts to apply.
"""

from __future__ import annotations

from datetime import date

import pytest

from lindung.rules.contributions import wage_floor
from lindung.rules.tests.helpers import amounts, contribution_json, has_unconfirmed_note

PU_CASES = [
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "10500000", "risk_class": "1"},
        {
            "jkk/risk_class_1": 25_200,
            "jkm/contribution": 31_500,
            "jht/contribution": 598_500,
            "jp/contribution": 301_269,
        },
        956_469,
        id="PP44-45-46/2015: PU 10.5M class 1, JP on the 2024 cap 10,042,300",
    ),
    pytest.param(
        {"period": "2024-02", "segment": "pu", "wage": "10500000", "programs": "jp"},
        {"jp/contribution": 286_788},
        286_788,
        id="PP45/2015: Feb 2024, the day before the 2024 cap, still the 2023 cap 9,559,600",
    ),
    pytest.param(
        {"period": "2024-03", "segment": "pu", "wage": "10500000", "programs": "jp"},
        {"jp/contribution": 301_269},
        301_269,
        id="PP45/2015: Mar 2024, the day the 2024 cap 10,042,300 applies",
    ),
    pytest.param(
        {"period": "2015-07", "segment": "pu", "wage": "8000000", "programs": "jp"},
        {"jp/contribution": 210_000},
        210_000,
        id="PP45/2015: first JP period, cap 7,000,000",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "4000000", "risk_class": "2", "programs": "jkk"},
        {"jkk/risk_class_2": 21_600},
        21_600,
        id="PP44/2015 Lampiran I: class 2 0.54%",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "4000000", "risk_class": "3", "programs": "jkk"},
        {"jkk/risk_class_3": 35_600},
        35_600,
        id="PP44/2015 Lampiran I: class 3 0.89%",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "4000000", "risk_class": "4", "programs": "jkk"},
        {"jkk/risk_class_4": 50_800},
        50_800,
        id="PP44/2015 Lampiran I: class 4 1.27%",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "4000000", "risk_class": "5", "programs": "jkk"},
        {"jkk/risk_class_5": 69_600},
        69_600,
        id="PP44/2015 Lampiran I: class 5 1.74%",
    ),
    pytest.param(
        {"period": "2026-01", "segment": "pu", "wage": "2700000", "risk_class": "1", "programs": "jkk,jkm"},
        {"jkk/risk_class_1": 6_480, "jkm/contribution": 8_100},
        14_580,
        id="PP44/2015: non-ASN staff on JKK+JKM only, about Rp8,000 JKM a month",
    ),
    pytest.param(
        {"period": "2020-07", "segment": "pu", "wage": "5000000", "risk_class": "1", "programs": "jkk,jkm"},
        {"jkk/risk_class_1": 12_000, "jkm/contribution": 15_000},
        27_000,
        id="PP49/2020: Jul 2020, the month before the relief, full rates",
    ),
    pytest.param(
        {"period": "2020-08", "segment": "pu", "wage": "5000000", "risk_class": "1", "programs": "jkk,jkm"},
        {"jkk/risk_class_1": 120, "jkm/contribution": 150},
        270,
        id="PP49/2020: Aug 2020, the first relief month, JKK and JKM at 1%",
    ),
    pytest.param(
        {"period": "2021-01", "segment": "pu", "wage": "5000000", "risk_class": "1", "programs": "jkk,jkm"},
        {"jkk/risk_class_1": 120, "jkm/contribution": 150},
        270,
        id="PP49/2020: Jan 2021, the last relief month",
    ),
    pytest.param(
        {"period": "2021-02", "segment": "pu", "wage": "5000000", "risk_class": "1", "programs": "jkk,jkm"},
        {"jkk/risk_class_1": 12_000, "jkm/contribution": 15_000},
        27_000,
        id="PP49/2020: Feb 2021, full rates again",
    ),
    pytest.param(
        {
            "period": "2025-01",
            "segment": "pu",
            "wage": "5000000",
            "risk_class": "3",
            "programs": "jkk",
            "industry": "garmen",
            "workers": "120",
        },
        {"jkk/risk_class_3": 44_500},
        44_500,
        id="PP7/2025: Jan 2025, the month before the discount",
    ),
    pytest.param(
        {
            "period": "2025-02",
            "segment": "pu",
            "wage": "5000000",
            "risk_class": "3",
            "programs": "jkk",
            "industry": "garmen",
            "workers": "120",
        },
        {"jkk/risk_class_3": 22_250},
        22_250,
        id="PP7/2025: Feb 2025, garment firm with 120 workers, JKK 0.445%",
    ),
    pytest.param(
        {
            "period": "2025-02",
            "segment": "pu",
            "wage": "5000000",
            "risk_class": "3",
            "programs": "jkk",
            "industry": "garmen",
            "workers": "49",
        },
        {"jkk/risk_class_3": 44_500},
        44_500,
        id="PP7/2025: 49 workers, below the 50-worker threshold",
    ),
    pytest.param(
        {
            "period": "2025-02",
            "segment": "pu",
            "wage": "5000000",
            "risk_class": "3",
            "programs": "jkk",
            "industry": "lainnya",
            "workers": "500",
        },
        {"jkk/risk_class_3": 44_500},
        44_500,
        id="PP7/2025: an industry outside the list",
    ),
    pytest.param(
        {
            "period": "2026-02",
            "segment": "pu",
            "wage": "5000000",
            "risk_class": "3",
            "programs": "jkk",
            "industry": "garmen",
            "workers": "120",
        },
        {"jkk/risk_class_3": 44_500},
        44_500,
        id="PP36/2025: Feb 2026, after the extended discount",
    ),
]


@pytest.mark.parametrize(("raw", "expected", "total"), PU_CASES)
def test_pu_contribution(raw, expected, total) -> None:
    body = contribution_json(**raw)

    assert amounts(body) == expected
    assert body["total"] == total


BPU_CASES = [
    pytest.param(
        {"period": "2025-06", "segment": "bpu", "income": "900000"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP44/2015 Lampiran II: income below the lowest band, 16,800",
    ),
    pytest.param(
        {"period": "2025-06", "segment": "bpu", "income": "1000000", "programs": "jkk,jkm,jht"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800, "jht/contribution": 20_000},
        36_800,
        id="PP44/2015 + PP46/2015: lowest band with JHT, 36,800",
    ),
    pytest.param(
        {"period": "2025-06", "segment": "bpu", "income": "1550000"},
        {"jkk/contribution": 15_000, "jkm/contribution": 6_800},
        21_800,
        id="PP44/2015 Lampiran II: 1,550,000 is in the 1,500,000 band",
    ),
    pytest.param(
        {"period": "2025-06", "segment": "bpu", "income": "25000000", "programs": "jkk,jkm,jht"},
        {"jkk/contribution": 207_000, "jkm/contribution": 6_800, "jht/contribution": 414_000},
        627_800,
        id="PP44/2015 Lampiran II: above the highest band, nominal 20,700,000",
    ),
    pytest.param(
        {"period": "2020-08", "segment": "bpu", "income": "1000000"},
        {"jkk/contribution": 100, "jkm/contribution": 68},
        168,
        id="PP49/2020: BPU in the relief window, 1% of normal",
    ),
    pytest.param(
        {"period": "2025-12", "segment": "bpu", "income": "1000000", "sector": "transportasi"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP50/2025: transport Dec 2025, the month before the discount",
    ),
    pytest.param(
        {"period": "2026-01", "segment": "bpu", "income": "1000000", "sector": "transportasi"},
        {"jkk/contribution": 5_000, "jkm/contribution": 3_400},
        8_400,
        id="PP50/2025: transport Jan 2026, 16,800 -> 8,400",
    ),
    pytest.param(
        {"period": "2027-03", "segment": "bpu", "income": "1000000", "sector": "transportasi"},
        {"jkk/contribution": 5_000, "jkm/contribution": 3_400},
        8_400,
        id="PP50/2025: transport Mar 2027, the last discounted month",
    ),
    pytest.param(
        {"period": "2027-04", "segment": "bpu", "income": "1000000", "sector": "transportasi"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP50/2025: transport Apr 2027, full again",
    ),
    pytest.param(
        {"period": "2026-03", "segment": "bpu", "income": "1000000", "sector": "lainnya"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP50/2025: other sectors Mar 2026, the month before their window",
    ),
    pytest.param(
        {"period": "2026-04", "segment": "bpu", "income": "1000000", "sector": "lainnya"},
        {"jkk/contribution": 5_000, "jkm/contribution": 3_400},
        8_400,
        id="PP50/2025: other sectors Apr 2026, discounted",
    ),
    pytest.param(
        {"period": "2027-01", "segment": "bpu", "income": "1000000", "sector": "lainnya"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP50/2025: other sectors Jan 2027, after their window",
    ),
    pytest.param(
        {"period": "2026-06", "segment": "bpu", "income": "1000000", "funding": "apbd"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP50/2025: not for BPU paid from APBD (Dumai's pekerja rentan)",
    ),
    pytest.param(
        {"period": "2026-06", "segment": "bpu", "income": "1000000", "funding": "apbn"},
        {"jkk/contribution": 10_000, "jkm/contribution": 6_800},
        16_800,
        id="PP50/2025: not for BPU paid from APBN",
    ),
    pytest.param(
        {"period": "2026-06", "segment": "bpu", "income": "1000000", "funding": "csr", "programs": "jkk,jkm,jht"},
        {"jkk/contribution": 5_000, "jkm/contribution": 3_400, "jht/contribution": 20_000},
        28_400,
        id="PP50/2025: CSR-funded BPU gets the discount; JHT is not discounted",
    ),
]


@pytest.mark.parametrize(("raw", "expected", "total"), BPU_CASES)
def test_bpu_contribution(raw, expected, total) -> None:
    body = contribution_json(**raw)

    assert amounts(body) == expected
    assert body["total"] == total


def test_bpu_worker_pays_the_whole_amount_and_the_bands_between_are_flagged_unconfirmed() -> None:
    between = contribution_json(period="2025-06", segment="bpu", income="1550000")
    lowest = contribution_json(period="2025-06", segment="bpu", income="1000000")
    highest = contribution_json(period="2025-06", segment="bpu", income="30000000")

    assert [(item["employer_share"], item["worker_share"]) for item in between["items"]] == [(0, 15_000), (0, 6_800)]
    assert has_unconfirmed_note(between)
    assert not has_unconfirmed_note(lowest)
    assert not has_unconfirmed_note(highest)


def test_jakon_on_the_contract_value_uses_marginal_brackets() -> None:
    # Permenaker 44/2015: 0.21% of 100 M + 0.17% of 400 M + 0.13% of 500 M + 0.11% of 200 M = 1,760,000.
    body = contribution_json(period="2024-05", segment="jakon", contract_value="1200000000")

    assert amounts(body) == {
        "jkk/contract_bracket_1": 210_000,
        "jkk/contract_bracket_2": 680_000,
        "jkk/contract_bracket_3": 650_000,
        "jkk/contract_bracket_4": 220_000,
        "jkm/contract_bracket_1": 30_000,
        "jkm/contract_bracket_2": 180_000,
        "jkm/contract_bracket_3": 20_000,
    }
    assert body["total"] == 1_990_000
    assert has_unconfirmed_note(body)  # JKM on the contract value: marginal is unconfirmed


def test_jakon_on_known_wages() -> None:
    body = contribution_json(period="2024-05", segment="jakon", wage="10000000")

    assert amounts(body) == {"jkk/wages": 174_000, "jkm/wages": 30_000}
    assert body["total"] == 204_000


def test_jamsostek_era_pu_is_flagged_unconfirmed_and_leaves_out_jp() -> None:
    body = contribution_json(period="2014-06", segment="pu", wage="3000000", risk_class="2")

    assert amounts(body) == {"jkk/risk_class_2": 16_200, "jkm/contribution": 9_000, "jht/contribution": 171_000}
    assert has_unconfirmed_note(body)
    assert "JP did not exist yet in this period (it began in July 2015)." in body["notes"]


@pytest.mark.parametrize(
    ("raw", "due_date"),
    [
        pytest.param({"period": "2024-05", "segment": "pu"}, "2024-06-18", id="15 Jun 2024 Sat, 16 Sun, 17 Idul Adha"),
        pytest.param({"period": "2026-02", "segment": "pu"}, "2026-03-16", id="15 Mar 2026 is a Sunday"),
        pytest.param({"period": "2024-09", "segment": "pu"}, "2024-10-15", id="a working day stays"),
        pytest.param({"period": "2025-06", "segment": "bpu"}, "2025-06-16", id="BPU: the 15th of the same month"),
        pytest.param(
            {"period": "2020-07", "segment": "pu"}, "2020-08-18", id="15 Aug 2020 Sat; 17 Aug Independence Day"
        ),
        pytest.param({"period": "2020-08", "segment": "pu"}, "2020-09-30", id="PP49/2020: the 30th of the next month"),
        pytest.param({"period": "2020-08", "segment": "bpu"}, "2020-09-30", id="PP49/2020: BPU too"),
        pytest.param(
            {"period": "2021-01", "segment": "pu"}, "2021-03-01", id="PP49/2020: no 30 Feb; 28 Feb is a Sunday"
        ),
        pytest.param({"period": "2021-02", "segment": "pu"}, "2021-03-15", id="after PP49/2020: the 15th again"),
    ],
)
def test_due_date(raw, due_date) -> None:
    amount = {"pu": {"wage": "3000000", "risk_class": "1"}, "bpu": {"income": "1000000"}}[raw["segment"]]

    assert contribution_json(**raw, **amount)["due_date"] == due_date


@pytest.mark.parametrize(
    ("paid_on", "penalty"),
    [
        pytest.param("2024-06-18", None, id="paid on the due date: no penalty"),
        pytest.param("2024-06-19", 1_224, id="one day late: 2% x 1 month (PP44/2015)"),
        pytest.param("2024-07-18", 1_224, id="a month to the day: still 1 month"),
        pytest.param("2024-07-19", 2_448, id="one more day: 2 months"),
    ],
)
def test_pu_late_penalty(paid_on, penalty) -> None:
    # Owed 61,200 (JKK class 5 1.74% + JKM 0.30% of 3,000,000), due 18 Jun 2024; 2% per started month late.
    body = contribution_json(
        period="2024-05", segment="pu", wage="3000000", programs="jkk,jkm", risk_class="5", paid_on=paid_on
    )

    owed = 52_200 + 9_000
    assert amounts(body).get("denda/late_penalty") == penalty
    assert body["total"] == owed + (penalty or 0)


def test_penalty_in_the_pp49_window_is_half_a_percent() -> None:
    # Period 2020-09: due 30 Oct 2020; paid 15 Dec 2020 = 2 started months late; 0.5% a month (PP 49/2020).
    body = contribution_json(period="2020-09", segment="pu", wage="5000000", programs="jht", paid_on="2020-12-15")

    assert amounts(body) == {"jht/contribution": 285_000, "denda/late_penalty": 2_850}
    assert body["items"][-1]["legal_basis"] == "PP 49/2020"


def test_bpu_has_no_late_penalty() -> None:
    body = contribution_json(period="2025-06", segment="bpu", income="1000000", paid_on="2025-09-01")

    assert "denda/late_penalty" not in amounts(body)
    assert any("BPU has no late penalty" in note for note in body["notes"])


def test_unconfirmed_jp_cap_travels_into_the_notes() -> None:
    confirmed = contribution_json(period="2025-02", segment="pu", wage="12000000", programs="jp")
    unconfirmed = contribution_json(period="2025-03", segment="pu", wage="12000000", programs="jp")

    assert confirmed["items"][0]["basis"] == 10_042_300
    assert not has_unconfirmed_note(confirmed)
    assert unconfirmed["items"][0]["basis"] == 10_547_400
    assert has_unconfirmed_note(unconfirmed)


@pytest.mark.parametrize(
    ("segment", "day", "expected"),
    [
        ("pu", date(2015, 12, 31), None),  # no floor in the rules before 2016
        ("pu", date(2016, 1, 1), (1_237_700, "UMP DI Yogyakarta 2016 (UMP terendah)")),
        ("pu", date(2024, 12, 31), (2_036_947, "UMP Jawa Tengah 2024 (UMP terendah)")),
        ("pu", date(2025, 1, 1), (2_169_348, "UMP Jawa Tengah 2025 (UMP terendah)")),
        ("bpu", date(2015, 6, 30), None),  # before PP 44/2015's bands
        ("bpu", date(2015, 7, 1), (1_000_000, "PP 44/2015 Lampiran II")),
        ("jakon", date(2025, 1, 1), None),
    ],
)
def test_the_wage_floor_of_each_segment_on_its_first_and_last_day(segment, day, expected):
    floor = wage_floor(segment, day)
    if expected is None:
        assert floor is None
    else:
        assert floor is not None
        assert (floor.amount, floor.legal_basis) == expected
        assert floor.confirmed is False  # both are flagged unconfirmed in the rules
