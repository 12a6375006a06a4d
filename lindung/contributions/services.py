"""Writes of the contributions app. Each checks permission and region, writes and audits in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions.billing import Outcome, Progress, Scope, bill_period
from lindung.contributions.models import BillingRun, InvoiceLine
from lindung.core.audit import audit_record
from lindung.core.models import AuditAction
from lindung.regions.models import Region
from lindung.registry.models import Sponsor
from lindung.rules.periods import Period

FIRST_BILLABLE = Period(2014, 1)


def billing_run(
    *,
    actor: User | None,
    period: str,
    region_code: str | None = None,
    sponsor: Sponsor | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> tuple[BillingRun, Outcome]:
    """Bill one period for a sponsor, a region, or (for the system and admins) everywhere.

    A user without a region or sponsor bills their own regions. Repeating a run adds nothing.
    """
    month = _period(period)
    region = _region(region_code)
    scope = _scope(actor, region, sponsor)
    with transaction.atomic():
        run = BillingRun.objects.create(period=str(month), region=region, sponsor=sponsor, started_by=actor)
        outcome = bill_period(period=month, scope=scope, run=run, progress=progress, today=today)
        run.summary = outcome.as_dict()
        run.finished_at = timezone.now()
        run.save(update_fields=["summary", "finished_at"])
        audit_record(actor=actor, action=AuditAction.CREATE, target=run, after=run.summary)
    return run, outcome


def reverse_after_end(*, membership_ids: list[int], ended_on: date, today: date | None = None) -> list[str]:
    """After memberships ended on `ended_on` (a death), reverse what was billed for the months after it.

    Only the periods already billed to these memberships are re-run, each over these memberships
    alone: the lines of everyone else are not touched. Returns the periods re-billed. The caller
    holds the transaction and has checked its own capability (the system bills)."""
    if not membership_ids:
        return []
    first = Period(ended_on.year, ended_on.month).shifted(1)
    periods = sorted(
        set(
            InvoiceLine.objects.filter(membership_id__in=membership_ids, period__gte=str(first)).values_list(
                "period", flat=True
            )
        )
    )
    scope = Scope(membership_ids=tuple(sorted(membership_ids)))
    for period in periods:
        bill_period(period=Period.parse(period), scope=scope, today=today)
    return periods


def _period(text: str) -> Period:
    try:
        month = Period.parse(text)
    except ValueError:
        raise ValidationError({"period": _("Write the period as YYYY-MM, for example 2026-06.")}) from None
    if month < FIRST_BILLABLE:
        raise ValidationError({"period": _("Billing starts at 2014-01.")})
    if month > Period.parse(timezone.localdate().strftime("%Y-%m")).shifted(1):
        raise ValidationError({"period": _("At most one month ahead of today.")})
    return month


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": _("No region has code %(code)s.") % {"code": code}})
    return region


def _scope(actor: User | None, region: Region | None, sponsor: Sponsor | None) -> Scope:
    if sponsor is not None:
        require(actor, Capability.BILL_CONTRIBUTIONS, [sponsor.region_id])
        return Scope(sponsor_id=sponsor.pk)
    if region is not None:
        require(actor, Capability.BILL_CONTRIBUTIONS, [region.code])
        return Scope(region_codes=(region.code,))
    require(actor, Capability.BILL_CONTRIBUTIONS)
    if actor is None or actor.sees_all_regions:
        return Scope()
    if not actor.region_codes:
        raise PermissionDenied(_("This lies outside your regions."))
    return Scope(region_codes=tuple(actor.region_codes))
