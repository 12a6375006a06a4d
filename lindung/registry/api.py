"""Registry endpoints at /api/v1: the same selectors and services as the pages, scoped to the token's user."""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field as PydanticField

from lindung.accounts.http import AuthedRequest
from lindung.core import labels
from lindung.core.api_pages import Pages
from lindung.core.inputs import InputSchema
from lindung.registry import batches, imports, selectors, services
from lindung.registry.models import Agreement, ImportBatch, Membership, MembershipVersion, Person, Sponsor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = Router()


class PersonListOut(Schema):
    id: int
    name: str
    masked_nik: str
    sex: str
    village: str | None

    @staticmethod
    def resolve_village(obj: Person) -> str | None:
        return obj.village_id


class RelativeOut(Schema):
    id: int
    relation: str
    name: str
    nik: str
    birth_date: date | None
    sex: str
    died_on: date | None


class VersionOut(Schema):
    effective_from: date
    effective_to: date | None
    segment: str
    category: str
    programs: list[str]
    wage: int
    risk_class: int | None
    occupation: str
    work_village: str | None
    funding: str
    # The same codes in words, in the request's language (core.labels).
    segment_label: str
    category_label: str
    funding_label: str

    @staticmethod
    def resolve_work_village(obj: MembershipVersion) -> str | None:
        return obj.work_village_id

    @staticmethod
    def resolve_segment_label(obj: MembershipVersion) -> str:
        return labels.label("segment", obj.segment)

    @staticmethod
    def resolve_category_label(obj: MembershipVersion) -> str:
        return labels.label("category", obj.category)

    @staticmethod
    def resolve_funding_label(obj: MembershipVersion) -> str:
        return labels.label("funding", obj.funding)


class MembershipOut(Schema):
    id: int
    person_id: int
    sponsor_id: int | None
    agreement_id: int | None
    region: str
    starts_on: date
    ends_on: date | None
    status: str
    status_label: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_region(obj: Membership) -> str:
        return obj.region_id

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return labels.label("membership_status", obj.status)

    @staticmethod
    def resolve_versions(obj: Membership) -> list[MembershipVersion]:
        return list(obj.versions.all())


class PersonOut(Schema):
    id: int
    nik: str
    name: str
    birth_date: date
    sex: str
    phone: str
    village: str | None
    relatives: list[RelativeOut]
    memberships: list[MembershipOut]


class EnrolIn(InputSchema):
    sponsor_id: int | None = None
    nik: str
    name: str
    birth_date: str
    sex: str
    phone: str = ""
    village: str = ""
    segment: str = ""
    category: str
    programs: str = ""
    wage: str
    risk_class: str = ""
    occupation: str = ""
    work_village: str = ""
    starts_on: str
    ends_on: str = ""
    funding: str = ""


class ChangeIn(InputSchema):
    effective_from: date
    changes: dict[str, str]


class EndIn(InputSchema):
    ends_on: date


class RelativeIn(InputSchema):
    relation: str
    name: str
    birth_date: date | None = None
    sex: str = ""
    nik: str = ""
    died_on: date | None = None


class SponsorIn(InputSchema):
    kind: str
    name: str
    region: str
    npwp: str = ""
    address: str = ""


class SponsorOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    npwp: str
    region: str
    address: str

    @staticmethod
    def resolve_region(obj: Sponsor | dict[str, Any]) -> str:
        return obj["region"] if isinstance(obj, dict) else obj.region_id

    @staticmethod
    def resolve_kind_label(obj: Sponsor | dict[str, Any]) -> str:
        return labels.label("sponsor_kind", obj["kind"] if isinstance(obj, dict) else obj.kind)


class CategoryCount(Schema):
    category: str
    count: int


class SponsorDetailOut(SponsorOut):
    active_members_by_category: list[CategoryCount]


class AgreementIn(InputSchema):
    number: str
    starts_on: date
    ends_on: date
    segment: str
    programs: list[str]
    categories: list[str]
    quota: int
    budget_ceiling: int


class AgreementOut(Schema):
    id: int
    number: str
    sponsor_id: int
    previous_id: int | None
    starts_on: date
    ends_on: date
    segment: str
    programs: list[str]
    categories: list[str]
    quota: int
    budget_ceiling: int
    status: str
    ended_on: date | None
    segment_label: str
    category_labels: list[str]
    status_label: str

    @staticmethod
    def resolve_segment_label(obj: Agreement) -> str:
        return labels.label("segment", obj.segment)

    @staticmethod
    def resolve_category_labels(obj: Agreement) -> list[str]:
        return labels.labels("category", obj.categories)

    @staticmethod
    def resolve_status_label(obj: Agreement) -> str:
        return labels.label("agreement_status", obj.status)


