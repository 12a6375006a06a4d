"""The documents each claim type needs (rules.md section 3), and their uploads: checked for type by
content (not only the name) and size, stored outside the database, opened only through the claim."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims.models import Claim, ClaimDocument, ClaimStatus, ClaimType
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


def checklist(claim: Claim) -> list[dict[str, object]]:
    """Each required document with whether it has been uploaded."""
    have = {document.kind for document in claim.documents.all()}  # prefetched in lists
    return [{"kind": kind, "label": label, "uploaded": kind in have} for kind, label in CHECKLIST[claim.claim_type]]


def document_upload(*, actor: User | None, claim: Claim, kind: str, name: str, content: IO[bytes]) -> ClaimDocument:
    require(actor, Capability.SUBMIT_CLAIMS, [claim.region_id])
    if kind not in dict(CHECKLIST[claim.claim_type]):
        raise ValidationError({"kind": _("This document is not asked for this type of claim.")})
    if claim.status in (ClaimStatus.PAID, ClaimStatus.REJECTED):
        raise ValidationError(_("The claim is closed."))
    data = content.read(settings.CLAIM_DOCUMENT_MAX_BYTES + 1)
    if len(data) > settings.CLAIM_DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    content_type = next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise ValidationError({"file": _("Upload a PDF, JPG or PNG file.")})
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
            uploaded_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=document, after={"kind": kind, "size": len(data)})
    return document
