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
    public: bool = False


NAVIGATION = (
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Regions"), "regions:browser", Capability.VIEW_REGIONS),
    NavItem(_("Persons"), "registry:person_list", Capability.VIEW_PERSONS),
    NavItem(_("Sponsors"), "registry:sponsor_list", Capability.VIEW_SPONSORS),
    NavItem(_("Agreements"), "registry:agreement_list", Capability.VIEW_SPONSORS),
    NavItem(_("Upload"), "registry:import_upload", Capability.ENROL_MEMBERS),
    NavItem(_("Payments"), "contributions:unmatched", Capability.RECORD_PAYMENTS),
    NavItem(_("Budget plan"), "contributions:planner", Capability.VIEW_CONTRIBUTIONS),
    NavItem(_("Claims"), "claims:queue", Capability.VIEW_CLAIMS),
    NavItem(_("Monitoring"), "monitoring:home", Capability.VIEW_MONITORING),
    NavItem(_("Users"), "accounts:user_list", Capability.VIEW_USERS),
    NavItem(_("Audit log"), "core:audit_log", Capability.VIEW_AUDIT),
    NavItem(_("Simulation"), "calculator:simulation", None, public=True),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    path = request.path
    items = []
    for item in NAVIGATION:
        if not signed_in and not item.public:
            continue
        if user is not None and signed_in and item.capability is not None and not user.can(item.capability):
            continue
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return {"nav_items": items}
