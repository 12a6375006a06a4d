"""Helpers for pages that answer HTMX requests with a fragment of themselves."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page_or_partial(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page for a normal request; only `template#partial` when HTMX asks for it.

    A boosted request (a form or link with hx-boost) swaps the whole body, so it gets the page."""
    htmx = getattr(request, "htmx", None)
    wants_fragment = bool(htmx) and not getattr(htmx, "boosted", False)
    return render(request, f"{template}#{partial}" if wants_fragment else template, context)
