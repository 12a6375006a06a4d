"""What every page needs: the navigation the user's role may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lindung.accounts.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: Capability | None


NAVIGATION = (
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Regions"), "regions:browser", Capability.VIEW_REGIONS),
    NavItem(_("Users"), "accounts:user_list", Capability.VIEW_USERS),
    NavItem(_("Audit log"), "core:audit_log", Capability.VIEW_AUDIT),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for item in NAVIGATION:
        if item.capability is not None and not user.can(item.capability):
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return {"nav_items": items}
