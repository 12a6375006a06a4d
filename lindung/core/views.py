from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.http import AuthedRequest
from lindung.core import health, lists
from lindung.core.forms import AuditFilterForm
from lindung.core.htmx import render_page_or_partial
from lindung.core.models import AuditAction, AuditEntry
from lindung.core.paging import BoundedPaginator
from lindung.core.selectors import audit_entries
from lindung.core.templatetags.lindung import audit_value
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


def _changes(entry: AuditEntry) -> str:
    before, after = entry.before or {}, entry.after or {}
    return "; ".join(
        f"{name}: {audit_value(before.get(name))} -> {audit_value(after.get(name))}" for name in entry.changed_fields
    )


# The log as a file: newest first, the filters of the page; the changes written as text.
AUDIT_COLUMNS = (
    lists.Column("time", gettext_lazy("Time"), lambda e: timezone.localtime(e.created_at).replace(tzinfo=None)),
    lists.Column("actor", gettext_lazy("Actor"), lambda e: e.actor_username or "system"),
    lists.Column("action", gettext_lazy("Action"), lambda e: str(e.get_action_display())),
    lists.Column("object", gettext_lazy("Object"), lambda e: f"{e.object_type_label} #{e.object_id} {e.object_repr}"),
    lists.Column("changes", gettext_lazy("Changes"), _changes),
)


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(actor=request.user, **filters)
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Audit log"), AUDIT_COLUMNS, entries)
    page = BoundedPaginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "core/audit_log.html",
        "results",
        {"form": form, "page": page, "actions": AuditAction.choices, "query": query.urlencode()},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """Open to anyone (a load balancer has no account); says only which checks fail (core.health)."""
    healthy, body = health.report()
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response
