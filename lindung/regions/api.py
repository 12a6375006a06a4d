"""Region endpoints: get by code, children, search. All scoped to the token's user."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Query, Router, Schema

from lindung.accounts.http import AuthedRequest
from lindung.regions import codes, selectors
from lindung.regions.models import Region

router = Router()

RegionCode = Annotated[str, Path(pattern=codes.CODE_PATTERN, description="Dotted Kemendagri code, e.g. 14.08")]


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    local_kind: str
    parent_code: str | None
    postal_code: str

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id


class RegionChildOut(RegionOut):
    child_count: int


class RegionSearchOut(RegionOut):
    path: str

    @staticmethod
    def resolve_path(obj: Region) -> str:
        return obj.path_names


@router.get("/", response=list[RegionChildOut], summary="Provinces")
def provinces(request: AuthedRequest) -> list[Region]:
    return list(selectors.region_children(actor=request.user, parent_code=None))


@router.get("/search", response=list[RegionSearchOut], summary="Search regions by name")
def search(
    request: AuthedRequest,
    q: Annotated[str, Query(min_length=2, max_length=100, description="Part of a name: siak, dayun")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[Region]:
    return selectors.region_search(actor=request.user, query=q, limit=limit)


@router.get("/{code}", response=RegionOut, summary="One region")
def region(request: AuthedRequest, code: RegionCode) -> Region:
    return selectors.region_get(actor=request.user, code=code)


@router.get("/{code}/children", response=list[RegionChildOut], summary="Children of a region")
def children(request: AuthedRequest, code: RegionCode) -> list[Region]:
    parent = selectors.region_get(actor=request.user, code=code)
    return list(selectors.region_children(actor=request.user, parent_code=parent.code))
