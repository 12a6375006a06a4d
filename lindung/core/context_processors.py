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
    # Pages used now and then sit under "More", so the header stays one row on a laptop.
    more: bool = False


NAVIGATION = (
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Regions"), "regions:browser", Capability.VIEW_REGIONS),
    NavItem(_("Persons"), "registry:person_list", Capability.VIEW_PERSONS),
    NavItem(_("Sponsors"), "registry:sponsor_list", Capability.VIEW_SPONSORS),
    NavItem(_("Agreements"), "registry:agreement_list", Capability.VIEW_SPONSORS),
    NavItem(_("Upload"), "registry:import_upload", Capability.ENROL_MEMBERS),
    NavItem(_("Payments"), "contributions:unmatched", Capability.RECORD_PAYMENTS),
    NavItem(_("Budget plan"), "contributions:planner", Capability.VIEW_CONTRIBUTIONS, more=True),
    NavItem(_("Target lists"), "outreach:index", Capability.MANAGE_TARGET_LISTS, more=True),
    NavItem(_("Claims"), "claims:queue", Capability.VIEW_CLAIMS),
    NavItem(_("Monitoring"), "monitoring:home", Capability.VIEW_MONITORING),
    NavItem(_("Inbox"), "monitoring:inbox", None, more=True),
    NavItem(_("Overdue invoices"), "contributions:overdue", Capability.VIEW_CONTRIBUTIONS, more=True),
    NavItem(_("Offices"), "offices:list", Capability.VIEW_REGIONS, more=True),
    NavItem(_("Users"), "accounts:user_list", Capability.VIEW_USERS, more=True),
    NavItem(_("Audit log"), "core:audit_log", Capability.VIEW_AUDIT, more=True),
    NavItem(_("Simulation"), "calculator:simulation", None, public=True, more=True),
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
        items.append({"label": item.label, "url": url, "active": active, "more": item.more and signed_in})
    return {
        "nav_items": [item for item in items if not item["more"]],
        "nav_more": [item for item in items if item["more"]],
    }
