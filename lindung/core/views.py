from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string

from lindung.accounts.http import AuthedRequest
from lindung.core.forms import AuditFilterForm
from lindung.core.htmx import render_page_or_partial
from lindung.core.models import AuditAction
from lindung.core.paging import BoundedPaginator
from lindung.core.selectors import audit_entries
from lindung.regions.models import Region
from lindung.regions.selectors import attach_paths


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The user's worklist: what needs them now. The worklist reads every app, so it is found
    through a setting (core sits below the apps and imports none of them)."""
    regions = attach_paths(list(Region.objects.filter(code__in=request.user.region_codes)))
    worklist = import_string(settings.LINDUNG_WORKLIST)
    items = worklist(request.user, timezone.localdate())
    return render(request, "core/home.html", {"my_regions": regions, "items": items})


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(actor=request.user, **filters)
    page = BoundedPaginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "core/audit_log.html",
        "results",
        {"form": form, "page": page, "actions": AuditAction.choices, "query": query.urlencode()},
    )
