"""Writes to users and API tokens. Every one checks permission and records an audit entry."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Final

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import ApiToken, RegionAssignment, User, office_objects
from lindung.accounts.roles import MANAGEABLE_ROLES, VILLAGE_ONLY_ROLES, Capability, Role
from lindung.core.audit import audit_record, snapshot
from lindung.core.models import AuditAction
from lindung.core.scoping import covers
from lindung.regions import codes
from lindung.regions.models import Region

if TYPE_CHECKING:
    from lindung.offices.models import Office


class Unchanged(Enum):
    """An argument left out: keep what the account has (None would mean "no office")."""

    TOKEN = 0


UNCHANGED: Final = Unchanged.TOKEN

AUDITED_FIELDS = ("username", "full_name", "role", "is_active", "office_code", "region_codes")
TOKEN_PREFIX = "lnd_"  # noqa: S105 (a label in front of every token, not a secret)


def _user_snapshot(user: User) -> dict[str, object]:
    user.__dict__.pop("region_codes", None)  # re-read the assignments, they may just have changed
    user.__dict__.pop("read_only", None)
    return snapshot(user, AUDITED_FIELDS)


# Roles that may belong to an agency office (and then serve its area): the branch's officers, a
# monitor at a Kanwil or branch, an administrator (whose documents then name the office).
OFFICE_ROLES = frozenset({Role.PETUGAS_CABANG, Role.PEMANTAU, Role.ADMIN})


def office_by_code(code: str) -> Office | None:
    """The office with this code, or a form error naming it ("" is no office).

    Reached through the user's foreign key: offices sit above accounts and are not imported here."""
    code = code.strip()
    if not code:
        return None
    office: Office | None = office_objects().filter(code=code).first()
    if office is None or not office.active:
        raise ValidationError({"office": _("Unknown office: %(code)s.") % {"code": code}})
    return office


def _clean_office(role: str, office: Office | None, region_codes: Sequence[str]) -> list[str]:
    """A branch officer needs an office and takes its area; others given an office take its area too.
    Returns the hand-entered regions to keep (none when the office decides)."""
    if office is None:
        if role == Role.PETUGAS_CABANG:
            raise ValidationError(
                {"office": _("A branch officer belongs to an office: choose it, its service area becomes theirs.")}
            )
        return _clean_regions(role, region_codes)
    if role not in OFFICE_ROLES:
        raise ValidationError({"office": _("Only agency staff belong to an office; a government operator does not.")})
    if any(code.strip() for code in region_codes):
        raise ValidationError({"regions": _("The office's service area gives the regions; leave them empty.")})
    return []


def _check_may_manage(actor: User | None, *, role: str, region_codes: Sequence[str]) -> None:
    """The actor may give `role` in `region_codes`; None is the system (a server command)."""
    if actor is None:
        return
    if not actor.can(Capability.MANAGE_USERS) or role not in MANAGEABLE_ROLES.get(actor.role, frozenset()):
        raise PermissionDenied(_("You may not manage accounts with this role."))
    if not covers(actor, region_codes):
        raise PermissionDenied(_("You may only manage accounts inside your own regions."))


def _clean_regions(role: str, region_codes: Sequence[str]) -> list[str]:
    wanted = sorted({code.strip() for code in region_codes if code.strip()})
    if role == Role.ADMIN:
        if wanted:
            raise ValidationError({"regions": _("An administrator sees every region; give no region.")})
        return []
    if not wanted:
        raise ValidationError({"regions": _("Give at least one region for this role.")})
    malformed = [code for code in wanted if not codes.is_valid_code(code)]
    if malformed:
        raise ValidationError(
            {"regions": _("Not a region code: %(codes)s (example: 14.08).") % {"codes": ", ".join(malformed)}}
        )
    known = set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationError({"regions": _("Unknown region: %(codes)s.") % {"codes": ", ".join(unknown)}})
    if role in VILLAGE_ONLY_ROLES and any(codes.level_of(code) != codes.VILLAGE for code in wanted):
        raise ValidationError({"regions": _("A village operator must be given villages (desa/kelurahan).")})
    return wanted


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s. Choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    return role


