"""Reads of the audit log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.models import AuditEntry


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(
    *,
    actor: User,
    actor_username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, filtered; only for roles that may read the log."""
    require(actor, Capability.VIEW_AUDIT)
    entries = AuditEntry.objects.all()
    if actor_username:
        entries = entries.filter(actor_username__iexact=actor_username)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if date_from:
        entries = entries.filter(created_at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(created_at__lt=_start_of(date_to + timedelta(days=1)))
    return entries.order_by("-created_at", "-id")
