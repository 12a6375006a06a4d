"""Dashboard figures: read from the rollups, the workforce table and the agreements, never from the
millions of membership or invoice rows. Each region's figures cover its whole subtree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lindung.core.replica import replica_reads
from lindung.core.scoping import ScopedActor
from lindung.monitoring import agency, rollups
from lindung.monitoring.models import AgeBand, CoverageRollup, MoneyRollup, RankingIndicator, RankingWeight, Workforce
from lindung.regions import codes
from lindung.regions.models import Region, RegionKind
from lindung.registry.models import Agreement, AgreementStatus, MembershipVersion, SponsorKind
from lindung.rules.contributions import due_date
from lindung.rules.periods import Period

NATIONAL = ""
TREND_MONTHS = 12


@dataclass(frozen=True)
class Place:
    """A dashboard's region, or the nation (code "")."""

    code: str
    name: str
    level: int
    kind: str = ""

    @property
    def is_national(self) -> bool:
        return self.code == NATIONAL

    @property
    def is_regency(self) -> bool:
        return self.level == codes.REGENCY


def place_get(*, actor: ScopedActor, code: str) -> Place:
    """The region a user may monitor: inside one of their regions (the nation only for who sees all)."""
    if code == NATIONAL:
        if not actor.sees_all_regions:
            raise Http404
        return Place(NATIONAL, "Indonesia", 0)
    if not actor.sees_all_regions and not any(codes.is_within(code, mine) for mine in actor.region_codes):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return Place(region.code, region.name, region.level, region.kind)


def home_code(actor: ScopedActor) -> str:
    """Where a user's monitoring starts: the nation, or their first region."""
    if actor.sees_all_regions or not actor.region_codes:
        return NATIONAL
    return sorted(actor.region_codes)[0]


def breadcrumbs(place: Place, actor: ScopedActor) -> list[Place]:
    """The enclosing places the user may open, from the top down."""
    enclosing = list(reversed(codes.ancestors_of(place.code))) if place.code else []
    regions = {r.code: r for r in Region.objects.filter(code__in=enclosing)}
    trail = [Place(NATIONAL, "Indonesia", 0)] if actor.sees_all_regions and place.code else []
    for code in enclosing:
        if code in regions and (actor.sees_all_regions or any(codes.is_within(code, m) for m in actor.region_codes)):
            trail.append(Place(code, regions[code].name, regions[code].level, regions[code].kind))
    return trail


# ---------------------------------------------------------------- periods


def periods_held() -> list[Period]:
    return rollups.window() or []


def period_or_default(text: str | None, *, today: date) -> Period | None:
    """The month asked for if the rollups hold it, else last month (the latest whose dues have fallen)."""
    held = periods_held()
    if not held:
        return None
    if text:
        try:
            asked = Period.parse(text)
        except ValueError:
            asked = None
        if asked in held:
            return asked
    last_month = Period(today.year, today.month).shifted(-1)
    return last_month if last_month in held else held[-1]


# ---------------------------------------------------------------- workforce


def workforce_of(codes_wanted: Iterable[str], year: int) -> dict[str, dict[str, int]]:
    """Workforce by category for each region: its own figures if loaded, else the sum of its
    children's, each found the same way (so a kabupaten counted by its kecamatan is not counted
    twice, and a province loaded only by kabupaten still counts in the national total)."""
    result: dict[str, dict[str, int]] = {}
    for code in codes_wanted:
        rows = Workforce.objects.filter(year=year)
        if code:
            rows = rows.filter(Region.subtree_q(code, "region"))
        result[code] = codes.own_else_children(code, _by_region(rows), _sum_categories) or {}
    return result


def _by_region(rows: QuerySet[Workforce]) -> dict[str, dict[str, int]]:
    own: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for region_id, category, count in rows.values_list("region_id", "category", "count"):
        own[region_id][category] += count
    return own