class RenewIn(InputSchema):
    number: str
    starts_on: date | None = None
    ends_on: date | None = None


class TerminateIn(InputSchema):
    ended_on: date


class ImportOut(Schema):
    id: int
    sponsor_id: int
    agreement_id: int | None
    file_name: str
    status: str
    total_rows: int
    processed_rows: int
    summary: dict[str, int]
    errors: list[dict[str, Any]]
    failure: str

    @staticmethod
    def resolve_errors(obj: ImportBatch) -> list[dict[str, Any]]:
        return list(obj.error_sample)


# Persons ---------------------------------------------------------------------------------------


@router.get("/persons", response=list[PersonListOut], summary="Search persons (NIK masked)")
@paginate(Pages, page_size=50)
def person_list(request: AuthedRequest, q: Annotated[str, Query(max_length=100)] = "") -> Any:
    if selectors.is_full_nik(q):
        # A URL ends up in access logs: a full NIK goes in the body of POST /persons/search.
        raise ValidationError({"q": _("Send a full NIK in the body of POST /api/v1/persons/search, never in the URL.")})
    return selectors.person_search(actor=request.user, query=q)


class PersonSearchIn(InputSchema):
    q: str = PydanticField("", max_length=100)


@router.post(
    "/persons/search", response=list[PersonListOut], summary="Search persons by full NIK or name (in the body)"
)
@paginate(Pages, page_size=50)
def person_search(request: AuthedRequest, body: PersonSearchIn) -> Any:
    return selectors.person_search(actor=request.user, query=body.q)


@router.get("/persons/{person_id}", response=PersonOut, summary="One person in full (the look is audit-logged)")
def person_detail(request: AuthedRequest, person_id: int) -> dict[str, Any]:
    person = selectors.person_detail(actor=request.user, person_id=person_id)
    memberships = list(selectors.person_memberships(actor=request.user, person=person))
    return {
        "id": person.pk,
        "nik": person.nik,
        "name": person.name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "phone": person.phone,
        "village": person.village_id,
        "relatives": list(person.relatives.all()),
        "memberships": memberships,
    }


@router.post("/persons/{person_id}/relatives", response={201: RelativeOut}, summary="Add a family member")
def relative_add(request: AuthedRequest, person_id: int, payload: RelativeIn) -> Status[Any]:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    return Status(201, services.relative_add(actor=request.user, person=person, **payload.dict()))


# Memberships -----------------------------------------------------------------------------------


@router.post("/memberships", response={201: MembershipOut}, summary="Enrol one person (registered if new)")
def enrol(request: AuthedRequest, payload: EnrolIn) -> Status[Any]:
    values = payload.dict()
    sponsor_id = values.pop("sponsor_id")
    sponsor = selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id) if sponsor_id is not None else None
    return Status(201, services.member_enrol(actor=request.user, sponsor=sponsor, values=values))


@router.get("/memberships/{membership_id}", response=MembershipOut, summary="One membership with its versions")
def membership_detail(request: AuthedRequest, membership_id: int) -> Membership:
    return selectors.membership_get(actor=request.user, membership_id=membership_id)


@router.post("/memberships/{membership_id}/versions", response={201: VersionOut}, summary="New terms from a date")
def membership_change(request: AuthedRequest, membership_id: int, payload: ChangeIn) -> Status[Any]:
    membership = selectors.membership_get(actor=request.user, membership_id=membership_id)
    version = services.membership_change(
        actor=request.user, membership=membership, effective_from=payload.effective_from, changes=dict(payload.changes)
    )
    return Status(201, version)


@router.post("/memberships/{membership_id}/end", response=MembershipOut, summary="End a membership")
def membership_end(request: AuthedRequest, membership_id: int, payload: EndIn) -> Membership:
    membership = selectors.membership_get(actor=request.user, membership_id=membership_id)
    return services.membership_end(actor=request.user, membership=membership, ends_on=payload.ends_on)


# Sponsors and agreements -----------------------------------------------------------------------


@router.get("/sponsors", response=list[SponsorOut], summary="Sponsors in your regions")
@paginate(Pages, page_size=50)
def sponsor_list(request: AuthedRequest, q: str = "", kind: str = "") -> Any:
    return selectors.sponsor_list(actor=request.user, query=q, kind=kind)


@router.post("/sponsors", response={201: SponsorOut}, summary="Register a sponsor")
def sponsor_create(request: AuthedRequest, payload: SponsorIn) -> Status[Any]:
    data = payload.dict()
    region = data.pop("region")
    return Status(201, services.sponsor_create(actor=request.user, region_code=region, **data))


