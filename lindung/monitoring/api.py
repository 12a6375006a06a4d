"""Monitoring endpoints at /api/v1/monitoring/{code}: the figures of the dashboards, from the same
selectors, for a region inside the token's user's regions ("nasional" for the country)."""

from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.replica import replica_reads
from lindung.monitoring import agency, offices, selectors
from lindung.monitoring.selectors import CoverageRow, Place
from lindung.rules.periods import Period

router = Router()


class RowOut(Schema):
    code: str
    name: str
    registered: int
    active: int
    workforce: int
    not_covered: int
    percent: float | None


class OfficialOut(Schema):
    """Coverage as the agency counts it (its participants against the BPS workforce), with its source."""

    registered: int
    active: int
    workforce: int
    percent: float | None
    claims: int
    claims_paid: int
    source: str
    loaded_at: Any


class RegionCoverageOut(Schema):
    region: str
    name: str
    period: str
    # None when the agency's figures for the month are not loaded: `total` is then Lindung's own count.
    official: OfficialOut | None
    total: RowOut
    children: list[RowOut]
    unplaced: RowOut | None
    by_segment: list[RowOut]
    by_category: list[RowOut]
    by_sex: list[RowOut]
    by_age_band: list[RowOut]
    trend: list[tuple[str, int, int]]


class VillageOut(Schema):
    code: str
    name: str
    district_code: str
    district: str
    officials: int
    protected_officials: int
    protected: bool


class MoneyRowOut(Schema):
    code: str
    name: str
    billed: int
    collected: int
    outstanding: int
    arrears: int
    claims: int
    claims_paid: int


class OfficialClaimsOut(Schema):
    """Claims paid in the year as the agency counts them (its uploaded figures), with their source."""

    count: int
    rupiah: int
    by_program: dict[str, list[int]]
    source: str


class MoneyOut(Schema):
    region: str
    year: int
    official_claims: OfficialClaimsOut | None
    total: MoneyRowOut
    programs: list[MoneyRowOut]
    months: list[MoneyRowOut]
    children: list[MoneyRowOut]


class AgreementBudgetOut(Schema):
    sponsor: str
    kind: str
    region_code: str
    agreement: str
    categories: list[str]
    quota: int
    workers: int
    budget_ceiling: int
    ends_on: date


class CommitmentOut(Schema):
    region: str
    agreements: list[AgreementBudgetOut]
    regencies_without: list[tuple[str, str]]
    villages_without: list[tuple[str, str]]
    villages_total: int


class RankOut(Schema):
    rank: int
    code: str
    name: str
    scores: dict[str, float]
    index: float
    coverage_counted_by: str  # "agency" (its figures are loaded for the month) or "lindung"


class RankingOut(Schema):
    region: str
    period: str
    weights: dict[str, int]
    regions: list[RankOut]


def _place(request: AuthedRequest, code: str) -> Place:
    require(request.user, Capability.VIEW_MONITORING)
    return selectors.place_get(actor=request.user, code="" if code == "nasional" else code)


def _period(text: str | None) -> Period:
    period = selectors.period_or_default(text, today=timezone.localdate())
    if period is None:
        raise Http404("The monitoring rollups are not built yet (lindung refresh_rollups).")
    return period


def _row(row: CoverageRow) -> RowOut:
    return RowOut(
        code=row.code,
        name=row.name,
        registered=row.registered,
        active=row.active,
        workforce=row.workforce,
        not_covered=row.not_covered,
        percent=row.percent,
    )


@router.get("/monitoring/{code}/coverage", response=RegionCoverageOut, url_name="monitoring_coverage")
@replica_reads()
def coverage(request: AuthedRequest, code: str, period: str | None = None) -> RegionCoverageOut:
    """Registered, active and workforce for the month (default: last month), by child region and dimension."""
    figures = selectors.coverage(_place(request, code), _period(period))
    official = agency.official_coverage(figures.place.code, figures.period, figures.total.workforce)
    return RegionCoverageOut(
        region=figures.place.code,
        name=figures.place.name,
        period=str(figures.period),
        official=None
        if official is None
        else OfficialOut(
            registered=official.registered,
            active=official.active,
            workforce=official.workforce,
            percent=official.percent,
            claims=official.claims,
            claims_paid=official.claims_paid,
            source=official.source,
            loaded_at=official.uploaded_at,
        ),
        total=_row(figures.total),
        children=[_row(child) for child in figures.children],
        unplaced=_row(figures.unplaced) if figures.unplaced else None,
        by_segment=[_row(r) for r in figures.by["segment"]],
        by_category=[_row(r) for r in figures.by["category"]],
        by_sex=[_row(r) for r in figures.by["sex"]],
        by_age_band=[_row(r) for r in figures.by["age_band"]],
        trend=figures.trend,
    )


@router.get("/monitoring/{code}/villages", response=list[VillageOut], url_name="monitoring_villages")
@replica_reads()
def villages(request: AuthedRequest, code: str, period: str | None = None) -> list[VillageOut]:
    """For a kabupaten: each desa's officials registered and protected, kecamatan with most unprotected first."""
    place = _place(request, code)
    if not place.is_regency:
        raise Http404("Village protection is listed for a kabupaten/kota.")
    return [
        VillageOut(
            code=v.code,
            name=v.name,
            district_code=d.code,
            district=d.name,
            officials=v.officials,
            protected_officials=v.protected_officials,
            protected=v.protected,
        )
        for d in selectors.village_protection(place, _period(period))
        for v in d.villages
    ]


