"""Office pages: the directory (Kanwil > branches > KCP), one office with its service area and its
history, and the administrator's changes: details, a region moved on a date (confirmed first), the
office file imported or downloaded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.forms_util import add_service_errors
from lindung.core.lists import XLSX
from lindung.core.tables import saved_upload
from lindung.offices import imports, selectors, services
from lindung.offices.forms import AreaForm, OfficeFileForm, OfficeForm
from lindung.regions.models import Region


@login_required
def office_list(request: AuthedRequest) -> HttpResponse:
    """The agency's offices, each linked to its page and, where the user may, its monitoring."""
    require(request.user, Capability.VIEW_REGIONS)
    today = timezone.localdate()
    overseen = {office.pk for office in selectors.offices_overseen(request.user, today)}
    context = {
        "tree": selectors.office_tree(),
        "overseen": overseen,
        "can_manage": request.user.can(Capability.MANAGE_OFFICES),
        "mine": request.user.office,
    }
    return render(request, "offices/list.html", context)


@login_required
def office_detail(request: AuthedRequest, code: str) -> HttpResponse:
    require(request.user, Capability.VIEW_REGIONS)
    office = selectors.office_get(code)
    today = timezone.localdate()
    history = list(selectors.area_history(office))
    context = {
        "office": office,
        "current": [a for a in history if a.valid_from <= today and (a.valid_to is None or a.valid_to > today)],
        "history": history,
        "children": office.children.order_by("name"),
        "may_monitor": request.user.can(Capability.VIEW_MONITORING)
        and selectors.may_oversee(request.user, office, today),
        "can_manage": request.user.can(Capability.MANAGE_OFFICES),
        "area_form": AreaForm(),
        # Who works there: for who manages accounts (names of staff are not for every reader).
        "staff": office.users.order_by("username")
        if request.user.can(Capability.MANAGE_USERS) and request.user.sees_all_regions
        else None,
    }
    return render(request, "offices/detail.html", context)


@login_required
def office_edit(request: AuthedRequest, code: str) -> HttpResponse:
    require(request.user, Capability.MANAGE_OFFICES)
    office = selectors.office_get(code)
    initial = {name: getattr(office, name) for name in services.EDITABLE_FIELDS}
    form = OfficeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _office, changed = services.office_save(
                actor=request.user, code=office.code, kind=office.kind, parent=office.parent, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Office saved.") if changed else _("Nothing changed."))
            return redirect("offices:detail", code=office.code)
    return render(request, "offices/edit.html", {"office": office, "form": form})


@login_required
def area_assign(request: AuthedRequest, code: str) -> HttpResponse:
    """A region served by this office from a day: shown first with what changes, saved once confirmed."""
    require(request.user, Capability.MANAGE_OFFICES)
    office = selectors.office_get(code)
    form = AreaForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "offices/area.html", {"office": office, "form": form})
    region_code, valid_from = form.cleaned_data["region"].strip(), form.cleaned_data["valid_from"]
    if request.POST.get("confirm") != "1":
        region = Region.objects.filter(code=region_code).first()
        context = {
            "office": office,
            "form": form,
            "region": region,
            "valid_from": valid_from,
            "before": selectors.serving_office(region_code, valid_from) if region else None,
            "history": selectors.region_history(region_code) if region else [],
            "confirming": region is not None,
        }
        if region is None:
            form.add_error("region", _("Unknown region: %(codes)s.") % {"codes": region_code})
        return render(request, "offices/area.html", context)
    try:
        change = services.area_assign(actor=request.user, office=office, region_code=region_code, valid_from=valid_from)
    except (ValidationError, PermissionDenied) as error:
        add_service_errors(form, error)
        return render(request, "offices/area.html", {"office": office, "form": form})
    if change is None:
        messages.info(request, _("%(office)s already serves that region on that day.") % {"office": office.name})
    else:
        messages.success(
            request,
            _("%(office)s serves %(region)s from %(day)s.")
            % {"office": office.name, "region": region_code, "day": valid_from.strftime("%d-%m-%Y")},
        )
    return redirect("offices:detail", code=office.code)


@login_required
def office_import(request: AuthedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_OFFICES)
    form = OfficeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with saved_upload(form.cleaned_data["file"], stem="kantor") as path:
                outcome = imports.offices_import(actor=request.user, path=path)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Office file loaded: %(created)s offices added, %(changed)s changed, "
                    "%(areas)s service areas changed."
                )
                % {
                    "created": outcome.offices_created,
                    "changed": outcome.offices_changed,
                    "areas": outcome.areas_changed,
                },
            )
            return redirect("offices:list")
    return render(request, "offices/import.html", {"form": form})


@login_required
def office_export(request: AuthedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_REGIONS)
    response = HttpResponse(imports.offices_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="kantor.xlsx"'
    return response
