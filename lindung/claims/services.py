"""Writes of the claims app: intake, the workflow steps, heirs. Each checks role and region, writes,
records the step and audits in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims import documents, payouts
from lindung.claims.assessment import assess, benefits_json
from lindung.claims.models import Claim, ClaimHeir, ClaimStatus, ClaimType, JkkKind
from lindung.claims.workflow import AUDITED, locked, move, step
from lindung.contributions.services import reverse_after_end
from lindung.core.audit import audit_record, snapshot
from lindung.core.changes import Change, changing
from lindung.core.models import AuditAction
from lindung.core.rules_bridge import active_language
from lindung.registry.models import Membership, Relation, Relative
from lindung.registry.services import person_record_death
from lindung.rules.entitlements import heirs as legal_heirs
from lindung.rules.text import Text, render


def claim_submit(
    *,
    actor: User | None,
    membership: Membership,
    claim_type: str,
    event_date: date,
    claimant_name: str,
    today: date | None = None,
    filed_on: date | None = None,
    **details: Any,
) -> Claim:
    """Take a claim in: it starts as diajukan, with its assessment and, for a death, the proposed heirs.

    `filed_on` is the day the claim was lodged (default today): the JKK right to claim is measured to
    it, once, here; deciding later does not change it."""
    require(actor, Capability.SUBMIT_CLAIMS, [membership.region_id])
    today = today or timezone.localdate()
    filed_on = filed_on or today
    _check_intake(claim_type, event_date, claimant_name, today, details)
    _check_filing(event_date, filed_on, today)
    with transaction.atomic():
        claim = Claim(
            number=next_number(today),
            claim_type=claim_type,
            person_id=membership.person_id,
            membership=membership,
            region_id=membership.region_id,
            event_date=event_date,
            filed_on=filed_on,
            claimant_name=claimant_name.strip(),
            created_by=actor,
            **details,
        )
        claim.assessment = assess(claim, today=today).as_dict()
        claim.save()
        step(claim, actor, "", ClaimStatus.SUBMITTED, "")
        if claim.is_death:
            propose_heirs(claim)
        audit_record(actor=actor, action=AuditAction.CREATE, target=claim, after=snapshot(claim, AUDITED))
    return claim


def _check_intake(claim_type: str, event_date: date, claimant: str, today: date, details: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if claim_type not in ClaimType.values:
        errors["claim_type"] = _("Choose the type of claim.")
    if claim_type == ClaimType.JKK and details.get("jkk_kind") not in JkkKind.values:
        errors["jkk_kind"] = _("Choose the JKK benefit claimed.")
    if event_date > today:
        errors["event_date"] = _("The event cannot be in the future.")
    if not claimant.strip():
        errors["claimant_name"] = _("Name the claimant.")
    if claim_type == ClaimType.SCHOLARSHIP:
        if not details.get("school_year"):
            errors["school_year"] = _("Give the school year claimed.")
        if not details.get("children"):
            errors["children"] = _("Choose at least one child, with the school level.")
    if errors:
        raise ValidationError(errors)


def _check_filing(event_date: date, filed_on: date, today: date) -> None:
    if filed_on > today:
        raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
    if filed_on < event_date:
        raise ValidationError({"filed_on": _("The filing date cannot be before the event.")})


def next_number(today: date) -> str:
    """KLM/2026/000123: yearly running numbers (klaim = claim)."""
    prefix = f"KLM/{today.year}/"
    last = Claim.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    serial = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def propose_heirs(claim: Claim) -> list[ClaimHeir]:
    """Heirs from the family records in the legal order (living relatives on the event date)."""
    relatives = [
        relative
        for relative in claim.person.relatives.all()
        if relative.died_on is None or relative.died_on > claim.event_date
    ]
    choice = legal_heirs([relative.relation for relative in relatives], claim.event_date)
    reason = f"{_render(choice.reason)} ({choice.legal_basis})"
    ClaimHeir.objects.filter(claim=claim).delete()
    return [
        ClaimHeir.objects.create(
            claim=claim,
            relative=relatives[position],
            name=relatives[position].name,
            relation=relatives[position].relation,
            reason=reason[:300],
        )
        for position in choice.positions
    ]


def _render(text: Text) -> str:
    return render(text, active_language())


def heirs_set(*, actor: User | None, claim: Claim, heirs: list[dict[str, str]], reason: str) -> list[ClaimHeir]:
    """An officer changes the heirs, with a recorded reason; only before approval.

    Each heir needs a name and a known relation; a heir linked to a family record must be a
    relative of the claim's member. Bank and account changes are audited with before and after."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED):
        raise ValidationError(_("Heirs can be changed only before approval."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the heirs are changed.")})
    if not heirs:
        raise ValidationError({"heirs": _("Name at least one heir.")})
    cleaned = [_clean_heir(claim, index, heir) for index, heir in enumerate(heirs)]
    with transaction.atomic():
        before = list(claim.heirs.values(*HEIR_AUDITED))
        claim.heirs.all().delete()
        created = [
            ClaimHeir.objects.create(claim=claim, reason=reason.strip()[:300], proposed=False, **heir)
            for heir in cleaned
        ]
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=claim,
            before={"heirs": before},
            after={"heirs": [snapshot(heir, HEIR_AUDITED) for heir in created], "reason": reason},
        )
    return created


HEIR_AUDITED = ("name", "relation", "relative_id", "bank", "account")


def _clean_heir(claim: Claim, index: int, heir: dict[str, Any]) -> dict[str, Any]:
    """One heir as sent (by the page or the API) checked, or a ValidationError naming heirs.N.field."""
    if not isinstance(heir, dict):
        raise ValidationError({f"heirs.{index}": _("Give each heir as name, relation and optionally relative.")})
    name = " ".join(str(heir.get("name") or "").split())
    relation = str(heir.get("relation") or "")
    relative = heir.get("relative") or None
    errors: dict[str, list[str]] = {}
    if not name:
        errors[f"heirs.{index}.name"] = [_("Required.")]
    if relation not in Relation.values:
        errors[f"heirs.{index}.relation"] = [_("Choose one of: %(codes)s.") % {"codes": ", ".join(Relation.values)}]
    relative_id = _relative_of_member(claim, relative)
    if relative is not None and relative_id is None:
        errors[f"heirs.{index}.relative"] = [_("Not a family member of this claim's member.")]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name[:150],
        "relation": relation,
        "relative_id": relative_id,
        "bank": str(heir.get("bank") or "").strip()[:60],
        "account": str(heir.get("account") or "").strip()[:34],
    }


