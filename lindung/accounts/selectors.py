"""Reads of users and tokens, always through the scoping function."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from lindung.accounts.models import RegionAssignment, User
from lindung.accounts.permissions import require
from lindung.accounts.roles import MANAGEABLE_ROLES, Capability
from lindung.core.scoping import covers, scoped


def user_list(*, actor: User, role: str | None = None, query: str | None = None) -> QuerySet[User]:
    """Accounts inside the actor's regions, with their regions prefetched (two queries)."""
    require(actor, Capability.VIEW_USERS)
    users = scoped(User.objects.all(), actor=actor)
    if role:
        users = users.filter(role=role)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    assignments = RegionAssignment.objects.select_related("region").order_by("region_id")
    return (
        users.select_related("office")
        .prefetch_related(Prefetch("region_assignments", queryset=assignments))
        .order_by("username")
    )


def user_get(*, actor: User, user_id: int) -> User:
    """One account the actor may see; 404 outside their regions."""
    require(actor, Capability.VIEW_USERS)
    return get_object_or_404(scoped(User.objects.all(), actor=actor), pk=user_id)


def user_is_manageable(*, actor: User, user: User) -> bool:
    """Whether the actor may change this account (role and every region within reach)."""
    return (
        actor.can(Capability.MANAGE_USERS)
        and actor.pk != user.pk
        and user.role in MANAGEABLE_ROLES.get(actor.role, frozenset())
        and covers(actor, user.region_codes)
    )
