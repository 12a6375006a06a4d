"""Writes to users and API tokens. Every one checks permission and records an audit entry."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import ApiToken, RegionAssignment, User
from lindung.accounts.roles import MANAGEABLE_ROLES, VILLAGE_ONLY_ROLES, Capability, Role
from lindung.core.audit import audit_record, snapshot
from lindung.core.models import AuditAction
from lindung.core.scoping import covers
from lindung.regions import codes
from lindung.regions.models import Region

AUDITED_FIELDS = ("username", "full_name", "role", "is_active", "region_codes")
TOKEN_PREFIX = "lnd_"  # noqa: S105 (a label in front of every token, not a secret)


def _user_snapshot(user: User) -> dict[str, object]:
    user.__dict__.pop("region_codes", None)  # re-read the assignments, they may just have changed
    return snapshot(user, AUDITED_FIELDS)


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
) -> tuple[User, str]:
    """Create an account with its regions. Returns the user and the password (generated when not given)."""
    role = _clean_role(role)
    wanted = _clean_regions(role, region_codes)
    _check_may_manage(actor, role=role, region_codes=wanted)
    username = _clean_username(username)
    user = User(username=username, role=role, full_name=full_name.strip())
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
) -> User:
    """Change an account's role, regions, name or active flag. The actor must manage it before and after."""
    new_role = _clean_role(role) if role is not None else user.role
    wanted = _clean_regions(new_role, region_codes if region_codes is not None else user.region_codes)
    _check_may_manage(actor, role=user.role, region_codes=user.region_codes)
    _check_may_manage(actor, role=new_role, region_codes=wanted)
    if actor is not None and actor.pk == user.pk:
        raise PermissionDenied(_("You cannot change your own account here."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _user_snapshot(locked)
        locked.role = new_role
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
