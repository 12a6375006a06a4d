from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.htmx import render_page_or_partial
from lindung.regions import selectors


def _require_regions(request: AuthedRequest) -> None:
    require(request.user, Capability.VIEW_REGIONS)


@login_required
def region_browser(request: AuthedRequest) -> HttpResponse:
    _require_regions(request)
    children = selectors.region_children(actor=request.user, parent_code=None)
    return render(request, "regions/detail.html", {"region": None, "ancestors": [], "children": children})


@login_required
def region_detail(request: AuthedRequest, code: str) -> HttpResponse:
    _require_regions(request)
    region = selectors.region_get(actor=request.user, code=code)
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(region),
        "children": selectors.region_children(actor=request.user, parent_code=region.code),
    }
    return render(request, "regions/detail.html", context)


@login_required
def region_options(request: AuthedRequest) -> HttpResponse:
    """Suggestions for a region picker (regions.forms): the regions in scope whose name matches what
    is typed in the field named by `field`, of one level when `tingkat` is given."""
    _require_regions(request)
    typed = request.GET.get(request.GET.get("field", "q"), "").strip()[:100]
    typed = typed.split("(")[0].strip()  # a choice already made: search its name again
    level = request.GET.get("tingkat", "")
    results = selectors.region_search(
        actor=request.user, query=typed, limit=20, level=int(level) if level.isdigit() else None
    )
    return render(request, "regions/_options.html", {"results": results})


@login_required
def region_search(request: AuthedRequest) -> HttpResponse:
    _require_regions(request)
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.region_search(actor=request.user, query=query, limit=50)
    context = {"query": query, "results": results, "too_short": 0 < len(query) < selectors.SEARCH_MIN_LENGTH}
    return render_page_or_partial(request, "regions/search.html", "results", context)
