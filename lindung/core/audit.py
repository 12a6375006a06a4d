"""Writing the audit log. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from lindung.core.models import AuditAction, AuditEntry


class AuditOutsideTransactionError(RuntimeError):
    """An audit record must share the transaction of the write it describes."""


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-safe values, for `before`/`after`."""
    return {name: _json_safe(getattr(obj, name)) for name in fields}


def _json_safe(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)]
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry. Must run inside the caller's atomic block (raises otherwise).

    `actor` is the acting user, or None for the system (a command run by an operator on the server).
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError("audit_record must be called inside transaction.atomic()")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)
    entry = _entry(actor, action, object_type, (object_id, object_repr, before, after))
    entry.save()
    return entry


def _entry(actor: Any, action: AuditAction, object_type: str, change: tuple[str, str, Any, Any]) -> AuditEntry:
    object_id, object_repr, before, after = change
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=before,
        after=after,
    )


def audit_record_many(
    *,
    actor: Any,
    action: AuditAction,
    object_type: str,
    changes: Iterable[tuple[str, str, dict[str, Any], dict[str, Any]]],
) -> int:
    """Append one entry per (object id, repr, before, after) in a few statements: for the writes of a
    whole file (an import that changes thousands of people's phones). Same rules as `audit_record`."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError("audit_record_many must be called inside transaction.atomic()")
    entries = [_entry(actor, action, object_type, change) for change in changes]
    AuditEntry.objects.bulk_create(entries, batch_size=1_000)
    return len(entries)


def audit_personal_data_viewed(*, actor: Any, target: models.Model, fields: Iterable[str]) -> AuditEntry:
    """Record that `actor` saw `target`'s unmasked personal data (which fields, not their values)."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            target=target,
            after={"fields": sorted(fields)},
        )
