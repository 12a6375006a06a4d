"""Target list pages: upload and the lists of the user's regions, one list's counts with progress
while it is read, its entries (NIK masked), the download (audited), matching again and deletion."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions.planner import plan_workbook
from lindung.core.forms_util import add_service_errors, error_text
from lindung.core.htmx import render_page_or_partial
from lindung.core.jobs import worker_status
from lindung.core.lists import XLSX
from lindung.core.paging import BoundedPaginator
from lindung.core.tables import saved_upload
from lindung.core.templatetags.lindung import rupiah
from lindung.outreach import exports, officials, protect, selection, selectors, services
from lindung.outreach.forms import ProtectForm, SelectionForm, TargetListForm
from lindung.outreach.models import ListStatus, TargetClass, TargetList
from lindung.registry import selectors as registry_selectors
from lindung.registry.models import SponsorKind
from lindung.rules.periods import Period

# Who pays for pekerja rentan: a regional or village government.
PAYING_GOVERNMENTS = (SponsorKind.PEMDA, SponsorKind.PEMDES)
BREAKDOWNS = {"kecamatan": "district", "desa": "village", "desil": "decile"}


@login_required
def list_index(request: AuthedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_TARGET_LISTS)
    initial = {"region": request.user.region_codes[0]} if len(request.user.region_codes) == 1 else {}
    form = TargetListForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with saved_upload(data["file"], stem="sasaran") as path:
                target_list, created = services.target_list_create(
                    actor=request.user,
                    path=path,
                    file_name=data["file"].name or path.name,
                    region_code=data["region"],
                    source=data["source"],
                    source_date=data["source_date"],
                    name=data["name"],
                )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            if not created:
                messages.info(request, _("This file was uploaded before: here is that list."))
            return redirect("outreach:detail", list_id=target_list.pk)
    page = BoundedPaginator(selectors.lists_for(request.user), 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "retention_days": settings.TARGET_LIST_RETENTION_DAYS}
    return render(request, "outreach/index.html", context)


def _get(request: AuthedRequest, list_id: int) -> TargetList:
    return selectors.target_list_get(actor=request.user, list_id=list_id)


@login_required
def list_detail(request: AuthedRequest, list_id: int) -> HttpResponse:
    target_list = _get(request, list_id)
    by = request.GET.get("per", "kecamatan")
    done = target_list.status == ListStatus.DONE
    figures = selectors.kept_classes(target_list) if done else {}
    context = {
        "list": target_list,
        "running": target_list.running,
        "worker": worker_status() if target_list.running else None,
        "classes": [(value, label, figures.get(value)) for value, label in TargetClass.choices] if done else [],
        "to_protect": selectors.kept_to_protect(target_list) if done else None,
        "groups": selectors.kept_breakdown(target_list, BREAKDOWNS.get(by, "district")) if done else [],
        "by": by if by in BREAKDOWNS else "kecamatan",
        "breakdowns": [("kecamatan", _("Kecamatan")), ("desa", _("Village")), ("desil", _("Decile"))],
        "columns": [TargetClass.PROTECTED, TargetClass.REGISTERED, TargetClass.NOT_REGISTERED],
        "protections": target_list.protections.select_related("agreement", "batch") if done else [],
    }
    return render_page_or_partial(request, "outreach/detail.html", "status", context)


@login_required
def list_entries(request: AuthedRequest, list_id: int) -> HttpResponse:
    target_list = _get(request, list_id)
    outcome = request.GET.get("kelas", "")
    if outcome and outcome not in TargetClass.values:
        outcome = ""
    entries = selectors.entries_of(target_list, outcome or None)
    page = BoundedPaginator(entries, 50).get_page(request.GET.get("page"))
    districts = selectors.district_names(entry.district_code for entry in page)
    labels = dict(TargetClass.choices)
    context = {
        "list": target_list,
        "page": page,
        "outcome": outcome,
        "outcome_label": labels.get(outcome, _("All entries")),
        "classes": TargetClass.choices,
        "districts": districts,
    }
    return render(request, "outreach/entries.html", context)


@login_required
def list_download(request: AuthedRequest, list_id: int) -> HttpResponse:
    target_list = _get(request, list_id)
    outcome = request.GET.get("kelas", "")
    outcome = outcome if outcome in TargetClass.values else ""
    content = exports.entries_workbook(actor=request.user, target_list=target_list, outcome=outcome or None)
    response = HttpResponse(content, content_type=XLSX)
    name = slugify(f"{target_list.name} {outcome}") or "sasaran"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_POST
def list_rematch(request: AuthedRequest, list_id: int) -> HttpResponse:
    target_list = _get(request, list_id)
    try:
        services.target_list_rematch_queue(actor=request.user, target_list=target_list)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("outreach:detail", list_id=target_list.pk)


@login_required
@require_POST
def list_delete(request: AuthedRequest, list_id: int) -> HttpResponse:
    target_list = _get(request, list_id)
    services.target_list_delete(actor=request.user, target_list=target_list, reason=_("Deleted on request."))
    messages.success(request, _("The list %(name)s and all its entries were deleted.") % {"name": target_list.name})
    return redirect("outreach:index")


@login_required
def list_select(request: AuthedRequest, list_id: int) -> HttpResponse:
    """Choose who to protect from the list and see what it costs, month by month (the planner's
    figures); from here the guided flow drafts the agreement and the enrolment batch."""
    target_list = _get(request, list_id)
    if target_list.status != ListStatus.DONE:
        return redirect("outreach:detail", list_id=target_list.pk)
    today = timezone.localdate()
    agreements = {a.pk: a for a in registry_selectors.agreement_list(actor=request.user)[:500]}
    form = SelectionForm(
        request.GET or None,
        districts=selectors.districts_of(target_list),
        agreements=[(pk, f"{a.number} · {a.sponsor.name}") for pk, a in agreements.items()],
        initial={"start": selection.first_month(today)},
    )
    costing = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        agreement = agreements.get(int(data["agreement"])) if data["agreement"] else None
        try:
            costing = selection.selection_cost(
                target_list,
                selection.parse_selection(data),
                on=today,
                start=data["start"],
                programs=data["programs"],
                income=data["income"],
                months=data["months"],
                phases=data["phases"],
                ceiling=agreement.budget_ceiling if agreement else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.GET.get("format") == "xlsx" and costing.plan is not None:
                title = f"Rencana anggaran {target_list.name}"
                response = HttpResponse(plan_workbook(costing.plan, title=title), content_type=XLSX)
                response["Content-Disposition"] = 'attachment; filename="rencana-anggaran-sasaran.xlsx"'
                return response
    context = {
        "list": target_list,
        "form": form,
        "costing": costing,
        "plan": costing.plan if costing else None,
        "protect_form": _protect_form(request, None, today) if costing and costing.people else None,
    }
    return render(request, "outreach/select.html", context)


def _protect_form(request: AuthedRequest, data: Any, today: date) -> ProtectForm | None:
    """The guided flow's form, for who may sign agreements (the branch) and enrol."""
    if not (request.user.can(Capability.MANAGE_SPONSORS) and request.user.can(Capability.ENROL_MEMBERS)):
        return None
    sponsors = registry_selectors.enrollable_sponsors(actor=request.user).filter(kind__in=PAYING_GOVERNMENTS)
    start = Period(today.year, today.month).shifted(1)
    initial = {"starts_on": start.first_day, "ends_on": start.shifted(11).day(31)}
    return ProtectForm(data, sponsors=[(s.pk, s.name) for s in sponsors[:200]], initial=initial)