def _sum_categories(parts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for part in parts:
        for category, count in part.items():
            total[category] += count
    return dict(total)


# ---------------------------------------------------------------- coverage


@dataclass
class CoverageRow:
    code: str
    name: str
    registered: int = 0
    active: int = 0
    workforce: int = 0

    @property
    def not_covered(self) -> int:
        return max(self.workforce - self.active, 0)

    @property
    def percent(self) -> float | None:
        return round(100 * self.active / self.workforce, 1) if self.workforce else None

    @property
    def active_percent(self) -> float:
        return round(100 * self.active / self.registered, 1) if self.registered else 0.0


@dataclass
class Coverage:
    place: Place
    period: Period
    total: CoverageRow
    children: list[CoverageRow] = field(default_factory=list)
    # Members administered at this region itself, not in any child (a Pemda's staff at the kabupaten).
    unplaced: CoverageRow | None = None
    by: dict[str, list[CoverageRow]] = field(default_factory=dict)
    trend: list[tuple[str, int, int]] = field(default_factory=list)
    workforce_by_category: dict[str, int] = field(default_factory=dict)


# Which workforce categories are the denominator of a segment or a membership category.
WORKFORCE_OF_SEGMENT: dict[str, tuple[str, ...]] = {"pu": ("pu",), "bpu": ("bpu",), "jakon": ()}
WORKFORCE_OF_CATEGORY: dict[str, tuple[str, ...]] = {
    "non_asn": ("non_asn",),
    "penyelenggara_pemilu": ("penyelenggara_pemilu",),
}
DENOMINATORS: dict[str, dict[str, tuple[str, ...]]] = {
    "segment": WORKFORCE_OF_SEGMENT,
    "category": WORKFORCE_OF_CATEGORY,
}


@replica_reads()
def coverage(place: Place, period: Period) -> Coverage:
    """Registered, active and workforce for a region and month, by child region and by dimension."""
    rows = list(
        CoverageRollup.objects.filter(region_code=place.code, period=str(period)).values_list(
            "dimension", "value", "registered", "active"
        )
    )
    registered, active = next(((r, a) for dimension, _value, r, a in rows if dimension == ""), (0, 0))
    workforce = workforce_of([place.code], period.year)[place.code]
    total = CoverageRow(place.code, place.name, registered, active, sum(workforce.values()))
    result = Coverage(place, period, total, workforce_by_category=workforce)
    for dimension in rollups.COVERAGE_KEY:
        result.by[dimension] = _by_dimension(rows, dimension, workforce)
    result.children = _children(place, period)
    placed = CoverageRow("", "", sum(c.registered for c in result.children), sum(c.active for c in result.children))
    if result.children and (placed.registered, placed.active) != (total.registered, total.active):
        result.unplaced = CoverageRow(
            place.code,
            _("Administered at %(name)s itself") % {"name": place.name},
            total.registered - placed.registered,
            total.active - placed.active,
        )
    result.trend = trend(place, period)
    return result


DIMENSION_ORDER: dict[str, tuple[str, ...]] = {"age_band": tuple(AgeBand.values)}


def _by_dimension(
    rows: list[tuple[str, str, int, int]], dimension: str, workforce: dict[str, int]
) -> list[CoverageRow]:
    """The rows of one breakdown (none for a village: breakdowns are kept down to the kecamatan)."""
    denominators: dict[str, tuple[str, ...]] = DENOMINATORS.get(dimension, {})
    # In the order of the choice list (age bands youngest first), not of the codes ("<25" sorts last).
    order = {code: index for index, code in enumerate(DIMENSION_ORDER.get(dimension, ()))}
    found = sorted(
        ((value, r, a) for kind, value, r, a in rows if kind == dimension and (r or a)),
        key=lambda row: (order.get(row[0], len(order)), row[0]),
    )
    return [
        CoverageRow(value, value, r, a, sum(workforce.get(category, 0) for category in denominators.get(value, ())))
        for value, r, a in found
    ]


def _children(place: Place, period: Period) -> list[CoverageRow]:
    """Every child region (with or without members), with its figures; villages only below a kecamatan."""
    if place.level >= codes.VILLAGE:
        return []
    regions = list(Region.objects.filter(parent_id=place.code or None).order_by("code").values_list("code", "name"))
    figures: dict[str, tuple[int, int]] = {
        row["region_code"]: (row["r"], row["a"])
        for row in CoverageRollup.objects.filter(
            parent_code=place.code, level=place.level + 1, period=str(period), dimension=""
        ).values("region_code", r=F("registered"), a=F("active"))
    }
    workforce = _workforce_totals([code for code, _name in regions], period.year)
    return [CoverageRow(code, name, *figures.get(code, (0, 0)), workforce.get(code, 0)) for code, name in regions]


def _workforce_totals(region_codes: list[str], year: int) -> dict[str, int]:
    """Each region's workforce total in one query: own figures, else its children's (recursively)."""
    if not region_codes:
        return {}
    parent = codes.parent_of(region_codes[0]) or ""
    rows = Workforce.objects.filter(year=year)
    if parent:
        rows = rows.filter(Region.subtree_q(parent, "region"))
    own = _by_region(rows)
    totals = {code: codes.own_else_children(code, own, _sum_categories) for code in region_codes}
    return {code: sum(figure.values()) for code, figure in totals.items() if figure}


@replica_reads()
def trend(place: Place, period: Period, months: int = TREND_MONTHS) -> list[tuple[str, int, int]]:
    """(month, registered, active) for the months up to `period` that the rollups hold."""
    first = str(period.shifted(1 - months))
    found = (
        CoverageRollup.objects.filter(region_code=place.code, dimension="", period__gte=first, period__lte=str(period))
        .values("period", r=F("registered"), a=F("active"))
        .order_by("period")
    )
    return [(row["period"], row["r"], row["a"]) for row in found]


# ---------------------------------------------------------------- village protection


@dataclass
class Village:
    code: str
    name: str
    officials: int
    protected_officials: int
    # From a register of village officials (lindung.outreach), when one is loaded: how many officials
    # the village has, of whom `protected_officials` are protected. None: no register.
    listed: int | None = None

    @property
    def protected(self) -> bool:
        return self.protected_officials > 0


@dataclass
class DistrictVillages:
    code: str
    name: str
    villages: list[Village]

    @property
    def unprotected(self) -> list[Village]:
        return [village for village in self.villages if not village.protected]

    @property
    def protected_count(self) -> int:
        return len(self.villages) - len(self.unprotected)


@replica_reads()
def village_protection(
    place: Place, period: Period, register: dict[str, tuple[int, int]] | None = None
) -> list[DistrictVillages]:
    """For a kabupaten: each kecamatan's desa/kampung, with whether their officials are protected
    (at least one village official active, i.e. paid, in the month); kecamatan with the most
    unprotected villages first: the outreach list.

    `register` ({village: (officials, protected)}, from a register of village officials) replaces
    the registry's count for the villages it lists: it knows the officials not yet enrolled."""
    villages = Region.objects.filter(regency_code=place.code, level=codes.VILLAGE, kind=RegionKind.DESA).order_by(
        "code"
    )
    officials = {
        code: (registered, active)
        for code, registered, active in CoverageRollup.objects.filter(
            region_code__startswith=f"{place.code}.", level=codes.VILLAGE, period=str(period), dimension=""
        ).values_list("region_code", "officials", "officials_active")
    }
    districts = dict(Region.objects.filter(regency_code=place.code, level=codes.DISTRICT).values_list("code", "name"))
    grouped: dict[str, list[Village]] = defaultdict(list)
    for code, name, district in villages.order_by("code").values_list("code", "name", "district_code"):
        registered, active = officials.get(code, (0, 0))
        if register is not None and code in register:
            listed, protected = register[code]
            grouped[district].append(Village(code, name, listed, protected, listed=listed))
        else:
            grouped[district].append(Village(code, name, registered, active))
    result = [DistrictVillages(code, districts.get(code, code), found) for code, found in grouped.items()]
    return sorted(result, key=lambda d: (-len(d.unprotected), d.name))


# ---------------------------------------------------------------- money


@dataclass
class MoneyRow:
    code: str
    name: str
    billed: int = 0
    collected: int = 0
    arrears: int = 0
    claims: int = 0
    claims_paid: int = 0

    @property
    def outstanding(self) -> int:
        return self.billed - self.collected

    @property
    def compliance(self) -> float | None:
        return round(100 * self.collected / self.billed, 1) if self.billed > 0 else None


@dataclass
class Money:
    place: Place
    year: int
    total: MoneyRow
    programs: list[MoneyRow] = field(default_factory=list)
    months: list[MoneyRow] = field(default_factory=list)
    children: list[MoneyRow] = field(default_factory=list)


@replica_reads()
def money(place: Place, year: int, *, today: date) -> Money:
    """Billed, collected, arrears (outstanding past the due date) and claims paid, for a region and year."""
    fields = ("region_code", "period", "program", "billed", "collected", "claims", "claims_paid")
    own = [
        MoneyFact(*row)
        for row in MoneyRollup.objects.filter(region_code=place.code, period__startswith=f"{year}-").values_list(
            *fields
        )
    ]
    result = Money(place, year, money_row(place.code, place.name, own, today))
    programs: dict[str, MoneyRow] = {}
    months: dict[str, list[MoneyFact]] = defaultdict(list)
    for fact in own:
        months[fact.period].append(fact)
        if fact.program:
            program = programs.setdefault(fact.program, MoneyRow(fact.program, fact.program))
            program.billed += fact.billed
            program.claims += fact.claims
            program.claims_paid += fact.claims_paid
    result.programs = [programs[key] for key in sorted(programs)]
    result.months = [money_row(month, month, months[month], today) for month in sorted(months)]
    if place.level < codes.VILLAGE:
        children = MoneyRollup.objects.filter(
            parent_code=place.code, level=place.level + 1, period__startswith=f"{year}-"
        ).values_list(*fields)
        by_child: dict[str, list[MoneyFact]] = defaultdict(list)
        for row in children:
            by_child[row[0]].append(MoneyFact(*row))
        names = dict(Region.objects.filter(code__in=list(by_child)).values_list("code", "name"))
        result.children = [money_row(code, names.get(code, code), by_child[code], today) for code in sorted(by_child)]
    return result


class MoneyFact(NamedTuple):
    region_code: str
    period: str
    program: str
    billed: int
    collected: int
    claims: int
    claims_paid: int


def money_row(code: str, name: str, facts: Iterable[MoneyFact], today: date) -> MoneyRow:
    """Sum rollup rows into one row; the invoice-total rows (program "") carry billed and collected."""
    total = MoneyRow(code, name)
    for fact in facts:
        if fact.program == "":
            total.billed += fact.billed
            total.collected += fact.collected
            if _due(fact.period) < today:
                total.arrears += fact.billed - fact.collected
        total.claims += fact.claims
        total.claims_paid += fact.claims_paid
    return total


@lru_cache(maxsize=512)
def _due(period: str) -> date:
    # The wage earners' due date of the month: arrears are what is unpaid after it.
    return due_date(Period.parse(period), "pu")


# ---------------------------------------------------------------- commitment


@dataclass
class CommitmentRow:
    sponsor: str
    kind: str
    region_code: str
    agreement: str
    categories: list[str]
    quota: int
    workers: int
    budget_ceiling: int
    ends_on: date


@dataclass
class Commitment:
    place: Place
    agreements: list[CommitmentRow]
    # Kabupaten/kota without an active funded Pemda agreement, and desa without a Pemdes one.
    regencies_without: list[tuple[str, str]]
    villages_without: list[tuple[str, str]]
    villages_total: int


def funded_agreements(place: Place, today: date) -> QuerySet[Agreement]:
    """Agreements in force on `today` with a budget, signed by a Pemda or Pemdes inside the region.

    In force on a past day includes those that have since expired, or were terminated after it."""
    agreements = Agreement.objects.filter(
        Q(status__in=[AgreementStatus.ACTIVE, AgreementStatus.EXPIRED])
        | Q(status=AgreementStatus.TERMINATED, ended_on__gte=today),
        starts_on__lte=today,
        ends_on__gte=today,
        budget_ceiling__gt=0,
        sponsor__kind__in=[SponsorKind.PEMDA, SponsorKind.PEMDES],
    )
    if place.code:
        agreements = agreements.filter(Region.subtree_q(place.code, "sponsor__region"))
    return agreements.select_related("sponsor")


@replica_reads()
def commitment(place: Place, *, today: date) -> Commitment:
    """Which regional and village governments fund protection now, against their quota; which do not."""
    agreements = list(funded_agreements(place, today).order_by("sponsor__region_id", "sponsor__name"))
    # Counted by the terms in force on the day, which name their agreement: a renewal dates its
    # people at its first day, so a past day still counts them under the agreement of that year.
    workers = dict(
        MembershipVersion.objects.filter(agreement__in=agreements, effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .filter(Q(membership__ends_on__isnull=True) | Q(membership__ends_on__gte=today))
        .values("agreement_id")
        .annotate(n=Count("membership_id"))
        .values_list("agreement_id", "n")
    )
    rows = [
        CommitmentRow(
            a.sponsor.name,
            a.sponsor.kind,
            a.sponsor.region_id,
            a.number,
            list(a.categories),
            a.quota,
            workers.get(a.pk, 0),
            a.budget_ceiling,
            a.ends_on,
        )
        for a in agreements
    ]
    funded = {a.sponsor.region_id for a in agreements}
    within = Region.subtree_q(place.code) if place.code else Q()
    regencies = Region.objects.filter(within, level=codes.REGENCY).order_by("code").values_list("code", "name")
    villages = Region.objects.filter(within, level=codes.VILLAGE, kind=RegionKind.DESA)
    villages_without: list[tuple[str, str]] = []
    if place.level >= codes.REGENCY:
        villages_without = [(c, n) for c, n in villages.order_by("code").values_list("code", "name") if c not in funded]
    return Commitment(
        place,
        rows,
        [(code, name) for code, name in regencies if code not in funded],
        villages_without,
        villages.count(),
    )


# ---------------------------------------------------------------- ranking

DEFAULT_WEIGHTS = {RankingIndicator.COVERAGE: 50, RankingIndicator.BUDGET: 25, RankingIndicator.COMPLIANCE: 25}


def ranking_weights() -> dict[str, int]:
    """The weight of each indicator: the administrator's, else the defaults."""
    weights = {str(key): value for key, value in DEFAULT_WEIGHTS.items()}
    weights.update(dict(RankingWeight.objects.values_list("indicator", "weight")))
    return weights


@dataclass
class RankRow:
    code: str
    name: str
    scores: dict[str, float]
    index: float
    rank: int = 0
    workforce_missing: bool = False
    # Coverage as the agency counts it (its participants over the workforce) when its figures for the
    # month are loaded; else the coverage indicator is Lindung's own active members (official False).
    official: bool = False


@replica_reads()
def ranking(place: Place, period: Period, *, today: date) -> list[RankRow]:
    """The place's child regions ranked by the weighted index of coverage, APBD/APBDes funding and compliance.

    coverage: the agency's participants / workforce where its figures for the month are loaded, else
    Lindung's active members / workforce (at most 100); budget: the share of kabupaten/kota with a funded Pemda
    agreement and of desa with a funded Pemdes agreement (their mean when both apply); compliance:
    collected / billed on the year's invoices already due, up to the month. Each is 0-100."""
    children = _children(place, period)
    funded = {a.sponsor.region_id for a in funded_agreements(place, today)}
    money_rows = _money_by_child(place, period, today)
    official = agency.agency_totals([child.code for child in children], period)
    return rank_rows(children, funded, money_rows, official)


def rank_rows(
    children: list[CoverageRow],
    funded: set[str],
    compliance: dict[str, float | None],
    official: dict[str, agency.AgencyTotal],
) -> list[RankRow]:
    """Regions ranked by the weighted index (see `ranking`): a region's children, or an office's regions."""
    weights = ranking_weights()
    rows = []
    for child in children:
        counted = official.get(child.code)
        percent = round(100 * counted.registered / child.workforce, 1) if counted and child.workforce else None
        scores = {
            RankingIndicator.COVERAGE.value: min(percent if percent is not None else child.percent or 0.0, 100.0),
            RankingIndicator.BUDGET.value: _budget_score(child.code, funded),
            RankingIndicator.COMPLIANCE.value: compliance.get(child.code) or 0.0,
        }
        total_weight = sum(weights.values()) or 1
        index = sum(scores[key] * weights.get(key, 0) for key in scores) / total_weight
        rows.append(
            RankRow(
                child.code,
                child.name,
                scores,
                round(index, 1),
                workforce_missing=not child.workforce,
                official=percent is not None,
            )
        )
    rows.sort(key=lambda row: (-row.index, row.code))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


def _budget_score(code: str, funded: set[str]) -> float:
    level = codes.level_of(code)
    shares = []
    if level <= codes.REGENCY:
        regencies = list(
            Region.objects.filter(Region.subtree_q(code), level=codes.REGENCY).values_list("code", flat=True)
        )
        if regencies:
            shares.append(sum(r in funded for r in regencies) / len(regencies))
    villages = list(
        Region.objects.filter(Region.subtree_q(code), level=codes.VILLAGE, kind=RegionKind.DESA).values_list(
            "code", flat=True
        )
    )
    if villages:
        shares.append(sum(v in funded for v in villages) / len(villages))
    return round(100 * sum(shares) / len(shares), 1) if shares else 0.0


def _money_by_child(place: Place, period: Period, today: date) -> dict[str, float | None]:
    """Each child's collected / billed (percent) on its invoices of the year due before `today`, up to `period`."""
    return compliance_of(MoneyRollup.objects.filter(parent_code=place.code, level=place.level + 1), period, today)


def compliance_of(rollups: QuerySet[MoneyRollup], period: Period, today: date) -> dict[str, float | None]:
    """Collected / billed (percent) of each region among `rollups`, on the year's invoices due before `today`."""
    facts = rollups.filter(
        program="",
        period__gte=f"{period.year}-01",
        period__lte=str(period),
    ).values_list("region_code", "period", "program", "billed", "collected", "claims", "claims_paid")
    by_child: dict[str, list[MoneyFact]] = defaultdict(list)
    for row in facts:
        fact = MoneyFact(*row)
        if _due(fact.period) < today:
            by_child[fact.region_code].append(fact)
    return {code: money_row(code, code, found, today).compliance for code, found in by_child.items()}


def villages_without_protected_officials(place: Place, today: date) -> int:
    """Desa inside `place` with no village official active (paid) in the month: the villages
    page's outreach list, counted in two queries (regions, and the village rollups that have one)."""
    period = period_or_default(None, today=today)
    within = Region.subtree_q(place.code) if place.code else Q()
    desa = Region.objects.filter(within, level=codes.VILLAGE, kind=RegionKind.DESA).count()
    if period is None:
        return desa
    protected = CoverageRollup.objects.filter(
        level=codes.VILLAGE, period=str(period), dimension="", officials_active__gt=0
    )
    if place.code:
        protected = protected.filter(region_code__startswith=f"{place.code}.")
    return max(desa - protected.count(), 0)
