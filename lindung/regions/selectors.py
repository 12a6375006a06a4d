"""Reads of the region tree, always through the scoping function."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from lindung.core.scoping import ScopedActor, region_condition, scoped
from lindung.regions import codes
from lindung.regions.models import Region

SEARCH_MIN_LENGTH = 2


def region_get(*, actor: ScopedActor, code: str) -> Region:
    """One region the actor may see; 404 when it does not exist or lies outside their regions."""
    return get_object_or_404(scoped(Region.objects.all(), actor=actor), code=code)


def region_children(*, actor: ScopedActor, parent_code: str | None) -> QuerySet[Region]:
    """The visible children of a region (the provinces when `parent_code` is None).

    Each carries `child_count`, the number of its own children the actor may see: one query.
    """
    visible_grandchildren = region_condition(actor, "children", include_ancestors=True)
    return (
        scoped(Region.objects.filter(parent_id=parent_code), actor=actor)
        .annotate(child_count=Count("children", filter=visible_grandchildren or Q()))
        .order_by("code")
    )


def region_descendants(*, actor: ScopedActor, code: str, level: int | None = None) -> QuerySet[Region]:
    """Every region inside `code` (itself excluded), optionally at one level: a single indexed query."""
    region = region_get(actor=actor, code=code)
    descendants = Region.objects.filter(Region.subtree_q(region.code)).exclude(code=region.code)
    if level is not None:
        descendants = descendants.filter(level=level)
    return scoped(descendants, actor=actor)


def region_search(*, actor: ScopedActor, query: str, limit: int = 20, level: int | None = None) -> list[Region]:
    """Regions whose name contains `query`, ignoring case, accents and punctuation.

    Larger regions first, then by name; each result carries `path_names` for display.
    """
    folded = codes.fold_name(query)
    if len(folded) < SEARCH_MIN_LENGTH:
        return []
    matches = scoped(Region.objects.filter(search_name__contains=folded), actor=actor)
    if level is not None:
        matches = matches.filter(level=level)
    found = list(matches.order_by("level", "search_name", "code")[:limit])
    return attach_paths(found)


def region_ancestors(region: Region) -> list[Region]:
    """The regions that enclose `region`, province first (one query; none for a province)."""
    enclosing = codes.ancestors_of(region.code)
    if not enclosing:
        return []
    return list(Region.objects.filter(code__in=enclosing).order_by("level"))


def attach_paths(regions: Sequence[Region]) -> list[Region]:
    """Set `path_names` ("Kecamatan Dayun, Kabupaten Siak, Riau") on each region with one query."""
    wanted = {ancestor for region in regions for ancestor in codes.ancestors_of(region.code)}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
    for region in regions:
        enclosing = [names.get(code, code) for code in reversed(codes.ancestors_of(region.code))]
        region.path_names = ", ".join(enclosing)
    return list(regions)
