"""The one permission check every service and selector makes before it reads or writes anything.

Order matters: the check runs before validation, so that a role that may not act learns nothing
from the answer (not even that an NPWP is already registered).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.roles import Capability
from lindung.core.scoping import covers


def require(actor: User | None, capability: Capability, region_codes: Sequence[str] = ()) -> None:
    """The actor has the capability and every region is inside theirs; None is the system."""
    if actor is None:
        return
    if not actor.can(capability):
        raise PermissionDenied(_("Your role does not allow this."))
    if not covers(actor, region_codes):
        raise PermissionDenied(_("This lies outside your regions."))
