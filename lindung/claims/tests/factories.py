"""Helpers for tests that take a claim through its workflow."""

from __future__ import annotations

from io import BytesIO

from lindung.accounts.models import User
from lindung.claims import documents
from lindung.claims.models import Claim


def complete_file(claim: Claim, *, actor: User | None = None) -> None:
    """Upload a distinct small PDF for every required document and accept it, as a decider would."""
    for kind, _label in documents.required(claim):
        scan = BytesIO(f"%PDF-1.4\n% {claim.number} {kind}\n%%EOF\n".encode())
        document = documents.document_upload(actor=None, claim=claim, kind=kind, name=f"{kind}.pdf", content=scan)
        documents.document_review(actor=actor, document=document, accept=True)


def with_accounts(claim: Claim) -> None:
    """Give every heir (or the claimant) a bank account, as from their bank book."""
    for index, heir in enumerate(claim.heirs.all()):
        heir.bank, heir.account = "BRI", f"01234567{index:04d}"
        heir.save(update_fields=["bank", "account"])
    Claim.objects.filter(pk=claim.pk).update(payee_bank="BRI", payee_account="0987654321")
    claim.payee_bank, claim.payee_account = "BRI", "0987654321"
