"""`{% person_claims person %}`: a person's claims on pages of other apps (the registry's person page),
so those apps show claims without importing this one."""

from __future__ import annotations

from typing import Any

from django import template

from lindung.accounts.roles import Capability
from lindung.claims import selectors

register = template.Library()


@register.inclusion_tag("claims/person_claims.html", takes_context=True)
def person_claims(context: template.Context, person: Any) -> dict[str, Any]:
    actor = context["request"].user
    claims = selectors.person_claims(actor=actor, person=person) if actor.can(Capability.VIEW_CLAIMS) else None
    return {"claims": claims}
