"""The public "Simulasi iuran & manfaat" page: the calculators with a form, the breakdown and its legal basis."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.core.htmx import render_page_or_partial
from lindung.core.rules_bridge import active_language, as_json, error_message
from lindung.rules import contributions, entitlements, inputs
from lindung.rules.errors import RuleInputError
from lindung.rules.text import format_rate

CONTRIBUTION_FIELDS = (
    "period",
    "segment",
    "programs",
    "wage",
    "income",
    "contract_value",
    "risk_class",
    "funding",
    "sector",
    "industry",
    "workers",
    "paid_on",
)
BENEFIT_FIELDS = (
    "program",
    "event_date",
    "kind",
    "wage",
    "percentage",
    "function_loss",
    "months",
    "membership_start",
    "children",
    "cause",
    "on_date",
    "reason",
    "birth_date",
    "balance",
)
MAX_PLANNED_MEMBERS = 10_000_000

COMPONENT_LABELS = {
    "contribution": gettext_lazy("Contribution"),
    "wages": gettext_lazy("On wages"),
    "late_penalty": gettext_lazy("Late penalty"),
    "lump_sum": gettext_lazy("Lump sum"),
    "periodic": gettext_lazy("Periodic benefit"),
    "funeral": gettext_lazy("Funeral cost"),
    "partial_disability": gettext_lazy("Partial disability"),
    "total_disability": gettext_lazy("Total permanent disability"),
    "full_payout": gettext_lazy("Full payout"),
    "sebagian_perumahan": gettext_lazy("Partial payout (housing)"),
    "sebagian_lainnya": gettext_lazy("Partial payout (other needs)"),
}
FIELD_LABELS = {
    "period": gettext_lazy("Period (month)"),
    "segment": gettext_lazy("Segment"),
    "programs": gettext_lazy("Programs"),
    "wage": gettext_lazy("Wage"),
    "income": gettext_lazy("Declared monthly income (BPU)"),
    "contract_value": gettext_lazy("Contract value (construction, without VAT)"),
    "risk_class": gettext_lazy("JKK risk class (PU)"),
    "funding": gettext_lazy("Funding source"),
    "sector": gettext_lazy("BPU sector"),
    "industry": gettext_lazy("Industry (PP 7/2025)"),
    "workers": gettext_lazy("Employer's workers"),
    "paid_on": gettext_lazy("Paid on (for the late penalty)"),
    "program": gettext_lazy("Benefit"),
    "event_date": gettext_lazy("Event date (death, accident, payout)"),
    "kind": gettext_lazy("Kind"),
    "percentage": gettext_lazy("Disability percentage"),
    "function_loss": gettext_lazy("Function lost"),
    "months": gettext_lazy("Months unable to work"),
    "membership_start": gettext_lazy("Membership start"),
    "children": gettext_lazy("Children (birth date:level, comma-separated)"),
    "cause": gettext_lazy("Cause (scholarship only)"),
    "on_date": gettext_lazy("School-year claim date"),
    "reason": gettext_lazy("Payout reason"),
    "birth_date": gettext_lazy("Birth date"),
    "balance": gettext_lazy("Balance"),
}
PROGRAM_LABELS = {"beasiswa": gettext_lazy("Scholarship"), "denda": gettext_lazy("Penalty")}


def component_label(component: str) -> str:
    """A readable name for a rules component code (risk_class_1 -> Kelas risiko 1)."""
    if component in COMPONENT_LABELS:
        return str(COMPONENT_LABELS[component])
    if match := re.fullmatch(r"risk_class_(\d)", component):
        return _("Risk class %(number)s") % {"number": match[1]}
    if match := re.fullmatch(r"contract_bracket_(\d+)", component):
        return _("Contract value bracket %(number)s") % {"number": match[1]}
    if match := re.fullmatch(r"stmb_months_(\d+)_(\d+)", component):
        return _("STMB, months %(first)s-%(last)s") % {"first": match[1], "last": match[2]}
    if match := re.fullmatch(r"child_(\d+)_(\w+)", component):
        level = _("paid once") if match[2] == "lump_sum" else match[2].upper()
        return _("Child %(number)s (%(level)s)") % {"number": match[1], "level": level}
    return component


def _raw(request: HttpRequest, fields: tuple[str, ...]) -> dict[str, str | None]:
    raw: dict[str, str | None] = {field: request.GET.get(field) for field in fields}
    if "programs" in fields:
        # Checkboxes send one value each; the rules take them comma-separated.
        raw["programs"] = ",".join(request.GET.getlist("programs")) or None
    return raw


def _labelled(body: dict[str, Any]) -> dict[str, Any]:
    for item in body["items"]:
        item["label"] = component_label(item["component"])
        item["program_label"] = str(PROGRAM_LABELS.get(item["program"], item["program"].upper()))
        item["rate_percent"] = format_rate(Decimal(item["rate"]), active_language()) if item["rate"] else None
    return body


def _plan(query: contributions.ContributionQuery, members_text: str) -> dict[str, Any] | None:
    """Twelve months for N members, each month by its own rules (reliefs start and end)."""
    if not members_text.strip():
        return None
    if not members_text.strip().isdigit() or not 1 <= int(members_text) <= MAX_PLANNED_MEMBERS:
        return {"error": _("Number of workers: a whole number from 1 to 10,000,000.")}
    months = contributions.monthly_plan(query, members=int(members_text))
    return {"members": int(members_text), "months": months, "total": sum(month.total for month in months)}


def simulation(request: HttpRequest) -> HttpResponse:
    """Public page: no login. GET only, so a simulation can be bookmarked and shared."""
    tab = "manfaat" if request.GET.get("tab") == "manfaat" else "iuran"
    fields = BENEFIT_FIELDS if tab == "manfaat" else CONTRIBUTION_FIELDS
    raw = _raw(request, fields)
    context: dict[str, Any] = {
        "tab": tab,
        "values": raw,
        "chosen_programs": (raw.get("programs") or "").split(","),
        "choices": _choices(),
        "members": request.GET.get("members", ""),
    }
    if request.GET.get("hitung"):
        context.update(_calculate(tab, raw, context["members"]))
    return render_page_or_partial(request, "calculator/simulation.html", "result", context)


def _calculate(tab: str, raw: dict[str, str | None], members: str) -> dict[str, Any]:
    try:
        if tab == "manfaat":
            return {"result": _labelled(as_json(inputs.calculate_benefit(raw)))}
        query = inputs.contribution_query(raw)
        result = _labelled(as_json(contributions.contribution(query)))
        return {"result": result, "plan": _plan(query, members)}
    except RuleInputError as error:
        return {"error_field": str(FIELD_LABELS.get(error.field, error.field)), "error": error_message(error)}


def _choices() -> dict[str, Any]:
    return {
        "segments": [("pu", _("PU: wage earners")), ("bpu", _("BPU: non-wage earners")), ("jakon", _("Construction"))],
        "programs": contributions.PROGRAMS,
        "risk_classes": contributions.RISK_CLASSES,
        "funding": [
            ("apbd", "APBD"),
            ("apbdes", "APBDes"),
            ("apbn", "APBN"),
            ("mandiri", _("Self-paying")),
            ("pemberi_kerja", _("Employer")),
            ("csr", "CSR"),
        ],
        "sectors": contributions.SECTORS,
        "industries": contributions.industries(),
        "benefit_programs": [
            ("jkm", _("JKM: death not from work")),
            ("jkk", _("JKK: work accident")),
            ("beasiswa", _("Scholarship")),
            ("jht", _("JHT payout")),
        ],
        "jkk_kinds": [
            ("death", _("Death")),
            ("disability", _("Partial disability")),
            ("total_disability", _("Total permanent disability")),
            ("stmb", _("Temporarily unable to work (STMB)")),
        ],
        "causes": entitlements.CAUSES,
        "jht_reasons": entitlements.JHT_REASONS,
        "levels": entitlements.LEVELS,
    }
