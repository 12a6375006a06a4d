"""Yearly coverage targets per region (Inpres 2/2021 asks regional heads to raise coverage; RPJMD
targets are set per year), and a region's progress against its target for a month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record, snapshot
from lindung.core.models import AuditAction
from lindung.monitoring.models import CoverageTarget

AUDITED = ("region", "year", "percent", "basis")


def target_set(*, actor: User | None, region_code: str, year: int, percent: str, basis: str) -> CoverageTarget:
    """Set (or change) a region's target for a year: a share of its workforce, with its basis."""
    require(actor, Capability.SET_COVERAGE_TARGETS, [region_code])
    errors: dict[str, str] = {}
    try:
        value = Decimal(str(percent).replace(",", ".").strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) < value <= Decimal(100) or value.as_tuple().exponent < -1:  # type: ignore[operator]
        errors["percent"] = _("Write a percentage above 0 and at most 100, with at most one decimal.")
    if not 2014 <= year <= 2100:
        errors["year"] = _("Write a year from 2014.")
    if not basis.strip():
        errors["basis"] = _("Name the basis, e.g. RPJMD Kabupaten Siak 2021-2026.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = CoverageTarget.objects.filter(region_id=region_code, year=year).first()
        before = snapshot(target, AUDITED) if target else None
        target = target or CoverageTarget(region_id=region_code, year=year)
        target.percent, target.basis = value, basis.strip()[:200]
        target.set_by, target.set_at = (actor if actor is not None and actor.pk else None), timezone.now()
        target.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            target=target,
            before=before,
            after=snapshot(target, AUDITED),
        )
    return target


@dataclass(frozen=True)
class Progress:
    target: CoverageTarget
    reached: float | None  # the coverage compared: official when loaded, else Lindung's (labelled)
    official: bool

    @property
    def gap(self) -> float | None:
        return None if self.reached is None else round(float(self.target.percent) - self.reached, 1)


def progress(region_code: str, year: int, *, official: float | None, lindung: float | None) -> Progress | None:
    """The year's target with the coverage it is measured against: the official one when the
    agency's figures are loaded, else Lindung's own (the page says which)."""
    target = CoverageTarget.objects.filter(region_id=region_code, year=year).first()
    if target is None:
        return None
    if official is not None:
        return Progress(target, official, official=True)
    return Progress(target, lindung, official=False)
