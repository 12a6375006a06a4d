"""Monitoring writes: the ranking weights (the workforce import is in workforce.py)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record
from lindung.core.models import AuditAction
from lindung.monitoring.models import RankingIndicator, RankingWeight
from lindung.monitoring.selectors import ranking_weights

MAX_WEIGHT = 100


def ranking_weights_set(*, actor: User | None, weights: Mapping[str, str | int]) -> dict[str, int]:
    """Set the weight (0-100) of every ranking indicator; at least one must be above zero."""
    require(actor, Capability.SET_RANKING_WEIGHTS)
    cleaned: dict[str, int] = {}
    errors: dict[str, str] = {}
    for indicator in RankingIndicator:
        raw = str(weights.get(indicator.value, "")).strip()
        if not raw.isdigit() or int(raw) > MAX_WEIGHT:
            errors[indicator.value] = _("%(indicator)s: write a whole number from 0 to 100.") % {
                "indicator": indicator.label
            }
        else:
            cleaned[indicator.value] = int(raw)
    if errors:
        raise ValidationError(errors)
    if not any(cleaned.values()):
        raise ValidationError(_("At least one weight must be above zero."))
    before = ranking_weights()
    by = actor if actor is not None and actor.pk else None
    with transaction.atomic():
        for key, weight in cleaned.items():
            RankingWeight.objects.update_or_create(
                indicator=key,
                defaults={
                    "weight": weight,
                    "updated_by": by,
                    "updated_at": timezone.now(),
                },
            )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="monitoring.rankingweight",
            object_repr="bobot peringkat",
            before=before,
            after=cleaned,
        )
    return cleaned
