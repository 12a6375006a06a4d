"""Worked cases asserted whole: every item's amount, rate, basis, shares, legal basis and formula,
the total, the due date and the notes, each case citing its regulation. Amounts are worked by hand
from ../shared/domain/rules.md; exact half rupiah cases pin the rounding (half up, never half even)."""

from __future__ import annotations

from typing import Any

import pytest

from lindung.rules.tests.helpers import benefit_json, contribution_json

PP49 = "PP 49/2020 contribution relief"
PP7 = "PP 7/2025 JKK discount for labour-intensive industries"
PP50 = "PP 50/2025 BPU contribution discount"
CLAIM_NOTES = [
    "Medical care is paid as medically needed, without a cap; it is not computed here.",
    "The right to claim lapses 2 years after the accident, counted to the day the claim is lodged.",
]


def item(
    program: str,
    component: str,
    basis: int,
    rate: str | None,
    amount: int,
    legal_basis: str,
    formula: str,
    employer: int | None = None,
    worker: int | None = None,
) -> dict[str, Any]:
    return {
        "program": program,
        "component": component,
        "basis": basis,
        "rate": rate,
        "amount": amount,
        "employer_share": employer,
        "worker_share": worker,
        "legal_basis": legal_basis,
        "formula": formula,
    }


CONTRIBUTIONS = [
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "10500000", "risk_class": "1"},
        [
            item(
                "jkk",
                "risk_class_1",
                10_500_000,
                "0.0024",
                25_200,
                "PP 44/2015 Lampiran I",
                "0.24% × Rp10,500,000 (wage) = Rp25,200",
                25_200,
                0,
            ),
            item(
                "jkm",
                "contribution",
                10_500_000,
                "0.003",
                31_500,
                "PP 44/2015",
                "0.3% × Rp10,500,000 (wage) = Rp31,500",
                31_500,
                0,
            ),
            item(
                "jht",
                "contribution",
                10_500_000,
                "0.057",
                598_500,
                "PP 46/2015",
                "Rp10,500,000 (wage) × (3.7% employer + 2% worker) = Rp388,500 + Rp210,000",
                388_500,
                210_000,
            ),
            item(
                "jp",
                "contribution",
                10_042_300,
                "0.03",
                301_269,
                "PP 45/2015; penyesuaian batas upah 2024",
                "Rp10,042,300 (wage Rp10,500,000 capped at the JP wage cap) × (2% employer + 1% worker)"
                " = Rp200,846 + Rp100,423",
                200_846,
                100_423,
            ),
        ],
        "2024-06-18",  # 15 June 2024 a Saturday, 17 June Idul Adha: the next working day
        [],
        id="PP44-45-46/2015: PU 10.5M class 1, every program, JP on the 2024 cap",
    ),
    pytest.param(
        {"period": "2014-01", "segment": "pu", "wage": "3000000", "programs": "jkm"},
        [
            item(
                "jkm",
                "contribution",
                3_000_000,
                "0.003",
                9_000,
                "PP 14/1993 (Jamsostek)",
                "0.3% × Rp3,000,000 (wage) = Rp9,000",
                9_000,
                0,
            )
        ],
        "2014-02-17",
        [
            "Unconfirmed value: PU JKM rate (from 2014-01-01, PP 14/1993 (Jamsostek)). Check it before relying on it."
            " Jamsostek-era rate before PP 44/2015."
        ],
        id="PP14/1993: 2014-01, the first period the rules know",
    ),
    pytest.param(
        {"period": "2020-08", "segment": "pu", "wage": "5000000", "risk_class": "1", "programs": "jkk,jkm,jp"},
        [
            item(
                "jkk",
                "risk_class_1",
                5_000_000,
                "0.000024",
                120,
                "PP 44/2015 Lampiran I; PP 49/2020",
                f"0.0024% × Rp5,000,000 (wage) = Rp120 (normal rate 0.24% × 1%, {PP49})",
                120,
                0,
            ),
            item(
                "jkm",
                "contribution",
                5_000_000,
                "0.00003",
                150,
                "PP 44/2015; PP 49/2020",
                f"0.003% × Rp5,000,000 (wage) = Rp150 (normal rate 0.3% × 1%, {PP49})",
                150,
                0,
            ),
            item(
                "jp",
                "contribution",
                5_000_000,
                "0.03",
                150_000,
                "PP 45/2015; penyesuaian batas upah 2020",
                "Rp5,000,000 (wage) × (2% employer + 1% worker) = Rp100,000 + Rp50,000",
                100_000,
                50_000,
            ),
        ],
        "2020-09-30",
        ["PP 49/2020: a qualifying employer may defer 99% of the JP contribution; the full amount is shown."],
        id="PP49/2020: Aug 2020, the first relief month: JKK and JKM at 1%, due the 30th",
    ),
    pytest.param(
        {"period": "2020-09", "segment": "jakon", "contract_value": "150000000"},
        [
            item(
                "jkk",
                "contract_bracket_1",
                100_000_000,
                "0.000021",
                2_100,
                "Permenaker 44/2015 Lampiran; PP 49/2020",
                "0.0021% × Rp100,000,000 (contract value between Rp0 and Rp100,000,000) = Rp2,100"
                f" (normal rate 0.21% × 1%, {PP49})",
                2_100,
                0,
            ),
            item(
                "jkk",
                "contract_bracket_2",
                50_000_000,
                "0.000017",
                850,
                "Permenaker 44/2015 Lampiran; PP 49/2020",
                "0.0017% × Rp50,000,000 (contract value between Rp100,000,000 and Rp500,000,000) = Rp850"
                f" (normal rate 0.17% × 1%, {PP49})",
                850,
                0,
            ),
            item(
                "jkm",
                "contract_bracket_1",
                100_000_000,
                "0.000003",
                300,
                "Permenaker 44/2015 Lampiran; PP 49/2020",
                "0.0003% × Rp100,000,000 (contract value between Rp0 and Rp100,000,000) = Rp300"
                f" (normal rate 0.03% × 1%, {PP49})",
                300,
                0,
            ),
            item(
                "jkm",
                "contract_bracket_2",
                50_000_000,
                "0.000002",
                100,
                "Permenaker 44/2015 Lampiran; PP 49/2020",
                "0.0002% × Rp50,000,000 (contract value between Rp100,000,000 and Rp1,000,000,000) = Rp100"
                f" (normal rate 0.02% × 1%, {PP49})",
                100,
                0,
            ),
        ],
        "2020-10-30",
        [
            "Unconfirmed value: Construction JKM rates on the contract value (from 2015-07-01, Permenaker 44/2015"
            " Lampiran). Check it before relying on it. Computed marginally like JKK; whether it is marginal is"
            " unconfirmed."
        ],
        id="PP49/2020 on construction (Jakon): each bracket at 1% of its rate",
    ),
    pytest.param(
        {"period": "2020-09", "segment": "jakon", "wage": "10000000"},
        [
            item(
                "jkk",
                "wages",
                10_000_000,
                "0.000174",
                1_740,
                "PP 44/2015; Permenaker 44/2015; PP 49/2020",
                f"0.0174% × Rp10,000,000 (wage) = Rp1,740 (normal rate 1.74% × 1%, {PP49})",
                1_740,
                0,
            ),
            item(
                "jkm",
                "wages",
                10_000_000,
                "0.00003",
                300,
                "PP 44/2015; Permenaker 44/2015; PP 49/2020",
                f"0.003% × Rp10,000,000 (wage) = Rp300 (normal rate 0.3% × 1%, {PP49})",
                300,
                0,
            ),
        ],
        "2020-10-30",
        [],
        id="PP49/2020 on construction wages (Jakon): 1.74% and 0.3% at 1%",
    ),
    pytest.param(
        {
            "period": "2025-03",
            "segment": "pu",
            "wage": "4000000",
            "risk_class": "1",
            "programs": "jkk",
            "industry": "tekstil",
            "workers": "50",
        },
        [
            item(
                "jkk",
                "risk_class_1",
                4_000_000,
                "0.0012",
                4_800,
                "PP 44/2015 Lampiran I; PP 7/2025",
                f"0.12% × Rp4,000,000 (wage) = Rp4,800 (normal rate 0.24% × 50%, {PP7})",
                4_800,
                0,
            )
        ],
        "2025-04-15",
        [],
        id="PP7/2025: exactly 50 workers in a listed industry: JKK halved",
    ),
    pytest.param(
        {
            "period": "2025-03",
            "segment": "pu",
            "wage": "4000000",
            "risk_class": "1",
            "programs": "jkk",
            "industry": "tekstil",
            "workers": "49",
        },
        [
            item(
                "jkk",
                "risk_class_1",
                4_000_000,
                "0.0024",
                9_600,
                "PP 44/2015 Lampiran I",
                "0.24% × Rp4,000,000 (wage) = Rp9,600",
                9_600,
                0,
            )
        ],
        "2025-04-15",
        [f"{PP7} needs at least 50 workers; it does not apply."],
        id="PP7/2025: 49 workers: no discount, and why",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "bpu", "income": "1000000"},
        [
            item(
                "jkk",
                "contribution",
                1_000_000,
                "0.01",
                10_000,
                "PP 44/2015 Lampiran II",
                "1% × Rp1,000,000 (band nominal) = Rp10,000",
                0,
                10_000,
            ),
            item("jkm", "contribution", 1_000_000, None, 6_800, "PP 44/2015", "flat Rp6,800 a month", 0, 6_800),
        ],
        "2024-05-15",
        [],
        id="PP44/2015 Lampiran II: BPU lowest band, the member pays all, due the 15th of the month",
    ),
    pytest.param(
        {
            "period": "2026-01",
            "segment": "bpu",
            "income": "2500000",
            "sector": "transportasi",
            "programs": "jkk,jkm,jht",
        },
        [
            item(
                "jkk",
                "contribution",
                2_500_000,
                "0.005",
                12_500,
                "PP 44/2015 Lampiran II; PP 50/2025",
                f"0.5% × Rp2,500,000 (band nominal) = Rp12,500 (normal rate 1% × 50%, {PP50})",
                0,
                12_500,
            ),
            item(
                "jkm",
                "contribution",
                2_500_000,
                None,
                3_400,
                "PP 44/2015; PP 50/2025",
                f"flat Rp6,800 × 50% ({PP50}) = Rp3,400",
                0,
                3_400,
            ),
            item(
                "jht",
                "contribution",
                2_500_000,
                "0.02",
                50_000,
                "PP 46/2015",
                "2% × Rp2,500,000 (band nominal) = Rp50,000",
                0,
                50_000,
            ),
        ],
        "2026-01-15",
        [
            "Unconfirmed value: BPU income bands (from 2015-07-01, PP 44/2015 Lampiran II). Check it before relying on"
            " it. Only the lowest and highest nominals are confirmed; the Rp100,000 steps between are not."
        ],
        id="PP50/2025: BPU transport sector, first month: JKK and JKM halved, JHT not",
    ),
    pytest.param(
        {"period": "2026-01", "segment": "bpu", "income": "1000000", "sector": "transportasi", "funding": "apbd"},
        [
            item(
                "jkk",
                "contribution",
                1_000_000,
                "0.01",
                10_000,
                "PP 44/2015 Lampiran II",
                "1% × Rp1,000,000 (band nominal) = Rp10,000",
                0,
                10_000,
            ),
            item("jkm", "contribution", 1_000_000, None, 6_800, "PP 44/2015", "flat Rp6,800 a month", 0, 6_800),
        ],
        "2026-01-15",
        [f"{PP50} does not apply to contributions paid from APBD.", "Paid on the member's behalf (funding: APBD)."],
        id="PP50/2025: not for contributions paid from the APBD",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "bpu", "income": "1550000"},
        [
            item(
                "jkk",
                "contribution",
                1_500_000,
                "0.01",
                15_000,
                "PP 44/2015 Lampiran II",
                "1% × Rp1,500,000 (band nominal) = Rp15,000",
                0,
                15_000,
            ),
            item("jkm", "contribution", 1_500_000, None, 6_800, "PP 44/2015", "flat Rp6,800 a month", 0, 6_800),
        ],
        "2024-05-15",
        [
            "Declared income Rp1,550,000 falls in the band with nominal Rp1,500,000.",
            "Unconfirmed value: BPU income bands (from 2015-07-01, PP 44/2015 Lampiran II). Check it before relying on"
            " it. Only the lowest and highest nominals are confirmed; the Rp100,000 steps between are not.",
        ],
        id="PP44/2015 Lampiran II: an income between the steps takes its band's lower bound",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "2501500", "programs": "jkm"},
        [
            item(
                "jkm",
                "contribution",
                2_501_500,
                "0.003",
                7_505,
                "PP 44/2015",
                "0.3% × Rp2,501,500 (wage) = Rp7,505",
                7_505,
                0,
            )
        ],
        "2024-06-18",
        [],
        id="rounding: 0.3% of 2,501,500 is 7,504.5, half up to 7,505 (half even would give 7,504)",
    ),
    pytest.param(
        {"period": "2024-05", "segment": "pu", "wage": "2501525", "programs": "jht"},
        [
            item(
                "jht",
                "contribution",
                2_501_525,
                "0.057",
                142_587,
                "PP 46/2015",
                "Rp2,501,525 (wage) × (3.7% employer + 2% worker) = Rp92,556 + Rp50,031",
                92_556,
                50_031,
            )
        ],
        "2024-06-18",
        [],
        id="rounding per share: 2% of 2,501,525 is 50,030.5 -> 50,031; 3.7% is 92,556.425 -> 92,556",
    ),
    pytest.param(
        {
            "period": "2024-11",
            "segment": "pu",
            "wage": "3000000",
            "risk_class": "1",
            "programs": "jkk,jkm",
            "paid_on": "2025-01-20",
        },
        [
            item(
                "jkk",
                "risk_class_1",
                3_000_000,
                "0.0024",
                7_200,
                "PP 44/2015 Lampiran I",
                "0.24% × Rp3,000,000 (wage) = Rp7,200",
                7_200,
                0,
            ),
            item(
                "jkm",
                "contribution",
                3_000_000,
                "0.003",
                9_000,
                "PP 44/2015",
                "0.3% × Rp3,000,000 (wage) = Rp9,000",
                9_000,
                0,
            ),
            item(
                "denda",
                "late_penalty",
                16_200,
                "0.02",
                648,
                "PP 44/2015; PP 45/2015; PP 46/2015",
                "2% a month × 2 months late × Rp16,200 = Rp648",
                648,
                0,
            ),
        ],
        "2024-12-16",
        [],
        id="PP44/2015 penalty across December-January: due 16 Dec 2024, paid 20 Jan 2025 = 2 started months",
    ),
]


