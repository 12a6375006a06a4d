"""`{% person_claims person %}`: a person's claims on pages of other apps (the registry's person page),
so those apps show claims without importing this one."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.roles import Capability
from lindung.claims import selectors

register = template.Library()


@register.inclusion_tag("claims/person_claims.html", takes_context=True)
def person_claims(context: template.Context, person: Any) -> dict[str, Any]:
    actor = context["request"].user
    claims = selectors.person_claims(actor=actor, person=person) if actor.can(Capability.VIEW_CLAIMS) else None
    return {"claims": claims}


COMPONENTS: dict[str, Any] = {
    "lump_sum": gettext_lazy("Lump sum"),
    "periodic": gettext_lazy("Periodic benefit (paid at once)"),
    "funeral": gettext_lazy("Funeral cost"),
    "medical": gettext_lazy("Medical care"),
    "transport": gettext_lazy("Transport"),
    "home_care": gettext_lazy("Home care"),
    "partial_disability": gettext_lazy("Partial disability"),
    "total_disability": gettext_lazy("Total permanent disability"),
    "full_payout": gettext_lazy("Full JHT balance"),
    "sebagian_perumahan": gettext_lazy("Partial JHT for housing"),
    "sebagian_lainnya": gettext_lazy("Partial JHT for other needs"),
    "paid_outside": gettext_lazy("Paid outside Lindung"),
}
LEVELS: dict[str, Any] = {
    "belum_sekolah": gettext_lazy("not yet at school"),
    "tk": gettext_lazy("kindergarten (TK)"),
    "sd": gettext_lazy("primary school (SD)"),
    "smp": gettext_lazy("junior high (SMP)"),
    "sma": gettext_lazy("senior high (SMA/SMK)"),
    "s1": gettext_lazy("university (S1) or training"),
}


@register.filter
def component_label(code: str) -> str:
    """Words for a benefit component code: `lump_sum` is "Santunan sekaligus", `child_1_sd` is
    "Beasiswa anak ke-1, SD", `stmb_months_1_12` is "STMB bulan 1-12"."""
    code = str(code)
    if code in COMPONENTS:
        return str(COMPONENTS[code])
    parts = code.split("_")
    if code.startswith("child_") and len(parts) >= 3:
        level = "_".join(parts[2:])
        return _("Scholarship, child %(number)s, %(level)s") % {
            "number": parts[1],
            "level": LEVELS.get(level, level),
        }
    if code.startswith("stmb_months_") and len(parts) == 4:
        return _("STMB, months %(first)s-%(last)s") % {"first": parts[2], "last": parts[3]}
    return code


@register.filter
def document_label(kind: str, claim_type: str) -> str:
    """Words for a document kind (`akta_kematian` is "Akta kematian")."""
    from lindung.claims.documents import CHECKLIST, MARRIAGE_BOOK

    labels = dict([*CHECKLIST.get(claim_type, []), MARRIAGE_BOOK])
    return str(labels.get(kind, kind))