@router.get("/sponsors/{sponsor_id}", response=SponsorDetailOut, summary="One sponsor with active members by category")
def sponsor_detail(request: AuthedRequest, sponsor_id: int) -> dict[str, Any]:
    sponsor = selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    return {
        "id": sponsor.pk,
        "kind": sponsor.kind,
        "name": sponsor.name,
        "npwp": sponsor.npwp,
        "region": sponsor.region_id,
        "address": sponsor.address,
        "active_members_by_category": selectors.sponsor_category_counts(sponsor=sponsor),
    }


@router.post("/sponsors/{sponsor_id}/agreements", response={201: AgreementOut}, summary="Draft an agreement")
def agreement_create(request: AuthedRequest, sponsor_id: int, payload: AgreementIn) -> Status[Any]:
    sponsor = selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    return Status(201, services.agreement_create(actor=request.user, sponsor=sponsor, **payload.dict()))


@router.get("/agreements", response=list[AgreementOut], summary="Agreements; ending_within=90 lists those ending soon")
@paginate(Pages, page_size=50)
def agreement_list(request: AuthedRequest, ending_within: Annotated[int | None, Query(ge=1, le=366)] = None) -> Any:
    return selectors.agreement_list(actor=request.user, ending_within=ending_within, today=timezone.localdate())


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
def agreement_detail(request: AuthedRequest, agreement_id: int) -> Agreement:
    return selectors.agreement_get(actor=request.user, agreement_id=agreement_id)


@router.post("/agreements/{agreement_id}/activate", response=AgreementOut, summary="Draft -> active")
def agreement_activate(request: AuthedRequest, agreement_id: int) -> Agreement:
    agreement = selectors.agreement_get(actor=request.user, agreement_id=agreement_id)
    return services.agreement_activate(actor=request.user, agreement=agreement)


@router.post("/agreements/{agreement_id}/terminate", response=AgreementOut, summary="Active -> terminated")
def agreement_terminate(request: AuthedRequest, agreement_id: int, payload: TerminateIn) -> Agreement:
    agreement = selectors.agreement_get(actor=request.user, agreement_id=agreement_id)
    return services.agreement_terminate(actor=request.user, agreement=agreement, ended_on=payload.ended_on)


@router.post("/agreements/{agreement_id}/renew", response={201: AgreementOut}, summary="Draft the next agreement")
def agreement_renew(request: AuthedRequest, agreement_id: int, payload: RenewIn) -> Status[Any]:
    agreement = selectors.agreement_get(actor=request.user, agreement_id=agreement_id)
    return Status(201, services.agreement_renew(actor=request.user, agreement=agreement, **payload.dict()))


# Bulk enrolment --------------------------------------------------------------------------------


@router.get("/imports/template", summary="The enrolment template (.xlsx)", response={200: None})
def import_template(request: AuthedRequest) -> HttpResponse:
    selectors.enrollable_sponsors(actor=request.user)  # the permission check
    response = HttpResponse(imports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-peserta.xlsx"'
    return response


@router.post("/imports", response={202: ImportOut}, summary="Upload a CSV/XLSX file; it is checked in the background")
def import_upload(
    request: AuthedRequest, sponsor_id: Form[int], file: File[UploadedFile], agreement_id: Form[int | None] = None
) -> Status[Any]:
    sponsor = selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    agreement = selectors.agreement_get(actor=request.user, agreement_id=agreement_id) if agreement_id else None
    batch = batches.import_upload(
        actor=request.user, sponsor=sponsor, agreement=agreement, name=file.name or "upload", content=file
    )
    return Status(202, batch)


@router.get(
    "/imports/{batch_id}", response=ImportOut, summary="An upload's status, progress, counts and first problems"
)
def import_detail(request: AuthedRequest, batch_id: int) -> ImportBatch:
    return selectors.import_get(actor=request.user, batch_id=batch_id)


@router.post("/imports/{batch_id}/confirm", response={202: ImportOut}, summary="Write a checked upload")
def import_confirm(request: AuthedRequest, batch_id: int) -> Status[Any]:
    batch = selectors.import_get(actor=request.user, batch_id=batch_id)
    return Status(202, batches.import_confirm(actor=request.user, batch=batch))


@router.post(
    "/imports/{batch_id}/cancel", response=ImportOut, summary="Stop an upload that has not ended; nothing is written"
)
def import_cancel(request: AuthedRequest, batch_id: int) -> ImportBatch:
    batch = selectors.import_get(actor=request.user, batch_id=batch_id)
    return batches.import_cancel(actor=request.user, batch=batch)


@router.get("/imports/{batch_id}/report", summary="The full error report (.xlsx)", response={200: None})
def import_report(request: AuthedRequest, batch_id: int) -> FileResponse:
    batch = selectors.import_get(actor=request.user, batch_id=batch_id)
    path = imports.report_path(batch)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename="laporan-galat.xlsx", content_type=XLSX)
