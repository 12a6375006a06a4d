"""An upload's life as the user drives it: upload (queues the check), confirm (queues the write), cancel.

The work itself is in `imports` and runs in `jobs`; this module is the one that queues jobs, so the
dependencies go one way: batches -> jobs -> imports.
"""

from __future__ import annotations

import uuid
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
from lindung.registry.imports import EXTENSIONS, open_table
from lindung.registry.jobs import check_import, write_import
from lindung.registry.models import Agreement, ImportBatch, ImportStatus, Sponsor


def import_upload(
    *, actor: User | None, sponsor: Sponsor, agreement: Agreement | None, name: str, content: IO[bytes]
) -> ImportBatch:
    """Store an uploaded file and queue its check. Refuses a file that cannot be read or lacks columns."""
    require(actor, Capability.ENROL_MEMBERS, [sponsor.region_id])
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
        table = open_table(stored)
    except ValidationError:
        stored.unlink()
        raise
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            sponsor=sponsor,
            agreement=agreement,
            file_name=Path(name).name[:200],
            stored_path=str(stored),
            total_rows=table.total,
            created_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=batch,
            after={"sponsor": sponsor.pk, "agreement": agreement.pk if agreement else None, "rows": table.total},
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