def _relative_of_member(claim: Claim, relative: object) -> int | None:
    try:
        relative_id = int(str(relative))
    except ValueError:
        return None
    return Relative.objects.filter(pk=relative_id, person_id=claim.person_id).values_list("pk", flat=True).first()


def claim_verify(*, actor: User | None, claim: Claim, note: str = "", today: date | None = None) -> Claim:
    """The documents and facts are checked: diajukan -> diverifikasi, with a fresh assessment."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    with transaction.atomic():
        claim = locked(claim, ClaimStatus.SUBMITTED)
        missing = documents.missing_for_verification(claim)
        if missing:
            raise ValidationError(
                _(
                    "The file is not complete: %(documents)s. Accept each document, or have a decider waive it "
                    "with a reason (Permenaker 5/2021)."
                )
                % {"documents": ", ".join(missing)}
            )
        claim.assessment = assess(claim, today=today or timezone.localdate()).as_dict()
        return move(claim, actor, ClaimStatus.VERIFIED, note)


def claim_approve(*, actor: User | None, claim: Claim, today: date | None = None) -> Claim:
    """Approve by another officer than the one who verified: the benefits are frozen as the rules give them."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    with transaction.atomic():
        claim = locked(claim, ClaimStatus.VERIFIED)
        verifier = claim.steps.filter(status_to=ClaimStatus.VERIFIED).values_list("actor_id", flat=True).last()
        if actor is not None and verifier == actor.pk:
            raise PermissionDenied(_("The officer who verified a claim cannot approve it."))
        assessment = assess(claim, today=today or timezone.localdate())
        claim.assessment = assessment.as_dict()
        _refuse_unless_payable(claim, assessment.eligible, assessment.held)
        claim.benefits = benefits_json(claim)
        claim.total = int(claim.benefits.get("total", 0))
        payouts.settle_shares(claim)
        payouts.create_for(claim)
        claim = move(claim, actor, ClaimStatus.APPROVED)
        if claim.is_death:
            record_death(actor=actor, claim=claim, today=today)
        return claim


