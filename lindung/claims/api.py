"""Claims endpoints at /api/v1: the same selectors and services as the pages, scoped to the token's user."""

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from lindung.accounts.http import AuthedRequest
from lindung.claims import documents, history, payouts, selectors, services
from lindung.claims.models import Claim
from lindung.core.inputs import InputSchema
from lindung.registry import selectors as registry_selectors
from lindung.registry.nik import clean_nik

router = Router()


class StepOut(Schema):
    status_from: str
    status_to: str
    at: Any
    actor: str | None
    note: str


class HeirOut(Schema):
    id: int
    name: str
    relation: str
    amount: int
    reason: str
    proposed: bool
    share_source: str
    share_reference: str


class DocumentOut(Schema):
    id: int
    kind: str
    file_name: str
    status: str
    review_reason: str


class PayoutOut(Schema):
    id: int
    payee: str
    beneficiary: str
    bank: str
    account: str
    amount: int
    status: str
    batch: str | None
    reference: str
    failure_reason: str
    paid_on: date | None


class ClaimOut(Schema):
    id: int
    number: str
    claim_type: str
    jkk_kind: str
    person_id: int
    membership_id: int
    event_date: date
    status: str
    days_open: int
    eligible: bool
    held: bool
    findings: list[dict[str, Any]]
    benefits: dict[str, Any]
    total: int
    heirs: list[HeirOut]
    steps: list[StepOut]
    filed_on: date | None
    paid_outside: bool
    documents_missing: list[str]
    documents: list[DocumentOut]
    waived: dict[str, str]
    payouts: list[PayoutOut]
    corrects_id: int | None


class ChildIn(InputSchema):
    relative: int  # a child in the member's family records
    level: str  # belum_sekolah, tk, sd, smp, sma, s1
    guardian: str = ""  # who receives it for the child, with the bank and account
    bank: str = ""
    account: str = ""


class ClaimIn(InputSchema):
    nik: str
    claim_type: str
    event_date: date
    claimant_name: str
    filed_on: date | None = None
    jkk_kind: str = ""
    event_time: time | None = None
    stage1_reported_at: datetime | None = None
    school_year: int | None = None
    children: list[ChildIn] = []
    wage: int | None = None
    months: int | None = None
    medical_costs: int | None = None
    transport_costs: int | None = None
    transport_mode: str = ""
    home_care_costs: int | None = None
    payee_bank: str = ""
    payee_account: str = ""
    place: str = ""
    chronology: str = ""


class ReasonIn(InputSchema):
    reason: str


class PayIn(InputSchema):
    reference: str
    paid_on: date


class DocumentReviewIn(InputSchema):
    accept: bool
    reason: str = ""


class WaiverIn(InputSchema):
    kind: str
    reason: str


class SharesIn(InputSchema):
    shares: dict[int, int]  # heir id -> rupiah
    source: str  # surat_ahli_waris or putusan_pengadilan
    reference: str


class BatchIn(InputSchema):
    region: str


class BatchOut(Schema):
    id: int
    number: str
    count: int
    total: int
    checksum: str
    not_ready: int
    held: int


class PaidOutsideIn(InputSchema):
    nik: str
    claim_type: str
    jkk_kind: str = ""
    event_date: date
    paid_on: date
    amount: int
    claimant_name: str = ""
    reference: str = ""


class HeirIn(InputSchema):
    name: str = ""
    relation: str = ""
    relative: int | None = None  # a family record of the claim's member
    bank: str = ""
    account: str = ""


class HeirsIn(InputSchema):
    heirs: list[HeirIn]
    reason: str


def _out(claim: Claim) -> ClaimOut:
    return ClaimOut(
        id=claim.pk,
        number=claim.number,
        claim_type=claim.claim_type,
        jkk_kind=claim.jkk_kind,
        person_id=claim.person_id,
        membership_id=claim.membership_id,
        event_date=claim.event_date,
        status=claim.status,
        days_open=selectors.days_open(claim, timezone.localdate()),
        eligible=bool(claim.assessment.get("eligible")),
        held=bool(claim.assessment.get("held")),
        findings=claim.assessment.get("findings", []),
        benefits=claim.benefits,
        total=claim.total,
        heirs=[HeirOut.model_validate(heir, from_attributes=True) for heir in claim.heirs.all()],
        steps=[
            StepOut(
                status_from=step.status_from,
                status_to=step.status_to,
                at=step.at,
                actor=step.actor.username if step.actor else None,
                note=step.note,
            )
            for step in claim.steps.all()  # ordered by time, with actors (with_details)
        ],
        filed_on=claim.filed_on,
        paid_outside=claim.paid_outside,
        documents_missing=[str(item["kind"]) for item in documents.checklist(claim) if not item["complete"]],
        documents=[DocumentOut.model_validate(document, from_attributes=True) for document in claim.documents.all()],
        waived={waiver.kind: waiver.reason for waiver in claim.waivers.all()},
        payouts=[
            PayoutOut(
                id=payout.pk,
                payee=payout.payee,
                beneficiary=payout.beneficiary,
                bank=payout.bank,
                account=payout.account,
                amount=payout.amount,
                status=payout.status,
                batch=payout.batch.number if payout.batch else None,
                reference=payout.reference,
                failure_reason=payout.failure_reason,
                paid_on=payout.paid_on,
            )
            for payout in claim.payouts.all()  # with batches (with_details)
        ],
        corrects_id=claim.corrects_id,
    )


