"""Office endpoints at /api/v1/offices: the directory with each office's dated service area, the
administrator's edits, a region moved on a date, and the office file import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.tables import saved_upload
from lindung.offices import imports, selectors, services
from lindung.offices.models import Office

router = Router()


class AreaOut(Schema):
    region: str
    region_name: str
    valid_from: date
    valid_to: date | None


class OfficeOut(Schema):
    code: str
    kind: str
    name: str
    parent: str | None
    address: str
    phone: str
    email: str
    head_name: str
    head_title: str
    bank_name: str
    bank_account: str
    bank_account_name: str
    active: bool
    serves_today: list[str]


class OfficeDetailOut(OfficeOut):
    areas: list[AreaOut]


class OfficeIn(Schema):
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    head_name: str | None = None
    head_title: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    bank_account_name: str | None = None
    active: bool | None = None


class AreaIn(Schema):
    region: str
    valid_from: date


class AreaChangeOut(Schema):
    changed: bool
    region: str
    office: str
    valid_from: date


class ImportOut(Schema):
    offices_created: int
    offices_changed: int
    areas_changed: int
    rows: int


def _office_out(office: Office, today: date) -> dict[str, object]:
    values = {name: getattr(office, name) for name in services.EDITABLE_FIELDS}
    return {
        **values,
        "code": office.code,
        "kind": office.kind,
        "parent": office.parent.code if office.parent else None,
        "serves_today": list(office.area_codes(today)),
    }


@router.get("", response=list[OfficeOut], summary="Every office (Kanwil, branch, KCP) with what it serves today")
def office_list(request: AuthedRequest) -> list[dict[str, object]]:
    require(request.user, Capability.VIEW_REGIONS)
    today = timezone.localdate()
    return [_office_out(office, today) for office in selectors.office_list()]


@router.post("/import", response=ImportOut, summary="Load an office file, CSV or XLSX (administrator)")
def office_import(request: AuthedRequest, file: Annotated[UploadedFile, File()]) -> imports.ImportOutcome:
    require(request.user, Capability.MANAGE_OFFICES)
    with saved_upload(file, stem="kantor") as path:
        return imports.offices_import(actor=request.user, path=Path(path))


@router.get("/{code}", response=OfficeDetailOut, summary="One office and its service area over time")
def office_detail(request: AuthedRequest, code: str) -> dict[str, object]:
    require(request.user, Capability.VIEW_REGIONS)
    office = selectors.office_get(code)
    areas = [
        {"region": a.region_id, "region_name": a.region.name, "valid_from": a.valid_from, "valid_to": a.valid_to}
        for a in selectors.area_history(office)
    ]
    return {**_office_out(office, timezone.localdate()), "areas": areas}


@router.patch("/{code}", response=OfficeDetailOut, summary="Change an office's details (administrator)")
def office_update(request: AuthedRequest, code: str, payload: OfficeIn) -> dict[str, object]:
    require(request.user, Capability.MANAGE_OFFICES)
    office = selectors.office_get(code)
    values = {name: getattr(office, name) for name in services.EDITABLE_FIELDS}
    values.update(payload.dict(exclude_none=True))
    services.office_save(actor=request.user, code=office.code, kind=office.kind, parent=office.parent, **values)
    return office_detail(request, code)


@router.post("/{code}/areas", response=AreaChangeOut, summary="The office serves a region from a date (administrator)")
def area_assign(request: AuthedRequest, code: str, payload: AreaIn) -> AreaChangeOut:
    require(request.user, Capability.MANAGE_OFFICES)
    office = selectors.office_get(code)
    change = services.area_assign(
        actor=request.user, office=office, region_code=payload.region, valid_from=payload.valid_from
    )
    return AreaChangeOut(
        changed=change is not None, region=payload.region, office=office.code, valid_from=payload.valid_from
    )