def record_death(*, actor: User | None, claim: Claim, today: date | None = None) -> None:
    """A death claim approved (or paid outside Lindung) is the evidence: the member is recorded as
    deceased on the event date, her running memberships end on it, and what was billed for the
    months after it is reversed."""
    basis = _("Death claim %(number)s") % {"number": claim.number}
    ended = person_record_death(actor=actor, person=claim.person, died_on=claim.event_date, basis=basis)
    reverse_after_end(membership_ids=[membership.pk for membership in ended], ended_on=claim.event_date, today=today)


def _refuse_unless_payable(claim: Claim, eligible: bool, held: bool) -> None:
    findings = claim.assessment.get("findings", [])
    if not eligible:
        blocking = " ".join(f["text"] for f in findings if f["blocking"])
        raise ValidationError(_("Not eligible: %(why)s") % {"why": blocking})
    if held:
        raise ValidationError(_("Held: the employer's arrears must be paid first."))


def claim_reject(*, actor: User | None, claim: Claim, reason: str) -> Claim:
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the claim is rejected.")})
    with transaction.atomic():
        claim = locked(claim, ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED)
        claim.rejection_reason = reason.strip()[:500]
        return move(claim, actor, ClaimStatus.REJECTED, reason)


def claim_pay(*, actor: User | None, claim: Claim, reference: str, paid_on: date, today: date | None = None) -> Claim:
    """Record that an approved claim was paid by one transfer (outside a batch file, or confirmed from
    the bank statement): every payout not yet paid gets the transfer reference and the date."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if not reference.strip():
        raise ValidationError({"reference": _("Give the bank transfer reference.")})
    with transaction.atomic(), changing(Change(claims={claim.pk})):
        claim = locked(claim, ClaimStatus.APPROVED)
        assessment = assess(claim, today=today or timezone.localdate())
        if assessment.held:
            raise ValidationError(_("Held: the employer's arrears must be paid first."))
        for payout in payouts.open_payouts(claim):
            payouts.confirm(actor=actor, payout=payout, reference=reference, paid_on=paid_on)
        return payouts.close_if_settled(claim, actor) or claim


def claim_correct(*, actor: User | None, claim: Claim, reason: str, today: date | None = None, **changes: Any) -> Claim:
    """A paid claim is corrected by a new claim that points to it, never by editing it."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if claim.status != ClaimStatus.PAID:
        raise ValidationError(_("Only a paid claim is corrected by a new claim; change this one instead."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the claim is corrected.")})
    copied = {
        field: getattr(claim, field)
        for field in (
            "jkk_kind",
            "event_time",
            "place",
            "chronology",
            "stage1_reported_at",
            "claimant_relation",
            "filed_on",
            "payee_bank",
            "payee_account",
            "wage",
            "medical_costs",
            "transport_costs",
            "transport_mode",
            "home_care_costs",
            "percentage",
            "function_loss",
            "months",
            "jht_reason",
            "jht_balance",
            "school_year",
            "children",
        )
    }
    correction = claim_submit(
        actor=actor,
        membership=claim.membership,
        claim_type=claim.claim_type,
        event_date=changes.pop("event_date", claim.event_date),
        claimant_name=changes.pop("claimant_name", claim.claimant_name),
        today=today,
        **(copied | changes),
    )
    with transaction.atomic():
        Claim.objects.filter(pk=correction.pk).update(corrects=claim)
        step(correction, actor, ClaimStatus.SUBMITTED, ClaimStatus.SUBMITTED, reason)
    correction.refresh_from_db()
    return correction
