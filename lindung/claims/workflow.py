"""The moves of a claim through its workflow, shared by the services and the payouts: lock, check
the status allows the step, move, record the step, audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.claims.models import Claim, ClaimStep
from lindung.core.audit import audit_record, snapshot
from lindung.core.models import AuditAction

AUDITED = ("number", "claim_type", "jkk_kind", "person", "event_date", "status", "total", "rejection_reason")


def step(claim: Claim, actor: User | None, status_from: str, status_to: str, note: str) -> None:
    ClaimStep.objects.create(claim=claim, status_from=status_from, status_to=status_to, actor=actor, note=note[:500])


def move(claim: Claim, actor: User | None, to: str, note: str = "") -> Claim:
    before = snapshot(claim, AUDITED)
    status_from = claim.status
    claim.status = to
    claim.save()
    step(claim, actor, status_from, to, note)
    audit_record(actor=actor, action=AuditAction.UPDATE, target=claim, before=before, after=snapshot(claim, AUDITED))
    return claim


def locked(claim: Claim, *allowed: str) -> Claim:
    fresh = Claim.objects.select_for_update().get(pk=claim.pk)
    if fresh.status not in allowed:
        raise ValidationError(
            _("This step is not possible for a claim that is %(status)s.") % {"status": fresh.get_status_display()}
        )
    return fresh
