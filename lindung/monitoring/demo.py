"""Demo monitoring data for `make run`: workforce figures for Riau's kabupaten/kota, then the rollups.

Kabupaten Siak's total is the published figure (331,592 in 2021, scenarios.md); the split by
category and the other regions' figures are made up, in proportion to their size, for the demo.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindung.monitoring.models import Workforce, WorkforceCategory
from lindung.monitoring.rollups import refresh_rollups
from lindung.regions.models import Region
from lindung.rules.periods import Period

RIAU = "14"
SIAK = "14.08"
SIAK_WORKFORCE = 331_592
# Shares of a kabupaten's workforce by category (sum 1), roughly as Riau's statistics show them.
SHARES = {
    WorkforceCategory.PU: 0.52,
    WorkforceCategory.BPU: 0.40,
    WorkforceCategory.ASN: 0.035,
    WorkforceCategory.TNI: 0.004,
    WorkforceCategory.POLRI: 0.006,
    WorkforceCategory.NON_ASN: 0.03,
    WorkforceCategory.ELECTION: 0.005,
}
YEARS = (2025, 2026)
HISTORY_FROM = Period(2019, 1)  # the demo's claims and memberships start in 2019


def demo_monitoring_ensure() -> dict[str, Any]:
    """Workforce figures once, then the rollups from 2019 to this month (always rebuilt)."""
    created = 0
    if not Workforce.objects.filter(region_id=SIAK).exists():
        created = _workforce()
    outcome = refresh_rollups(first=HISTORY_FROM)
    return {"workforce": created, "coverage_rows": outcome.coverage_rows, "months": len(outcome.months)}


def _workforce() -> int:
    randomness = random.Random(14)  # noqa: S311 - demo figures, not security
    regencies = list(Region.objects.filter(province_code=RIAU, level=2).values_list("code", flat=True))
    rows = []
    now = timezone.now()
    for code in regencies:
        total = SIAK_WORKFORCE if code == SIAK else randomness.randint(150_000, 600_000)
        for year in YEARS:
            grown = round(total * (1.02 ** (year - YEARS[0])))
            counts = {category: round(grown * share) for category, share in SHARES.items()}
            counts[WorkforceCategory.PU] += grown - sum(counts.values())  # the rounding remainder
            rows += [
                Workforce(region_id=code, year=year, category=c, count=n, source="Demo", updated_at=now)
                for c, n in counts.items()
            ]
    with transaction.atomic():
        Workforce.objects.bulk_create(rows)
    return len(rows)
