"""Reads of offices: who serves a region on a day, an office's area and its history."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from lindung.core.scoping import ScopedActor, covers
from lindung.offices.models import AREA_LEVEL, Office, OfficeKind, ServiceArea
from lindung.regions import codes
from lindung.regions.models import Region


def office_list() -> QuerySet[Office]:
    """Every office, Kanwil first, each with its parent (the agency's directory is not personal data)."""
    return Office.objects.select_related("parent").order_by("kind", "name")


def office_tree() -> list[tuple[Office, list[tuple[Office, list[Office]]]]]:
    """Kanwil > branches > sub-branches, by name, for the directory page; offices without a parent last."""
    offices = list(office_list())
    children: dict[int | None, list[Office]] = {}
    for office in sorted(offices, key=lambda o: o.name):
        children.setdefault(office.parent_id, []).append(office)
    kanwils = [o for o in children.get(None, []) if o.kind == OfficeKind.KANWIL]
    tree = [
        (kanwil, [(branch, children.get(branch.pk, [])) for branch in children.get(kanwil.pk, [])])
        for kanwil in kanwils
    ]
    orphans = [o for o in children.get(None, []) if o.kind != OfficeKind.KANWIL]
    if orphans:
        tree.append((Office(code="", name=""), [(o, children.get(o.pk, [])) for o in orphans]))
    return tree


def office_get(code: str) -> Office:
    office = Office.objects.select_related("parent", "parent__parent").filter(code=code).first()
    if office is None:
        raise Http404
    return office


def may_oversee(actor: ScopedActor, office: Office, on: date) -> bool:
    """The actor's regions hold the office's whole area on `on` (an office with no area: admins only)."""
    area = office.area_codes(on)
    return actor.sees_all_regions or (bool(area) and covers(actor, area))


def serving_office(region_code: str, on: date) -> Office | None:
    """The office that answered for a region on a day: the branch or KCP of its kabupaten/kota, or for
    a province (or a region without a branch) the Kanwil of its province; None when none is known."""
    if not region_code:
        return None
    chain = [region_code, *codes.ancestors_of(region_code)]
    regency = next((code for code in chain if codes.level_of(code) == codes.REGENCY), None)
    province = next(code for code in chain if codes.level_of(code) == codes.PROVINCE)
    for code in filter(None, (regency, province)):
        area = (
            ServiceArea.objects.filter(ServiceArea.in_force_q(on), region_id=code)
            .select_related("office", "office__parent")
            .first()
        )
        if area is not None:
            return area.office
    return None


def kanwil_of(office: Office) -> Office | None:
    """The regional office above an office (itself for a Kanwil)."""
    while office is not None and office.kind != OfficeKind.KANWIL:
        office = office.parent  # type: ignore[assignment]
    return office


def offices_by_region(level: int, on: date) -> dict[str, Office]:
    """Every region of `level` (provinces or kabupaten/kota) with the office serving it on `on`:
    one query, for grouping a page's rows by office."""
    kinds = [kind for kind, area_level in AREA_LEVEL.items() if area_level == level]
    rows = ServiceArea.objects.filter(ServiceArea.in_force_q(on), office__kind__in=kinds).select_related("office")
    return {row.region_id: row.office for row in rows}


def area_history(office: Office) -> QuerySet[ServiceArea]:
    """The regions an office serves, served or will serve, newest first within each region."""
    return ServiceArea.objects.filter(office=office).select_related("region").order_by("region_id", "-valid_from")


def region_history(region_code: str) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(region_id=region_code).select_related("office").order_by("-valid_from")


def offices_overseen(actor: ScopedActor, on: date, *, kinds: tuple[str, ...] = ()) -> list[Office]:
    """The active offices (of `kinds`, all when empty) whose whole area on `on` lies in the actor's
    regions: two queries whatever the number of offices (the claim queue and payouts pages ask)."""
    offices = Office.objects.filter(active=True).select_related("parent").order_by("kind", "name")
    if kinds:
        offices = offices.filter(kind__in=kinds)
    if actor.sees_all_regions:
        return list(offices)
    areas = areas_by_office(on)
    return [office for office in offices if areas.get(office.pk) and covers(actor, areas[office.pk])]


def areas_by_office(on: date) -> dict[int, list[str]]:
    """Each office's area on `on` in one query, as `Office.area_codes` counts it (a branch with its KCPs)."""
    areas: dict[int, list[str]] = {}
    rows = ServiceArea.objects.filter(ServiceArea.in_force_q(on)).values_list(
        "office_id", "region_id", "office__kind", "office__parent_id"
    )
    for office_id, region, kind, parent_id in rows:
        areas.setdefault(office_id, []).append(region)
        if kind == OfficeKind.KCP and parent_id is not None:
            areas.setdefault(parent_id, []).append(region)
    return areas


def area_condition(office: Office, on: date, path: str) -> Q:
    """Rows whose region (reached by `path`) lies in the office's area on `on`; nothing when it has none."""
    area = office.area_codes(on)
    if not area:
        return Q(pk__in=[])
    condition = Q()
    for code in area:
        condition |= Region.subtree_q(code, path)
    return condition