@router.get("/claims", response=list[ClaimOut])
def claim_list(request: AuthedRequest, status: str = "", claim_type: str = "") -> list[ClaimOut]:
    claims = selectors.claim_queue(actor=request.user, status=status, claim_type=claim_type)
    return [_out(claim) for claim in selectors.with_details(claims)[:500]]


@router.post("/claims", response={201: ClaimOut})
def claim_create(request: AuthedRequest, body: ClaimIn) -> tuple[int, ClaimOut]:
    membership = selectors.member_by_nik(actor=request.user, nik=clean_nik(body.nik), on=body.event_date)
    if membership is None:
        raise HttpError(404, _("No member with this NIK in your regions."))
    required = {"nik", "claim_type", "event_date", "claimant_name"}
    details = {key: value for key, value in body.dict(exclude=required).items() if value not in (None, "")}
    reported = details.get("stage1_reported_at")
    if reported is not None and timezone.is_naive(reported):
        details["stage1_reported_at"] = timezone.make_aware(reported)  # local time, as officers write it
    claim = services.claim_submit(
        actor=request.user,
        membership=membership,
        claim_type=body.claim_type,
        event_date=body.event_date,
        claimant_name=body.claimant_name,
        **details,
    )
    return 201, _out(claim)


@router.get("/claims/{claim_id}", response=ClaimOut)
def claim_detail(request: AuthedRequest, claim_id: int) -> ClaimOut:
    return _out(selectors.claim_get(actor=request.user, claim_id=claim_id))


@router.post("/claims/{claim_id}/verify", response=ClaimOut)
def claim_verify(request: AuthedRequest, claim_id: int) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    return _out(services.claim_verify(actor=request.user, claim=claim))


@router.post("/claims/{claim_id}/approve", response=ClaimOut)
def claim_approve(request: AuthedRequest, claim_id: int) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    return _out(services.claim_approve(actor=request.user, claim=claim))


@router.post("/claims/{claim_id}/reject", response=ClaimOut)
def claim_reject(request: AuthedRequest, claim_id: int, body: ReasonIn) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    return _out(services.claim_reject(actor=request.user, claim=claim, reason=body.reason))


@router.post("/claims/{claim_id}/pay", response=ClaimOut)
def claim_pay(request: AuthedRequest, claim_id: int, body: PayIn) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    return _out(services.claim_pay(actor=request.user, claim=claim, reference=body.reference, paid_on=body.paid_on))


@router.post("/claims/{claim_id}/documents/{document_id}/review", response=ClaimOut)
def document_review(request: AuthedRequest, claim_id: int, document_id: int, body: DocumentReviewIn) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    document = selectors.document_get(actor=request.user, claim=claim, document_id=document_id)
    documents.document_review(actor=request.user, document=document, accept=body.accept, reason=body.reason)
    return _out(claim)


@router.post("/claims/{claim_id}/waivers", response=ClaimOut)
def document_waive(request: AuthedRequest, claim_id: int, body: WaiverIn) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    documents.document_waive(actor=request.user, claim=claim, kind=body.kind, reason=body.reason)
    return _out(claim)


@router.put("/claims/{claim_id}/shares", response=ClaimOut)
def claim_shares(request: AuthedRequest, claim_id: int, body: SharesIn) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    payouts.heir_shares_set(
        actor=request.user, claim=claim, shares=body.shares, source=body.source, reference=body.reference
    )
    return _out(claim)


@router.post("/payout-batches", response={201: BatchOut, 200: BatchOut})
def batch_create(request: AuthedRequest, body: BatchIn) -> tuple[int, BatchOut]:
    """The next transfer batch of the payouts ready below a region (its file: GET .../file once)."""
    outcome = payouts.batch_create(actor=request.user, region_code=body.region)
    batch = outcome.batch
    return (201 if batch else 200), BatchOut(
        id=batch.pk if batch else 0,
        number=batch.number if batch else "",
        count=batch.count if batch else 0,
        total=batch.total if batch else 0,
        checksum=batch.checksum if batch else "",
        not_ready=len(outcome.not_ready),
        held=len(outcome.held),
    )


@router.post("/paid-claims", response={201: ClaimOut})
def paid_outside(request: AuthedRequest, body: PaidOutsideIn) -> tuple[int, ClaimOut]:
    membership = selectors.member_by_nik(actor=request.user, nik=clean_nik(body.nik), on=body.event_date)
    if membership is None:
        raise HttpError(404, _("No member with this NIK in your regions."))
    paid = history.PaidClaim(
        claim_type=body.claim_type,
        jkk_kind=body.jkk_kind,
        event_date=body.event_date,
        paid_on=body.paid_on,
        amount=body.amount,
        claimant_name=body.claimant_name,
        reference=body.reference,
    )
    return 201, _out(history.record_paid_outside(actor=request.user, membership=membership, paid=paid))


@router.put("/claims/{claim_id}/heirs", response=ClaimOut)
def claim_heirs(request: AuthedRequest, claim_id: int, body: HeirsIn) -> ClaimOut:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    heirs = [heir.dict() for heir in body.heirs]
    services.heirs_set(actor=request.user, claim=claim, heirs=heirs, reason=body.reason)
    return _out(claim)


@router.get("/persons/{person_id}/claims", response=list[ClaimOut])
def person_claims(request: AuthedRequest, person_id: int) -> list[ClaimOut]:
    person = registry_selectors.person_get(actor=request.user, person_id=person_id)
    return [_out(claim) for claim in selectors.with_details(selectors.person_claims(actor=request.user, person=person))]
