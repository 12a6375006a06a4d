"""An upload's life as the user drives it: upload (queues the check), confirm (queues the write), cancel.

The work itself is in `imports` and runs in `jobs`; this module is the one that queues jobs, so the
dependencies go one way: batches -> jobs -> imports.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record
from lindung.core.models import AuditAction
from lindung.registry.imports import EXTENSIONS, check_upload, report_path
from lindung.registry.jobs import check_import, write_import
from lindung.registry.models import Agreement, ImportBatch, ImportStatus, Sponsor


def import_upload(
    *, actor: User | None, sponsor: Sponsor, agreement: Agreement | None, name: str, content: IO[bytes]
) -> ImportBatch:
    """Store an uploaded file and queue its check. Refuses a file that cannot be read or lacks columns."""
    require(actor, Capability.ENROL_MEMBERS, [sponsor.region_id])
    purge_stale_uploads()
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if agreement is not None and agreement.sponsor_id != sponsor.pk:
        raise ValidationError({"agreement": _("This agreement belongs to another sponsor.")})
    stored = Path(settings.IMPORT_DIR) / f"{uuid.uuid4().hex}{suffix}"
    stored.parent.mkdir(parents=True, exist_ok=True)
    size = _copy(content, stored)
    try:
        if size > settings.IMPORT_MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 50 MB; split it.")})
        total = check_upload(stored)
    except ValidationError:
        stored.unlink()
        raise
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            sponsor=sponsor,
            agreement=agreement,
            file_name=Path(name).name[:200],
            stored_path=str(stored),
            total_rows=total,
            created_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=batch,
            after={"sponsor": sponsor.pk, "agreement": agreement.pk if agreement else None, "rows": total},
        )
        transaction.on_commit(lambda: check_import.enqueue(batch.pk))
    return batch


def _copy(content: IO[bytes], target: Path) -> int:
    size = 0
    with target.open("wb") as out:
        while block := content.read(1 << 20):
            size += len(block)
            out.write(block)
    return size


def import_confirm(*, actor: User | None, batch: ImportBatch) -> ImportBatch:
    """The user accepts the check: queue the write. Only a checked batch can be confirmed, once."""
    require(actor, Capability.ENROL_MEMBERS, [batch.sponsor.region_id])
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.IMPORTING,
            processed_rows=0,
            confirmed_by=actor if actor is not None and actor.pk else None,
        )
        if not claimed:
            raise ValidationError({"status": _("Only a checked upload that is not yet imported can be confirmed.")})
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=batch,
            before={"status": ImportStatus.CHECKED},
            after={"status": ImportStatus.IMPORTING},
        )
        transaction.on_commit(lambda: write_import.enqueue(batch.pk))
    batch.refresh_from_db()
    return batch


def import_cancel(*, actor: User | None, batch: ImportBatch) -> ImportBatch:
    """Stop an upload in any state that is not final (waiting, checking, checked, importing).

    Nothing of it is written: a check stops at its next progress step, and a write under way is rolled
    back because it becomes "imported" only in its own transaction, if the batch was not cancelled."""
    require(actor, Capability.ENROL_MEMBERS, [batch.sponsor.region_id])
    with transaction.atomic():
        stopped = ImportBatch.objects.filter(pk=batch.pk, status__in=ImportStatus.open()).update(
            status=ImportStatus.CANCELLED, finished_at=timezone.now()
        )
        if not stopped:
            raise ValidationError({"status": _("This upload has already ended; it cannot be cancelled.")})
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=batch,
            before={"status": batch.status},
            after={"status": ImportStatus.CANCELLED},
        )
    batch.refresh_from_db()
    return batch


def purge_stale_uploads(*, now: datetime | None = None) -> int:
    """Delete the stored files of uploads that failed, were cancelled or were abandoned (checked
    and never confirmed) more than IMPORT_FILE_DAYS days ago; abandoned ones become cancelled.
    Runs on every upload, so no scheduler is needed; returns how many batches lost their files."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.IMPORT_FILE_DAYS)
    with transaction.atomic():
        ImportBatch.objects.filter(status=ImportStatus.CHECKED, created_at__lt=before).update(
            status=ImportStatus.CANCELLED,
            failure=_("Abandoned: not confirmed within %(days)s days.") % {"days": settings.IMPORT_FILE_DAYS},
            finished_at=now,
        )
        stale = ImportBatch.objects.filter(
            status__in=(ImportStatus.FAILED, ImportStatus.CANCELLED), finished_at__lt=before
        ).exclude(stored_path="")
        stale |= ImportBatch.objects.filter(
            status=ImportStatus.CANCELLED, finished_at=now, created_at__lt=before
        ).exclude(stored_path="")
        batches = list(stale.select_for_update())
        for batch in batches:
            for path in (Path(batch.stored_path), report_path(batch)):
                path.unlink(missing_ok=True)
        ImportBatch.objects.filter(pk__in=[batch.pk for batch in batches]).update(stored_path="")
    return len(batches)
