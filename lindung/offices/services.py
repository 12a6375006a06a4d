"""Writes to offices and their service areas: the administrator's, each checked and audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record, snapshot
from lindung.core.models import AuditAction
from lindung.offices.models import AREA_LEVEL, PARENT_KIND, Office, OfficeKind, ServiceArea
from lindung.regions import codes
from lindung.regions.models import Region

# What an administrator may change on an office (its code and kind are its identity).
EDITABLE_FIELDS = (
    "name",
    "address",
    "phone",
    "email",
    "head_name",
    "head_title",
    "bank_name",
    "bank_account",
    "bank_account_name",
    "active",
)
AUDITED_FIELDS = ("code", "kind", "parent", *EDITABLE_FIELDS)


def _clean_parent(kind: str, parent: Office | None) -> None:
    wanted = PARENT_KIND.get(OfficeKind(kind))
    if wanted is None and parent is not None:
        raise ValidationError({"parent": _("A regional office (Kanwil) has no parent office.")})
    if wanted is not None and (parent is None or parent.kind != wanted):
        raise ValidationError(
            {
                "parent": _("A %(kind)s belongs to a %(parent)s.")
                % {"kind": OfficeKind(kind).label, "parent": wanted.label}
            }
        )


def office_save(
    *, actor: User | None, code: str, kind: str, parent: Office | None = None, **values: Any
) -> tuple[Office, bool]:
    """Create the office with this code, or change the one there is. Returns it and whether it changed."""
    require(actor, Capability.MANAGE_OFFICES)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not an office field: {sorted(unknown)}")
    if kind not in OfficeKind.values:
        raise ValidationError({"kind": _("Unknown kind of office: %(kind)s.") % {"kind": kind}})
    _clean_parent(kind, parent)
    if not str(values.get("name", "x")).strip():
        raise ValidationError({"name": _("An office needs a name.")})
    with transaction.atomic():
        office = Office.objects.select_for_update().filter(code=code).first()
        if office is not None and office.kind != kind:
            raise ValidationError(
                {
                    "kind": _("Office %(code)s is a %(kind)s; its kind cannot change.")
                    % {"code": code, "kind": office.get_kind_display()}
                }
            )
        before = snapshot(office, AUDITED_FIELDS) if office else None
        office = office or Office(code=code, kind=kind)
        office.parent = parent
        for name, value in values.items():
            setattr(office, name, value.strip() if isinstance(value, str) else value)
        office.full_clean(exclude=["parent"], validate_unique=False)
        after = snapshot(office, AUDITED_FIELDS)
        if after == before:
            return office, False
        office.updated_at = timezone.now()
        office.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            target=office,
            before=before,
            after=after,
        )
    return office, True


@dataclass
class AreaChange:
    region: str
    office: str
    valid_from: date
    closed: list[str] = field(default_factory=list)


def area_assign(*, actor: User | None, office: Office, region_code: str, valid_from: date) -> AreaChange | None:
    """`office` serves `region_code` from `valid_from` on: the office serving it then stops the day
    before, a later move already planned still happens. None when it already does (nothing changes).

    Only the region's own rows are locked and touched: a move costs the same in any registry."""
    require(actor, Capability.MANAGE_OFFICES)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationError({"region": _("Unknown region: %(codes)s.") % {"codes": region_code}})
    level = AREA_LEVEL[OfficeKind(office.kind)]
    if region.level != level:
        raise ValidationError(
            {
                "region": _("A %(kind)s serves %(level)s; %(name)s is not one.")
                % {
                    "kind": office.get_kind_display(),
                    "level": _("provinces") if level == codes.PROVINCE else _("regencies and cities"),
                    "name": region.name,
                }
            }
        )
    if not office.active:
        raise ValidationError({"office": _("Office %(name)s is closed.") % {"name": office.name}})
    with transaction.atomic():
        rows = list(ServiceArea.objects.select_for_update().filter(region=region).order_by("valid_from"))
        current = next(
            (r for r in rows if r.valid_from <= valid_from and (r.valid_to is None or r.valid_to > valid_from)), None
        )
        if current is not None and current.office_id == office.pk:
            return None
        later = next((r for r in rows if r.valid_from > valid_from), None)
        change = AreaChange(region.code, office.code, valid_from)
        if current is not None and current.valid_from == valid_from:
            # The same day corrected: the row was wrong from its first day, so it is replaced.
            change.closed.append(str(current))
            before = {"office": current.office_id, "valid_from": current.valid_from.isoformat()}
            current.office = office
            current.save(update_fields=["office"])
            audit_record(
                actor=actor, action=AuditAction.UPDATE, target=current, before=before, after=_area_json(current)
            )
            return change
        if current is not None:
            change.closed.append(str(current))
            before = _area_json(current)
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
            audit_record(
                actor=actor, action=AuditAction.UPDATE, target=current, before=before, after=_area_json(current)
            )
        new = ServiceArea.objects.create(
            office=office, region=region, valid_from=valid_from, valid_to=later.valid_from if later else None
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=new, after=_area_json(new))
    return change


def _area_json(area: ServiceArea) -> dict[str, Any]:
    return {
        "office": area.office_id,
        "region": area.region_id,
        "valid_from": area.valid_from.isoformat(),
        "valid_to": area.valid_to.isoformat() if area.valid_to else None,
    }