def _clean_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("A username is required.")})
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username %(name)s is already taken.") % {"name": username}})
    return username


def _assign_regions(user: User, region_codes: Sequence[str]) -> None:
    RegionAssignment.objects.filter(user=user).exclude(region_id__in=region_codes).delete()
    have = set(RegionAssignment.objects.filter(user=user).values_list("region_id", flat=True))
    RegionAssignment.objects.bulk_create(
        [RegionAssignment(user=user, region_id=code) for code in region_codes if code not in have]
    )


def user_create(
    *,
    actor: User | None,
    username: str,
    role: str,
    region_codes: Sequence[str],
    password: str | None = None,
    full_name: str = "",
    office: Office | None = None,
) -> tuple[User, str]:
    """Create an account with its regions, or with its office (whose area it then serves).
    Returns the user and the password (generated when not given)."""
    role = _clean_role(role)
    wanted = _clean_office(role, office, region_codes)
    _check_may_manage(actor, role=role, region_codes=_area(office) if office else wanted)
    username = _clean_username(username)
    user = User(username=username, role=role, full_name=full_name.strip(), office=office)
    if password is None:
        password = secrets.token_urlsafe(12)
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    with transaction.atomic():
        user.save()
        _assign_regions(user, wanted)
        audit_record(actor=actor, action=AuditAction.CREATE, target=user, after=_user_snapshot(user))
    return user, password


def user_update(
    *,
    actor: User | None,
    user: User,
    role: str | None = None,
    region_codes: Sequence[str] | None = None,
    is_active: bool | None = None,
    full_name: str | None = None,
    office: Office | Unchanged | None = UNCHANGED,
) -> User:
    """Change an account's role, regions or office, name or active flag. The actor must manage it before and after."""
    new_role = _clean_role(role) if role is not None else user.role
    new_office = user.office if isinstance(office, Unchanged) else office
    kept_regions = () if user.office_id is not None else user.region_codes
    wanted = _clean_office(new_role, new_office, region_codes if region_codes is not None else kept_regions)
    _check_may_manage(actor, role=user.role, region_codes=user.region_codes)
    _check_may_manage(actor, role=new_role, region_codes=_area(new_office) if new_office else wanted)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("You cannot change your own account here."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _user_snapshot(locked)
        locked.role = new_role
        locked.office = new_office
        if full_name is not None:
            locked.full_name = full_name.strip()
        if is_active is not None:
            locked.is_active = is_active
        locked.save()
        _assign_regions(locked, wanted)
        after = _user_snapshot(locked)
        if after != before:
            audit_record(actor=actor, action=AuditAction.UPDATE, target=locked, before=before, after=after)
    return locked


def _area(office: Office) -> list[str]:
    return list(office.area_codes(timezone.localdate()))


def api_token_create(*, actor: User | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a bearer token for `user`. The raw token is returned once and never stored."""
    if actor is not None and actor.pk != user.pk:
        _check_may_manage(actor, role=user.role, region_codes=user.region_codes)
    if not user.is_active:
        raise ValidationError({"username": _("The account %(name)s is not active.") % {"name": user.username}})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name.strip(), prefix=raw[:12], digest=ApiToken.digest_of(raw))
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=token,
            after={"user": user.username, "name": token.name, "prefix": token.prefix},
        )
    return token, raw


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working at once."""
    if actor is not None and actor.pk != token.user_id:
        _check_may_manage(actor, role=token.user.role, region_codes=token.user.region_codes)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token


def reminders_by_email_set(*, actor: User, on: bool) -> User:
    """A user switches their own reminder emails on or off (the inbox keeps every reminder)."""
    with transaction.atomic():
        before = {"email_reminders": actor.email_reminders}
        User.objects.filter(pk=actor.pk).update(email_reminders=on)
        actor.email_reminders = on
        audit_record(actor=actor, action=AuditAction.UPDATE, target=actor, before=before, after={"email_reminders": on})
    return actor