@pytest.mark.parametrize(("raw", "items", "due", "notes"), CONTRIBUTIONS)
def test_contribution_items_whole(raw, items, due, notes):
    body = contribution_json(**raw)
    assert body["items"] == items
    assert body["total"] == sum(i["amount"] for i in items)
    assert body["due_date"] == due
    assert body["notes"] == notes
    assert "eligible" not in body


def test_the_rules_version_names_the_data_used():
    body = contribution_json(period="2024-05", segment="pu", wage="3000000", programs="jkm")
    assert len(body["rules_version"]) == 12
    assert body["rules_version"] == contribution_json(period="2015-07", segment="bpu", income="1")["rules_version"]


BENEFITS = [
    pytest.param(
        {"program": "jkk", "kind": "stmb", "event_date": "2024-01-10", "wage": "3000000", "months": "1"},
        [
            item(
                "jkk",
                "stmb_months_1_1",
                3_000_000,
                "1",
                3_000_000,
                "PP 82/2019 Lampiran III",
                "100% × wage Rp3,000,000 × 1 months (months 1-1) = Rp3,000,000",
            )
        ],
        ["STMB is paid to the employer as wage replacement, until recovery.", *CLAIM_NOTES],
        id="PP82/2019 STMB: one month unable to work, 100% of the wage",
    ),
    pytest.param(
        {"program": "jkk", "kind": "stmb", "event_date": "2024-01-10", "wage": "3000000", "months": "14"},
        [
            item(
                "jkk",
                "stmb_months_1_12",
                3_000_000,
                "1",
                36_000_000,
                "PP 82/2019 Lampiran III",
                "100% × wage Rp3,000,000 × 12 months (months 1-12) = Rp36,000,000",
            ),
            item(
                "jkk",
                "stmb_months_13_14",
                3_000_000,
                "0.5",
                3_000_000,
                "PP 82/2019 Lampiran III",
                "50% × wage Rp3,000,000 × 2 months (months 13-14) = Rp3,000,000",
            ),
        ],
        ["STMB is paid to the employer as wage replacement, until recovery.", *CLAIM_NOTES],
        id="PP82/2019 STMB: 12 months at 100%, then 50%",
    ),
    pytest.param(
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "3000000", "percentage": "100"},
        [
            item(
                "jkk",
                "partial_disability",
                3_000_000,
                "1",
                240_000_000,
                "PP 82/2019 Lampiran III",
                "100% × 80 × wage Rp3,000,000 = Rp240,000,000",
            )
        ],
        CLAIM_NOTES,
        id="PP82/2019: a 100% disability from the table is 80 monthly wages",
    ),
    pytest.param(
        {
            "program": "jkk",
            "kind": "disability",
            "event_date": "2024-01-10",
            "wage": "3000000",
            "percentage": "10",
            "function_loss": "50",
        },
        [
            item(
                "jkk",
                "partial_disability",
                3_000_000,
                "0.05",
                12_000_000,
                "PP 82/2019 Lampiran III",
                "5% × 80 × wage Rp3,000,000 = Rp12,000,000",
            )
        ],
        CLAIM_NOTES,
        id="PP82/2019: 10% of the table with half the function lost: 5% × 80 wages",
    ),
    pytest.param(
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "1001", "percentage": "12.5"},
        [
            item(
                "jkk",
                "partial_disability",
                1_001,
                "0.125",
                10_010,
                "PP 82/2019 Lampiran III",
                "12.5% × 80 × wage Rp1,001 = Rp10,010",
            )
        ],
        CLAIM_NOTES,
        id="PP82/2019: a decimal percentage",
    ),
    pytest.param(
        {"program": "jkk", "kind": "total_disability", "event_date": "2024-01-10", "wage": "3000000"},
        [
            item(
                "jkk",
                "total_disability",
                3_000_000,
                "0.7",
                168_000_000,
                "PP 82/2019 Lampiran III",
                "70% × 80 × wage Rp3,000,000 = Rp168,000,000",
            ),
            item(
                "jkk", "periodic", 12_000_000, None, 12_000_000, "PP 82/2019 Lampiran III", "fixed amount Rp12,000,000"
            ),
        ],
        None,
        id="PP82/2019: total permanent disability, 70% × 80 wages and the periodic benefit",
    ),
    pytest.param(
        {"program": "jkm", "event_date": "2024-01-10"},
        [
            item("jkm", "lump_sum", 20_000_000, None, 20_000_000, "PP 82/2019", "fixed amount Rp20,000,000"),
            item("jkm", "periodic", 12_000_000, None, 12_000_000, "PP 82/2019", "fixed amount Rp12,000,000"),
            item("jkm", "funeral", 10_000_000, None, 10_000_000, "PP 82/2019", "fixed amount Rp10,000,000"),
        ],
        [
            "Requires an active, paid membership on the date of death.",
            "Without heirs, the funeral cost goes to whoever arranged the burial.",
            "Scholarship: up to 2 children when contributions reach 3 years; give the children to compute it.",
        ],
        id="PP82/2019: JKM Rp42,000,000",
    ),
    pytest.param(
        {"program": "jkk", "kind": "death", "event_date": "2024-01-10", "wage": "1000000"},
        [
            item(
                "jkk",
                "lump_sum",
                1_000_000,
                None,
                48_000_000,
                "PP 82/2019",
                "48 × wage Rp1,000,000 = Rp48,000,000, at least Rp20,000,000",
            ),
            item("jkk", "funeral", 10_000_000, None, 10_000_000, "PP 82/2019", "fixed amount Rp10,000,000"),
            item("jkk", "periodic", 12_000_000, None, 12_000_000, "PP 82/2019", "fixed amount Rp12,000,000"),
        ],
        None,
        id="PP82/2019: JKK death, 48 wages",
    ),
]


@pytest.mark.parametrize(("raw", "items", "notes"), BENEFITS)
def test_benefit_items_whole(raw, items, notes):
    body = benefit_json(**raw)
    assert body["items"] == items
    assert body["total"] == sum(i["amount"] for i in items)
    assert body["eligible"] is True
    assert "due_date" not in body
    if notes is not None:
        assert body["notes"] == notes
