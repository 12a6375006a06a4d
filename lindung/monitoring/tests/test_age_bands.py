"""A one-month rebuild sorts people into age bands by birth-date ranges; they must agree with the
rule itself (`age_band` on the month's first day), day by day around every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lindung.monitoring.rollups import OLDEST_BAND, age_band, band_thresholds
from lindung.rules.periods import Period


def _band_by_thresholds(birth: date, month: Period) -> str:
    return next((band for day, band in band_thresholds(month) if birth >= day), OLDEST_BAND)


@pytest.mark.parametrize("month", [Period(2024, 1), Period(2025, 2), Period(2026, 3), Period(2026, 12)])
def test_thresholds_agree_with_the_rule_around_every_boundary(month):
    births = []
    for day, _band in band_thresholds(month):
        births += [day + timedelta(days=offset) for offset in range(-40, 40)]
    disagreements = [b for b in births if _band_by_thresholds(b, month) != age_band(b, month.first_day)]
    assert disagreements == []
    assert len({age_band(b, month.first_day) for b in births}) == 5  # every band was reached


def test_age_groups_are_listed_youngest_first_not_by_their_codes():
    from lindung.monitoring.selectors import _by_dimension

    rows = [("age_band", band, 1, 1) for band in ("55+", "25-34", "<25", "45-54", "35-44")]
    assert [row.code for row in _by_dimension(rows, "age_band", {})] == ["<25", "25-34", "35-44", "45-54", "55+"]
