"""The documents each claim type needs (rules.md section 3), and their uploads: checked for type by
content (not only the name) and size, stored outside the database, opened only through the claim.

Benefits are paid once the file is complete (Permenaker 5/2021): each required document is received,
then accepted or rejected with a reason by a decider, or waived by one with a written reason. A
claim is verified only when every required document is accepted or waived.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims.models import Claim, ClaimDocument, ClaimStatus, ClaimType, DocumentStatus, DocumentWaiver
from lindung.core.audit import audit_record
from lindung.core.models import AuditAction

# What the agency asks for, per claim type (rules.md section 3).
CHECKLIST: dict[str, list[tuple[str, object]]] = {
    ClaimType.JKK: [
        ("kartu", gettext_lazy("Membership card")),
        ("ktp", gettext_lazy("Member's KTP")),
        ("laporan_tahap_1", gettext_lazy("Stage I accident report")),
        ("surat_dokter", gettext_lazy("Doctor's statement")),
        ("kuitansi", gettext_lazy("Treatment and transport receipts")),
    ],
    ClaimType.JKM: [
        ("kartu", gettext_lazy("Membership card")),
        ("ktp", gettext_lazy("KTP of the member and the heir")),
        ("akta_kematian", gettext_lazy("Death certificate")),
        ("kk", gettext_lazy("Family card (KK)")),
        ("surat_ahli_waris", gettext_lazy("Heir statement")),
        ("surat_keterangan_kerja", gettext_lazy("Work reference letter")),
        ("buku_tabungan", gettext_lazy("Heir's bank book")),
    ],
    ClaimType.SCHOLARSHIP: [
        ("formulir", gettext_lazy("Claim form")),
        ("akta_kelahiran", gettext_lazy("Birth certificate")),
        ("kk", gettext_lazy("Family card (KK)")),
        ("bukti_sekolah", gettext_lazy("Proof of enrolment")),
        ("rapor", gettext_lazy("Latest report card or transcript")),
        ("buku_tabungan", gettext_lazy("Bank book")),
        ("ktp_wali", gettext_lazy("Guardian's KTP")),
    ],
    ClaimType.JHT: [
        ("kartu", gettext_lazy("Membership card")),
        ("ktp", gettext_lazy("KTP")),
        ("kk", gettext_lazy("Family card (KK)")),
        ("surat_berhenti", gettext_lazy("Work-ending or dismissal letter")),
        ("buku_tabungan", gettext_lazy("Bank book")),
    ],
}
# File types by their first bytes: a renamed file is still refused.
SIGNATURES = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


# Asked only when the spouse is an heir (rules.md section 3).
MARRIAGE_BOOK = ("buku_nikah", gettext_lazy("Marriage book (the heir is the spouse)"))
OPEN = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED)


def required(claim: Claim) -> list[tuple[str, object]]:
    """The documents this claim needs, in the agency's order."""
    kinds = list(CHECKLIST[claim.claim_type])
    if claim.is_death and any(heir.relation == "spouse" for heir in claim.heirs.all()):
        kinds.append(MARRIAGE_BOOK)
    return kinds


def checklist(claim: Claim) -> list[dict[str, object]]:
    """Each required document with where it stands: accepted, waived, received (to check), rejected, missing.

    `complete` is True when it no longer stands in the way of verification (accepted or waived)."""
    documents = list(claim.documents.all())  # prefetched in lists
    waivers = {waiver.kind: waiver for waiver in claim.waivers.all()}
    items = []
    for kind, label in required(claim):
        uploads = [document for document in documents if document.kind == kind]
        state = _state(uploads, kind in waivers)
        items.append(
            {
                "kind": kind,
                "label": label,
                "state": state,
                "uploaded": bool(uploads),
                "complete": state in ("sesuai", "dikecualikan"),
                "waiver": waivers.get(kind),
            }
        )
    return items


def _state(uploads: list[ClaimDocument], waived: bool) -> str:
    statuses = {document.status for document in uploads}
    if DocumentStatus.ACCEPTED in statuses:
        return "sesuai"
    if waived:
        return "dikecualikan"
    if DocumentStatus.RECEIVED in statuses:
        return "diterima"
    if statuses:
        return "ditolak"
    return "belum_ada"


def missing_for_verification(claim: Claim) -> list[str]:
    """The labels of the required documents neither accepted nor waived."""
    return [str(item["label"]) for item in checklist(claim) if not item["complete"]]


def document_upload(*, actor: User | None, claim: Claim, kind: str, name: str, content: IO[bytes]) -> ClaimDocument:
    require(actor, Capability.SUBMIT_CLAIMS, [claim.region_id])
    if kind not in dict(required(claim)):
        raise ValidationError({"kind": _("This document is not asked for this type of claim.")})
    if claim.status not in OPEN:
        raise ValidationError(
            _("Documents are added before approval; this claim is %(status)s.") % {"status": claim.get_status_display()}
        )
    data = content.read(settings.CLAIM_DOCUMENT_MAX_BYTES + 1)
    if len(data) > settings.CLAIM_DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    content_type = next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise ValidationError({"file": _("Upload a PDF, JPG or PNG file.")})
    digest = hashlib.sha256(data).hexdigest()
    earlier = ClaimDocument.objects.filter(claim=claim, sha256=digest).first()
    if earlier is not None:
        raise ValidationError(
            {
                "file": _("This file was already uploaded to this claim as %(name)s (%(kind)s).")
                % {"name": earlier.file_name, "kind": label_of(claim, earlier.kind)}
            }
        )
    stored = Path(settings.CLAIM_DOCUMENT_DIR) / str(claim.pk) / uuid.uuid4().hex
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(data)
    with transaction.atomic():
        document = ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            file_name=Path(name).name[:200],
            stored_path=str(stored),
            content_type=content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=document, after={"kind": kind, "size": len(data)})
    return document


def label_of(claim: Claim, kind: str) -> str:
    """The words for a document kind (`akta_kematian` is "Akta kematian")."""
    return str(dict(required(claim)).get(kind, kind))


def document_review(*, actor: User | None, document: ClaimDocument, accept: bool, reason: str = "") -> ClaimDocument:
    """A decider accepts a received document, or rejects it with the reason the claimant is told."""
    claim = document.claim
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if claim.status not in OPEN:
        raise ValidationError(_("Documents are checked before approval."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the document is rejected.")})
    with transaction.atomic():
        before = {"status": document.status, "review_reason": document.review_reason}
        document.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
        document.review_reason = "" if accept else reason.strip()[:300]
        document.reviewed_by = actor if actor is not None and actor.pk else None
        document.reviewed_at = timezone.now()
        document.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=document,
            before=before,
            after={"status": document.status, "review_reason": document.review_reason, "kind": document.kind},
        )
    return document


def document_waive(*, actor: User | None, claim: Claim, kind: str, reason: str) -> DocumentWaiver:
    """A decider does without one required document for this claim; the written reason is shown and audited."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if kind not in dict(required(claim)):
        raise ValidationError({"kind": _("This document is not asked for this type of claim.")})
    if claim.status not in OPEN:
        raise ValidationError(_("Documents are waived before approval."))
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Write why this document is not needed (at least 10 characters).")})
    with transaction.atomic():
        waiver, created = DocumentWaiver.objects.update_or_create(
            claim=claim,
            kind=kind,
            defaults={"reason": reason.strip()[:500], "waived_by": actor if actor is not None and actor.pk else None},
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            target=claim,
            after={"waived_document": kind, "reason": waiver.reason},
        )
    return waiver
