"""Writing target lists: upload, read, match again, delete and purge. Every write is audited; the
uploader must hold the list's region."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record, snapshot
from lindung.core.models import AuditAction
from lindung.core.tables import Limits, spreadsheet_header
from lindung.outreach import processing, reading
from lindung.outreach.jobs import read_target_list, rematch_target_list
from lindung.outreach.models import ListStatus, TargetEntry, TargetList, TargetSource
from lindung.outreach.processing import remove_file
from lindung.regions.models import Region

AUDITED = ("region", "name", "source", "source_date", "file_name", "status", "total_rows", "delete_after")


def target_list_create(
    *,
    actor: User | None,
    path: Path,
    file_name: str,
    region_code: str,
    source: str,
    source_date: date | None,
    name: str = "",
    today: date | None = None,
    queue: bool = True,
) -> tuple[TargetList, bool]:
    """Keep the file at `path` (copied into TARGET_LIST_DIR) as a new list waiting to be read, or
    return the list already uploaded from the same file for this region (created: False).

    `queue`: the worker reads it (pages); False: the caller reads it (the command line)."""
    require(actor, Capability.MANAGE_TARGET_LISTS, [region_code])
    today = today or timezone.localdate()
    region, source_date = _checked(region_code, source, source_date, today)
    header, _count = spreadsheet_header(path, limits=Limits(rows=settings.TARGET_LIST_MAX_ROWS))
    reading.header_fields(header)
    digest = reading.file_hash(path)
    existing = TargetList.objects.filter(region=region, file_hash=digest).exclude(status=ListStatus.FAILED).first()
    if existing is not None:
        return existing, False
    folder = Path(settings.TARGET_LIST_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}{path.suffix.lower()}"
    shutil.copyfile(path, stored)
    with transaction.atomic():
        target_list = TargetList.objects.create(
            region=region,
            name=(name.strip() or Path(file_name).stem)[:200],
            source=source,
            source_date=source_date,
            file_name=Path(file_name).name[:200],
            stored_path=str(stored),
            file_hash=digest,
            created_by=actor,
            delete_after=today + timedelta(days=settings.TARGET_LIST_RETENTION_DAYS),
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=target_list, after=snapshot(target_list, AUDITED))
        if queue:
            transaction.on_commit(lambda: read_target_list.enqueue(target_list.pk))
    return target_list, True


def _checked(region_code: str, source: str, source_date: date | None, today: date) -> tuple[Region, date]:
    errors: dict[str, str] = {}
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region"] = _("Choose the list's region.")
    if source not in TargetSource.values:
        errors["source"] = _("Choose where the list comes from.")
    if source_date is None or source_date > today:
        errors["source_date"] = _("Write the date of the data, not after today.")
    if errors:
        raise ValidationError(errors)
    assert region is not None  # noqa: S101 (checked above)
    assert source_date is not None  # noqa: S101
    return region, source_date


def target_list_rematch(*, actor: User | None, target_list: TargetList, today: date | None = None) -> dict[str, int]:
    """Match the list again against today's registry (people enrolled since are now protected), at
    once: the command line, the API and the daily timer."""
    _may_rematch(actor, target_list)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.UPDATE, target=target_list, after={"matched": "again"})
    counts = processing.target_list_match_again(target_list.pk, today=today)
    target_list.refresh_from_db()
    return counts


def target_list_rematch_queue(*, actor: User | None, target_list: TargetList) -> None:
    """The same in the background (the page): the list shows "being matched" until it is done."""
    _may_rematch(actor, target_list)
    with transaction.atomic():
        claimed = TargetList.objects.filter(pk=target_list.pk, status=ListStatus.DONE).update(
            status=ListStatus.MATCHING
        )
        if not claimed:
            raise ValidationError(_("Only a list that has been read can be matched again."))
        audit_record(actor=actor, action=AuditAction.UPDATE, target=target_list, after={"matched": "again"})
        transaction.on_commit(lambda: rematch_target_list.enqueue(target_list.pk))


def _may_rematch(actor: User | None, target_list: TargetList) -> None:
    require(actor, Capability.MANAGE_TARGET_LISTS, [target_list.region_id])
    if target_list.status != ListStatus.DONE:
        raise ValidationError(_("Only a list that has been read can be matched again."))


def target_list_delete(*, actor: User | None, target_list: TargetList, reason: str = "") -> None:
    """Delete the list and its entries (on request, or at the end of its retention)."""
    require(actor, Capability.MANAGE_TARGET_LISTS, [target_list.region_id])
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            target=target_list,
            before=snapshot(target_list, AUDITED),
            after={"reason": reason} if reason else None,
        )
        TargetList.objects.filter(same_as=target_list).update(same_as=None)
        TargetEntry.objects.filter(target_list=target_list).delete()
        TargetList.objects.filter(pk=target_list.pk).delete()
    remove_file(target_list)


def target_lists_purge(*, today: date | None = None) -> int:
    """Delete every list past its retention date; how many."""
    today = today or timezone.localdate()
    expired = list(TargetList.objects.filter(delete_after__lt=today))
    for target_list in expired:
        target_list_delete(actor=None, target_list=target_list, reason=_("Retention period ended."))
    return len(expired)
