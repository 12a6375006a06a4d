"""Budget planning: a phased target priced month by month, reliefs applied, against the ceiling."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from lindung.contributions.planner import budget_plan, parse_phases, plan_workbook
from lindung.rules.contributions import ContributionQuery
from lindung.rules.periods import Period


def bpu(period: str, funding: str = "apbd") -> ContributionQuery:
    return ContributionQuery(
        period=Period.parse(period), segment="bpu", programs=("jkk", "jkm"), income=1_000_000, funding=funding
    )


def test_a_phased_target_of_5000_then_10000_workers_against_the_ceiling():
    phases = parse_phases("2023-10 5.000\n2024-01: 10000\n")
    plan = budget_plan(bpu("2023-10"), phases, months=12, ceiling=1_700_000_000)
    # 16,800 a worker a month (lowest band JKK 10,000 + JKM 6,800).
    assert [(str(r.period), r.members, r.total) for r in plan.rows[2:4]] == [
        ("2023-12", 5_000, 84_000_000),
        ("2024-01", 10_000, 168_000_000),
    ]
    assert plan.total == 3 * 84_000_000 + 9 * 168_000_000 == 1_764_000_000
    assert plan.over_ceiling == 64_000_000
    assert plan.first_month_over == Period(2024, 9)

    sheet = load_workbook(BytesIO(plan_workbook(plan, title="Kabupaten Siak")))["Rencana anggaran"]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Jumlah"]
    assert values[0][3] == 1_764_000_000
    assert sheet["B6"].value == 5_000


def test_relief_applies_to_self_paying_bpu_but_not_to_apbd_funded_workers():
    mandiri = budget_plan(bpu("2026-03", "mandiri"), parse_phases("2026-03 100"), months=2)
    assert [(r.per_member, r.relief) for r in mandiri.rows] == [(16_800, ""), (8_400, "PP 50/2025")]
    apbd = budget_plan(bpu("2026-03"), parse_phases("2026-03 100"), months=2)
    assert [r.per_member for r in apbd.rows] == [16_800, 16_800]


def test_bad_phases_are_refused_with_the_line_number():
    with pytest.raises(ValidationError, match="Baris 2"):
        parse_phases("2024-01 10\nJanuari 20")