@login_required
@require_POST
def list_protect(request: AuthedRequest, list_id: int) -> HttpResponse:
    """Draft the agreement and upload the enrolment batch of the selection, then hand over to the
    registry's upload page (check, confirm)."""
    target_list = _get(request, list_id)
    today = timezone.localdate()
    form = SelectionForm(request.POST, districts=selectors.districts_of(target_list), agreements=[])
    protect_form = _protect_form(request, request.POST, today)
    if protect_form is None:
        raise PermissionDenied(_("Your role does not allow this."))
    if not (form.is_valid() and protect_form.is_valid()):
        errors = [
            str(message) for f in (form, protect_form) for messages_ in f.errors.values() for message in messages_
        ]
        messages.error(request, " ".join(errors))
        return redirect(f"{reverse('outreach:select', args=[target_list.pk])}?{_selection_query(request)}")
    data, terms = form.cleaned_data, protect_form.cleaned_data
    sponsor = registry_selectors.enrollable_sponsors(actor=request.user).get(pk=int(terms["sponsor"]))
    try:
        protection = protect.protect_selection(
            actor=request.user,
            target_list=target_list,
            chosen=selection.parse_selection(data),
            sponsor=sponsor,
            number=terms["number"],
            starts_on=terms["starts_on"],
            ends_on=terms["ends_on"],
            programs=data["programs"],
            income=data["income"],
            on=today,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(f"{reverse('outreach:select', args=[target_list.pk])}?{_selection_query(request)}")
    messages.success(
        request,
        _(
            "Agreement %(number)s drafted for %(people)s people (ceiling %(cost)s). Check the enrolment file below and "
            "confirm it, then activate the agreement."
        )
        % {
            "number": protection.agreement.number,
            "people": intcomma(protection.people),
            "cost": rupiah(protection.cost),
        },
    )
    return redirect("registry:import_detail", batch_id=protection.batch_id)


def _selection_query(request: AuthedRequest) -> str:
    kept = request.POST.copy()
    for name in ("csrfmiddlewaretoken", "sponsor", "number", "starts_on", "ends_on"):
        kept.pop(name, None)
    return kept.urlencode()


@login_required
def list_officials(request: AuthedRequest, list_id: int) -> HttpResponse:
    """A register of village officials: per village, who is protected and the monthly cost of the rest."""
    target_list = _get(request, list_id)
    if target_list.status != ListStatus.DONE:
        return redirect("outreach:detail", list_id=target_list.pk)
    villages = officials.village_officials(target_list, on=timezone.localdate())
    context = {
        "list": target_list,
        "villages": villages,
        "unprotected_villages": sum(1 for village in villages if village.unprotected),
        "monthly_cost": sum(village.monthly_cost for village in villages),
        "legal_basis": officials.LEGAL_BASIS,
    }
    return render(request, "outreach/officials.html", context)


@login_required
def list_officials_letter(request: AuthedRequest, list_id: int, village: str) -> HttpResponse:
    target_list = _get(request, list_id)
    today = timezone.localdate()
    found = next((v for v in officials.village_officials(target_list, on=today) if v.code == village), None)
    if found is None or not found.unprotected:
        raise Http404
    response = HttpResponse(officials.officials_letter(target_list, found, on=today), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-perangkat-{slugify(found.name)}.pdf"'
    return response
