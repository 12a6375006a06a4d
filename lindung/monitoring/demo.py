"""Demo monitoring data for `make run`: workforce figures, the agency's own figures, then the rollups.

Published figures (scenarios.md) are used where they exist and labelled so in their source:
Kabupaten Siak's workforce of 331,592 with 246,879 registered (April 2021); Sumatera Selatan 35%,
Bengkulu 23.6% and Lampung 24% protected (September 2022); Dumai's 70,000 participants and Rp187
billion of claims (2023). The split by category and segment, the other regions' figures and the
provinces' workforce are made up, in proportion to their size, and say "angka buatan".
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindung.monitoring.models import AgencyFigure, AgencyUpload, Workforce, WorkforceCategory
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
YEARS = tuple(range(2019, 2027))
SIAK_YEAR = 2021  # the year of the published workforce figure
# Kanwil Sumbagsel's provinces in September 2022: share protected (news) and a workforce near BPS's.
SUMBAGSEL = {"16": (0.35, 4_470_000), "17": (0.236, 1_060_000), "18": (0.24, 4_630_000)}
SUMBAGSEL_CLAIMS = {"16": 1_050_000_000, "17": 192_000_000, "18": 772_000_000}
DUMAI = "14.72"
HISTORY_FROM = Period(2019, 1)  # the demo's claims and memberships start in 2019


def demo_monitoring_ensure() -> dict[str, Any]:
    """Workforce figures once, then the rollups from 2019 to this month (always rebuilt)."""
    created = figures = 0
    if not Workforce.objects.filter(region_id=SIAK).exists():
        created = _workforce()
    if not AgencyUpload.objects.exists():
        figures = _agency_figures()
    outcome = refresh_rollups(first=HISTORY_FROM)
    return {
        "workforce": created,
        "agency_figures": figures,
        "coverage_rows": outcome.coverage_rows,
        "months": len(outcome.months),
    }


def _workforce() -> int:
    randomness = random.Random(14)  # noqa: S311 - demo figures, not security
    regencies = list(Region.objects.filter(province_code=RIAU, level=2).values_list("code", flat=True))
    rows = []
    now = timezone.now()
    for code in regencies:
        total = SIAK_WORKFORCE if code == SIAK else randomness.randint(150_000, 600_000)
        for year in YEARS:
            grown = round(total * (1.02 ** (year - SIAK_YEAR)))
            counts = {category: round(grown * share) for category, share in SHARES.items()}
            counts[WorkforceCategory.PU] += grown - sum(counts.values())  # the rounding remainder
            rows += [
                Workforce(region_id=code, year=year, category=c, count=n, source=_source(code, year), updated_at=now)
                for c, n in counts.items()
            ]
    for province, (_share, workforce) in SUMBAGSEL.items():
        rows.append(
            Workforce(
                region_id=province,
                year=2022,
                category=WorkforceCategory.PU,
                count=workforce,
                source="Demo: mendekati BPS Sakernas Agustus 2022 (angka buatan)",
                updated_at=now,
            )
        )
    with transaction.atomic():
        Workforce.objects.bulk_create(rows)
    return len(rows)


def _source(code: str, year: int) -> str:
    if code == SIAK and year == SIAK_YEAR:
        return "Demo dari berita: angkatan kerja Kabupaten Siak 2021 (331.592)"
    return "Demo: angka buatan"


def _agency_figures() -> int:
    """The agency's counts: the published stories, then made-up monthly figures for Riau's regions."""
    stories = [
        (
            "Demo dari berita: BPJS Ketenagakerjaan Cabang Siak, April 2021 (246.879 terdaftar)",
            [_figure(SIAK, "2021-04", "pu", 172_815, 0.85), _figure(SIAK, "2021-04", "bpu", 74_064, 0.7)],
        ),
        (
            "Demo dari berita: Kanwil Sumbagsel, September 2022 (persentase terlindungi; jumlah dihitung)",
            [
                _figure(code, "2022-09", "pu", round(share * workforce), 0.9, claims={"jkm": SUMBAGSEL_CLAIMS[code]})
                for code, (share, workforce) in SUMBAGSEL.items()
            ],
        ),
        (
            "Demo dari berita: BPJS Ketenagakerjaan Cabang Dumai, 2023 (70.000 peserta; klaim Rp187 miliar setahun)",
            [
                _figure(DUMAI, "2023-12", "pu", 50_000, 0.9, claims={"jht": 160_000_000_000, "jkm": 9_000_000_000}),
                _figure(DUMAI, "2023-12", "bpu", 15_000, 0.75, claims={"jkk": 18_000_000_000}),
                _figure(DUMAI, "2023-12", "jakon", 5_000, 0.8),
            ],
        ),
        ("Demo: angka buatan BPJS Ketenagakerjaan untuk wilayah Riau", _made_up_months()),
    ]
    written = 0
    with transaction.atomic():
        for source, figures in stories:
            upload = AgencyUpload.objects.create(source=source, file_name="demo", figures=len(figures))
            for figure in figures:
                figure.upload = upload
            AgencyFigure.objects.bulk_create(figures, batch_size=2000)
            written += len(figures)
    return written


def _figure(
    region: str, period: str, segment: str, registered: int, paid_share: float, claims: dict[str, int] | None = None
) -> AgencyFigure:
    by_program = {program: [max(1, rupiah // 42_000_000), rupiah] for program, rupiah in (claims or {}).items()}
    return AgencyFigure(
        region_id=region,
        period=period,
        segment=segment,
        registered=registered,
        active=round(registered * paid_share),
        claims=sum(count for count, _rupiah in by_program.values()),
        claims_paid=sum(rupiah for _count, rupiah in by_program.values()),
        claims_by_program=by_program,
    )


def _made_up_months() -> list[AgencyFigure]:
    """Each Riau kabupaten/kota, every month from January 2024 to last month: a coverage of its own
    workforce that rises slowly, PU and BPU (Siak's and Dumai's published months are kept apart)."""
    randomness = random.Random(19)  # noqa: S311 - demo figures, not security
    today = timezone.localdate()
    last = Period(today.year, today.month).shifted(-1)
    workforce = dict(
        Workforce.objects.filter(region__province_code=RIAU, year=2025, category="pu").values_list("region_id", "count")
    )
    figures = []
    for code, pu in sorted(workforce.items()):
        coverage = randomness.uniform(0.45, 0.7)
        month = Period(2024, 1)
        while month <= last:
            coverage = min(coverage * 1.003, 0.9)
            figures.append(_figure(code, str(month), "pu", round(pu * coverage), 0.88))
            figures.append(_figure(code, str(month), "bpu", round(pu * coverage * 0.3), 0.7))
            month = month.shifted(1)
    return figures
