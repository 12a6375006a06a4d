"""Monitoring per agency office: a Kanwil's provinces and branches side by side, a branch's
kabupaten/kota, and the nation grouped by Kanwil.

A month's figures belong to the office that served the region on the month's last day: a region
moved to another branch on 1 July leaves January-June with the old branch and July on with the new.
Everything is read from the rollups (one row per region and month), never from members or invoices."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from lindung.core.scoping import ScopedActor
from lindung.monitoring import agency
from lindung.monitoring.models import CoverageRollup, MoneyRollup
from lindung.monitoring.selectors import (
    CoverageRow,
    MoneyFact,
    MoneyRow,
    Place,
    RankRow,
    commitment,
    compliance_of,
    funded_agreements,
    money_row,
    rank_rows,
    workforce_of,
)
from lindung.offices.models import Office, OfficeKind, ServiceArea
from lindung.offices.selectors import may_oversee, offices_by_region
from lindung.regions import codes
from lindung.regions.models import Region
from lindung.rules.periods import Period

NO_OFFICE = ""


def month_end(period: Period) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def office_for_monitoring(*, actor: ScopedActor, code: str, on: date) -> Office:
    """An office the actor may oversee (its whole area inside the actor's regions), else 404."""
    office = Office.objects.select_related("parent").filter(code=code).first()
    if office is None or not may_oversee(actor, office, on):
        raise Http404
    return office


def _areas(office: Office) -> list[ServiceArea]:
    return list(ServiceArea.objects.filter(office_id__in=office.answering_ids()).order_by("region_id", "valid_from"))


def _served(areas: Iterable[ServiceArea], on: date) -> set[str]:
    return {a.region_id for a in areas if a.valid_from <= on and (a.valid_to is None or a.valid_to > on)}


@dataclass
class CommitmentSummary:
    code: str
    name: str
    agreements: int
    quota: int
    workers: int
    budget_ceiling: int
    regencies_without: int
    villages_total: int


@dataclass
class OfficeFigures:
    office: Office
    period: Period
    coverage: list[CoverageRow]
    coverage_total: CoverageRow
    money: list[MoneyRow]
    money_total: MoneyRow
    commitment: list[CommitmentSummary] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    # A Kanwil's branches (each with its KCPs), from their kabupaten/kota of the month.
    branches: list[CoverageRow] = field(default_factory=list)
    # Members of a Kanwil's provinces administered at the province itself, in no branch's area.
    province_level: CoverageRow | None = None


def office_figures(office: Office, period: Period, *, today: date) -> OfficeFigures:
    """Coverage for the month, money and claims for its year up to it, commitment today and the ranking
    of the office's regions, with totals that are the sums of the rows."""
    areas = _areas(office)
    members = sorted(_served(areas, month_end(period)))
    rows = coverage_rows(members, period)
    total = _sum_coverage(office.code, office.name, rows)
    money_rows = _money_rows(areas, period.year, today)
    figures = OfficeFigures(
        office=office,
        period=period,
        coverage=rows,
        coverage_total=total,
        money=money_rows,
        money_total=_sum_money(office.code, _("Total"), money_rows),
    )
    figures.commitment = [_commitment_summary(row, today) for row in rows]
    funded = {a.sponsor.region_id for row in rows for a in funded_agreements(_place(row), today)}
    compliance = compliance_of(MoneyRollup.objects.filter(region_code__in=members), period, today)
    figures.ranking = rank_rows(rows, funded, compliance, agency.agency_totals(members, period))
    if office.kind == OfficeKind.KANWIL:
        figures.branches = _branch_rows(office, members, period)
        placed = sum(b.registered for b in figures.branches), sum(b.active for b in figures.branches)
        if placed != (total.registered, total.active) and figures.branches:
            figures.province_level = CoverageRow(
                "",
                _("In no branch's area (administered at the province, or a kabupaten/kota without a branch)"),
                total.registered - placed[0],
                total.active - placed[1],
            )
    return figures


def coverage_rows(region_codes: Sequence[str], period: Period) -> list[CoverageRow]:
    """Registered, active and workforce of each region for the month, from the rollups: two queries
    plus one per region for the workforce (an office has a few dozen regions at most)."""
    if not region_codes:
        return []
    names = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name"))
    counts = {
        code: (registered, active)
        for code, registered, active in CoverageRollup.objects.filter(
            region_code__in=region_codes, period=str(period), dimension=""
        ).values_list("region_code", "registered", "active")
    }
    workforce = workforce_of(region_codes, period.year)
    return [
        CoverageRow(code, names.get(code, code), *counts.get(code, (0, 0)), sum(workforce.get(code, {}).values()))
        for code in region_codes
    ]


def _sum_coverage(code: str, name: str, rows: Iterable[CoverageRow]) -> CoverageRow:
    total = CoverageRow(code, name)
    for row in rows:
        total.registered += row.registered
        total.active += row.active
        total.workforce += row.workforce
    return total


def _money_rows(areas: list[ServiceArea], year: int, today: date) -> list[MoneyRow]:
    """Each region's money of the year, counting only the months the office served it."""
    regions = sorted({a.region_id for a in areas})
    served_in = {f"{year}-{month:02d}": _served(areas, month_end(Period(year, month))) for month in range(1, 13)}
    facts: dict[str, list[MoneyFact]] = defaultdict(list)
    for row in MoneyRollup.objects.filter(region_code__in=regions, period__startswith=f"{year}-").values_list(
        "region_code", "period", "program", "billed", "collected", "claims", "claims_paid"
    ):
        fact = MoneyFact(*row)
        if fact.region_code in served_in.get(fact.period, set()):
            facts[fact.region_code].append(fact)
    names = dict(Region.objects.filter(code__in=list(facts)).values_list("code", "name"))
    return [money_row(code, names.get(code, code), facts[code], today) for code in sorted(facts)]


def _sum_money(code: str, name: str, rows: Iterable[MoneyRow]) -> MoneyRow:
    total = MoneyRow(code, name)
    for row in rows:
        total.billed += row.billed
        total.collected += row.collected
        total.arrears += row.arrears
        total.claims += row.claims
        total.claims_paid += row.claims_paid
    return total


def _place(row: CoverageRow) -> Place:
    return Place(row.code, row.name, codes.level_of(row.code))


def _commitment_summary(row: CoverageRow, today: date) -> CommitmentSummary:
    found = commitment(_place(row), today=today)
    return CommitmentSummary(
        row.code,
        row.name,
        len(found.agreements),
        sum(a.quota for a in found.agreements),
        sum(a.workers for a in found.agreements),
        sum(a.budget_ceiling for a in found.agreements),
        len(found.regencies_without),
        found.villages_total,
    )


def _branch_rows(kanwil: Office, provinces: Sequence[str], period: Period) -> list[CoverageRow]:
    """Each branch under the Kanwil (its KCPs included): the sum of its kabupaten/kota of the month."""
    on = month_end(period)
    branches = list(Office.objects.filter(parent=kanwil, kind=OfficeKind.CABANG).order_by("name"))
    rows = []
    for branch in branches:
        served = [code for code in branch.area_codes(on) if code.split(".")[0] in provinces]
        rows.append(_sum_coverage(branch.code, branch.short_name, coverage_rows(served, period)))
    return rows


# ---------------------------------------------------------------- the nation by Kanwil


@dataclass
class KanwilGroup:
    code: str  # the Kanwil's code, "" for provinces no Kanwil serves
    name: str
    provinces: list[str]
    coverage: CoverageRow


def kanwil_groups(provinces: Sequence[CoverageRow], period: Period) -> list[KanwilGroup]:
    """The national page's provinces summed per Kanwil serving them at the month's end; provinces no
    Kanwil serves form a group of their own, so the groups add up to the provinces' total."""
    serving = offices_by_region(codes.PROVINCE, month_end(period))
    grouped: dict[str, list[CoverageRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in provinces:
        office = serving.get(row.code)
        key = office.code if office else NO_OFFICE
        names[key] = office.short_name if office else _("No regional office")
        grouped[key].append(row)
    groups = [
        KanwilGroup(key, names[key], [r.code for r in rows], _sum_coverage(key, names[key], rows))
        for key, rows in grouped.items()
    ]
    return sorted(groups, key=lambda g: (g.code == NO_OFFICE, g.name))
