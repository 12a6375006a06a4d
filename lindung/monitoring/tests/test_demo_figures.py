"""The demo tells the published stories (scenarios.md) through the agency's figures."""

from __future__ import annotations

import pytest

from lindung.monitoring import demo
from lindung.monitoring.agency import agency_totals, official_coverage
from lindung.monitoring.selectors import workforce_of
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db


def workforce(code: str, year: int) -> int:
    return sum(workforce_of([code], year)[code].values())


def test_the_demo_shows_siak_2021_sumbagsel_2022_and_dumai_2023_as_published():
    demo._workforce()
    demo._agency_figures()

    siak = official_coverage("14.08", Period(2021, 4), workforce("14.08", 2021))
    assert siak is not None
    assert (siak.workforce, siak.registered, siak.not_registered, siak.percent) == (331_592, 246_879, 84_713, 74.5)
    assert "Cabang Siak, April 2021" in siak.source
    shares = {code: official_coverage(code, Period(2022, 9), workforce(code, 2022)) for code in ("16", "17", "18")}
    assert {code: figure.percent for code, figure in shares.items() if figure} == {"16": 35.0, "17": 23.6, "18": 24.0}
    dumai = agency_totals(["14.72"], Period(2023, 12))["14.72"]
    assert (dumai.registered, dumai.claims_paid) == (70_000, 187_000_000_000)
    # Every Riau kabupaten/kota has a figure for recent months, so no page is empty.
    riau = agency_totals(["14"], Period(2025, 6))["14"]
    assert riau.registered > 0