def _money_row(row: selectors.MoneyRow) -> MoneyRowOut:
    return MoneyRowOut(
        code=row.code,
        name=row.name,
        billed=row.billed,
        collected=row.collected,
        outstanding=row.outstanding,
        arrears=row.arrears,
        claims=row.claims,
        claims_paid=row.claims_paid,
    )


@router.get("/monitoring/{code}/money", response=MoneyOut, url_name="monitoring_money")
@replica_reads()
def money(request: AuthedRequest, code: str, year: int | None = None) -> MoneyOut:
    """Billed, collected, arrears and claims paid in a year, by program, month and child region."""
    today = timezone.localdate()
    figures = selectors.money(_place(request, code), year or today.year, today=today)
    claims = agency.agency_claims_of_year(figures.place.code, figures.year)
    return MoneyOut(
        region=figures.place.code,
        year=figures.year,
        official_claims=OfficialClaimsOut(
            count=claims.count, rupiah=claims.rupiah, by_program=claims.by_program, source=claims.source
        )
        if claims
        else None,
        total=_money_row(figures.total),
        programs=[_money_row(r) for r in figures.programs],
        months=[_money_row(r) for r in figures.months],
        children=[_money_row(r) for r in figures.children],
    )


@router.get("/monitoring/{code}/commitment", response=CommitmentOut, url_name="monitoring_commitment")
@replica_reads()
def commitment(request: AuthedRequest, code: str) -> CommitmentOut:
    """Active funded agreements of Pemda and Pemdes against their quota, and the regions without one."""
    figures = selectors.commitment(_place(request, code), today=timezone.localdate())
    return CommitmentOut(
        region=figures.place.code,
        agreements=[AgreementBudgetOut(**row.__dict__) for row in figures.agreements],
        regencies_without=figures.regencies_without,
        villages_without=figures.villages_without,
        villages_total=figures.villages_total,
    )


@router.get("/monitoring/{code}/ranking", response=RankingOut, url_name="monitoring_ranking")
@replica_reads()
def ranking(request: AuthedRequest, code: str, period: str | None = None) -> RankingOut:
    """The child regions ranked by the weighted index, with the weights used."""
    place, month = _place(request, code), _period(period)
    rows = selectors.ranking(place, month, today=timezone.localdate())
    return RankingOut(
        region=place.code,
        period=str(month),
        weights=selectors.ranking_weights(),
        regions=[
            RankOut(
                rank=r.rank,
                code=r.code,
                name=r.name,
                scores=r.scores,
                index=r.index,
                coverage_counted_by="agency" if r.official else "lindung",
            )
            for r in rows
        ],
    )


class OfficeMonitoringOut(Schema):
    """An office's regions side by side for a month (money and claims: its year), each month counted
    for the office that served the region on the month's last day."""

    office: str
    name: str
    kind: str
    period: str
    coverage: list[RowOut]
    coverage_total: RowOut
    branches: list[RowOut]
    money: list[MoneyRowOut]
    money_total: MoneyRowOut
    ranking: list[RankOut]


@router.get("/monitoring/offices/{office_code}", response=OfficeMonitoringOut, url_name="monitoring_office")
@replica_reads()
def office(request: AuthedRequest, office_code: str, period: str | None = None) -> OfficeMonitoringOut:
    """A Kanwil's provinces and branches, or a branch's kabupaten/kota (with its KCPs), for the month."""
    require(request.user, Capability.VIEW_MONITORING)
    today = timezone.localdate()
    found = offices.office_for_monitoring(actor=request.user, code=office_code, on=today)
    figures = offices.office_figures(found, _period(period), today=today)
    return OfficeMonitoringOut(
        office=found.code,
        name=found.name,
        kind=found.kind,
        period=str(figures.period),
        coverage=[_row(row) for row in figures.coverage],
        coverage_total=_row(figures.coverage_total),
        branches=[_row(row) for row in figures.branches],
        money=[_money_row(row) for row in figures.money],
        money_total=_money_row(figures.money_total),
        ranking=[
            RankOut(
                rank=r.rank,
                code=r.code,
                name=r.name,
                scores=r.scores,
                index=r.index,
                coverage_counted_by="agency" if r.official else "lindung",
            )
            for r in figures.ranking
        ],
    )


class ProblemOut(Schema):
    row: int
    column: str
    message: str


class AgencyImportOut(Schema):
    upload_id: int | None
    figures: int
    replaced: int
    problems: list[ProblemOut]


class AgencyUploadOut(Schema):
    id: int
    source: str
    file_name: str
    figures: int
    replaced: int
    uploaded_at: Any


@router.post("/monitoring/agency-figures", response=AgencyImportOut, url_name="monitoring_agency_import")
def agency_figures_import(request: AuthedRequest, source: Form[str], file: File[UploadedFile]) -> AgencyImportOut:
    """The agency's own figures (CSV/XLSX, columns as the template); a later file for the same region
    and month replaces its figures, the earlier ones kept. Bad rows come back by row and column."""
    result = agency.agency_file_import(actor=request.user, file=file, source=source)
    return AgencyImportOut(
        upload_id=result.upload.pk if result.upload else None,
        figures=result.figures,
        replaced=result.replaced,
        problems=[ProblemOut(row=p.row, column=p.column, message=p.message) for p in result.problems],
    )


@router.get("/monitoring/agency-uploads", response=list[AgencyUploadOut], url_name="monitoring_agency_uploads")
def agency_uploads(request: AuthedRequest) -> list[AgencyUploadOut]:
    """The history of uploads with at least one figure in the caller's regions, newest first (500 at most)."""
    require(request.user, Capability.VIEW_MONITORING)
    uploads = agency.uploads_for(actor=request.user)[:500]
    return [AgencyUploadOut.model_validate(upload, from_attributes=True) for upload in uploads]
