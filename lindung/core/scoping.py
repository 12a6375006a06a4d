"""Region scoping: the one function every selector passes its queryset through.

A model opts in by declaring `region_path`, the lookup path from it to its Region
("" for Region itself, "village" for a person, "region_assignments__region" for a user).
A model reachable through several regions instead defines `scope_condition(region_q)`, which
combines `region_q(path)` for each of its paths.
A user sees rows whose region lies in the subtree of one of their assigned regions;
admins see everything; a user with no region sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from lindung.regions import codes
from lindung.regions.models import Region

M = TypeVar("M", bound=models.Model)


class ScopedActor(Protocol):
    @property
    def sees_all_regions(self) -> bool: ...

    @property
    def region_codes(self) -> tuple[str, ...]: ...


def region_condition(actor: ScopedActor, path: str, *, include_ancestors: bool = False) -> Q | None:
    """The filter for rows whose region (reached by `path`) is inside the actor's regions.

    None means no restriction (an admin). A user without regions gets a condition nothing matches.
    """
    if actor.sees_all_regions:
        return None
    assigned = actor.region_codes
    if not assigned:
        return Q(pk__in=[])
    condition = Q()
    for code in assigned:
        condition |= Region.subtree_q(code, path)
    if include_ancestors:
        enclosing = {ancestor for code in assigned for ancestor in codes.ancestors_of(code)}
        condition |= Q(**{f"{path}__code__in" if path else "code__in": enclosing})
    return condition


def scoped(queryset: models.QuerySet[M], *, actor: ScopedActor) -> models.QuerySet[M]:
    """Narrow `queryset` to the rows inside `actor`'s regions. Apply before any lookup by id."""
    model = queryset.model
    custom = getattr(model, "scope_condition", None)
    if custom is not None and actor.sees_all_regions:
        return queryset
    if custom is not None:
        # A model reachable through several regions (a person: address or membership) builds its
        # own condition from the actor's subtree filter for each path.
        return queryset.filter(custom(lambda path: region_condition(actor, path) or Q()))
    path: str | None = getattr(model, "region_path", None)
    if path is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no region_path and cannot be scoped.")
    condition = region_condition(actor, path, include_ancestors=getattr(model, "scope_includes_ancestors", False))
    if condition is None:
        return queryset
    filtered = queryset.filter(condition)
    # A path through a to-many relation (a user has several regions) repeats rows.
    return filtered.distinct() if getattr(model, "scope_spans_many", False) else filtered


def covers(actor: ScopedActor, region_codes: Iterable[str]) -> bool:
    """True when every code lies inside the actor's regions: the check before a write."""
    if actor.sees_all_regions:
        return True
    return all(any(codes.is_within(code, mine) for mine in actor.region_codes) for code in region_codes)
