"""Target list endpoints at /api/v1/target-lists: the same selectors and services as the pages,
scoped to the token's user; NIKs masked except in the (audited) export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field as PydanticField

from lindung.accounts.http import AuthedRequest
from lindung.core.api_pages import Pages
from lindung.core.inputs import InputSchema
from lindung.core.lists import XLSX
from lindung.core.tables import saved_upload
from lindung.outreach import exports, protect, selection, selectors, services
from lindung.outreach.models import TO_PROTECT, TargetClass, TargetEntry, TargetList
from lindung.registry import selectors as registry_selectors

router = Router()


class TargetListOut(Schema):
    id: int
    name: str
    region: str
    source: str
    source_date: date
    status: str
    status_label: str
    total_rows: int
    processed_rows: int
    counts: dict[str, int]
    same_as: int | None
    failure: str
    delete_after: date

    @staticmethod
    def resolve_region(obj: TargetList) -> str:
        return obj.region_id

    @staticmethod
    def resolve_status_label(obj: TargetList) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_counts(obj: TargetList) -> dict[str, int]:
        return {value: int(obj.summary.get(value, 0)) for value in TargetClass.values}

    @staticmethod
    def resolve_same_as(obj: TargetList) -> int | None:
        return obj.same_as_id


class EntryOut(Schema):
    row: int
    masked_nik: str
    name: str
    village: str | None
    district: str
    decile: int | None
    result: str
    problem: str

    @staticmethod
    def resolve_row(obj: TargetEntry) -> int:
        return obj.source_row

    @staticmethod
    def resolve_village(obj: TargetEntry) -> str | None:
        return obj.village_id

    @staticmethod
    def resolve_district(obj: TargetEntry) -> str:
        return obj.district_code

    @staticmethod
    def resolve_result(obj: TargetEntry) -> str:
        return obj.outcome

    @staticmethod
    def resolve_problem(obj: TargetEntry) -> str:
        return obj.problem_text


class FigureOut(Schema):
    people: int
    households: int


class GroupOut(Schema):
    key: str
    label: str
    classes: dict[str, FigureOut]
    to_protect: FigureOut
    total: FigureOut


class SelectionIn(InputSchema):
    classes: list[str] = PydanticField(default_factory=lambda: [str(value) for value in TO_PROTECT])
    deciles: list[int] = PydanticField(default_factory=list)
    districts: list[str] = PydanticField(default_factory=list)
    min_age: int | None = PydanticField(None, ge=0, le=120)
    max_age: int | None = PydanticField(None, ge=0, le=120)
    programs: list[str] = PydanticField(default_factory=lambda: ["jkk", "jkm"])
    income: int = PydanticField(selection.DEFAULT_INCOME, ge=0)


class CostIn(SelectionIn):
    start: str = PydanticField(..., max_length=7, description="First month, YYYY-MM")
    months: int = PydanticField(12, ge=1, le=36)
    phases: str = PydanticField("", max_length=2000, description='"2027-01 5000" per line; empty: all from start')
    ceiling: int | None = PydanticField(None, ge=0)


class PlanRowOut(Schema):
    period: str
    members: int
    per_member: int
    total: int
    cumulative: int
    relief: str


class CostOut(Schema):
    people: int
    households: int
    total: int
    ceiling: int | None
    over_ceiling: int
    rows: list[PlanRowOut]
    warnings: list[str]


class ProtectIn(SelectionIn):
    sponsor_id: int
    number: str = PydanticField(..., max_length=100)
    starts_on: date
    ends_on: date


class ProtectionOut(Schema):
    id: int
    agreement_id: int
    batch_id: int
    people: int
    cost: int


@router.get("/target-lists", response=list[TargetListOut], summary="Target lists of your regions")
@paginate(Pages, page_size=50)
def target_lists(request: AuthedRequest) -> Any:
    return selectors.lists_for(request.user)


@router.post(
    "/target-lists",
    response={200: TargetListOut, 202: TargetListOut},
    summary="Upload a DTKS/Regsosek/P3KE list (read in the background)",
)
def target_list_upload(
    request: AuthedRequest,
    file: File[UploadedFile],
    region: Form[str],
    source: Form[str],
    source_date: Form[date],
    name: Form[str] = "",
) -> Status[Any]:
    with saved_upload(file, stem="sasaran") as path:
        target_list, created = services.target_list_create(
            actor=request.user, path=path, file_name=file.name or path.name, region_code=region, source=source,
            source_date=source_date, name=name,
        )  # fmt: skip
    target_list.refresh_from_db()
    return Status(202 if created else 200, target_list)


@router.get("/target-lists/{list_id}", response=TargetListOut, summary="A list's status, progress and counts")
def target_list_detail(request: AuthedRequest, list_id: int) -> TargetList:
    return selectors.target_list_get(actor=request.user, list_id=list_id)


@router.get(
    "/target-lists/{list_id}/breakdown", response=list[GroupOut], summary="Counts per kecamatan, village or decile"
)
def target_list_breakdown(request: AuthedRequest, list_id: int, per: Query[str] = "district") -> list[Any]:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    return selectors.kept_breakdown(target_list, per if per in selectors.BREAKDOWN_KINDS else "district")


@router.get("/target-lists/{list_id}/entries", response=list[EntryOut], summary="Entries, NIK masked")
@paginate(Pages, page_size=50)
def target_list_entries(request: AuthedRequest, list_id: int, result: Query[str] = "") -> Any:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    return selectors.entries_of(target_list, result if result in TargetClass.values else None)


@router.get(
    "/target-lists/{list_id}/export", summary="Entries with full NIK (.xlsx, audit-logged)", response={200: None}
)
def target_list_export(request: AuthedRequest, list_id: int, result: Query[str] = "") -> HttpResponse:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    outcome = result if result in TargetClass.values else None
    response = HttpResponse(
        exports.entries_workbook(actor=request.user, target_list=target_list, outcome=outcome), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="sasaran-{target_list.pk}.xlsx"'
    return response


@router.post("/target-lists/{list_id}/match", response=TargetListOut, summary="Match again against today's registry")
def target_list_match(request: AuthedRequest, list_id: int) -> TargetList:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    services.target_list_rematch(actor=request.user, target_list=target_list)
    return target_list


@router.delete("/target-lists/{list_id}", response={204: None}, summary="Delete the list and its entries")
def target_list_delete(request: AuthedRequest, list_id: int) -> Status[None]:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    services.target_list_delete(actor=request.user, target_list=target_list, reason="API")
    return Status(204, None)


@router.post("/target-lists/{list_id}/cost", response=CostOut, summary="What protecting a selection costs")
def target_list_cost(request: AuthedRequest, list_id: int, body: CostIn) -> dict[str, Any]:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    costing = selection.selection_cost(
        target_list, selection.parse_selection(body.dict()), on=timezone.localdate(), start=body.start,
        programs=body.programs, income=body.income, months=body.months, phases=body.phases, ceiling=body.ceiling,
    )  # fmt: skip
    plan = costing.plan
    assert plan is not None  # noqa: S101 (always priced)
    return {
        "people": costing.people,
        "households": costing.households,
        "total": plan.total,
        "ceiling": plan.ceiling,
        "over_ceiling": plan.over_ceiling,
        "rows": [{**row.__dict__, "period": str(row.period)} for row in plan.rows],
        "warnings": costing.warnings,
    }


@router.post(
    "/target-lists/{list_id}/protect",
    response={201: ProtectionOut},
    summary="Draft the agreement and the enrolment batch",
)
def target_list_protect(request: AuthedRequest, list_id: int, body: ProtectIn) -> Status[Any]:
    target_list = selectors.target_list_get(actor=request.user, list_id=list_id)
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=body.sponsor_id)
    protection = protect.protect_selection(
        actor=request.user, target_list=target_list, chosen=selection.parse_selection(body.dict()), sponsor=sponsor,
        number=body.number, starts_on=body.starts_on, ends_on=body.ends_on, programs=body.programs,
        income=body.income, on=timezone.localdate(),
    )  # fmt: skip
    return Status(201, protection)
