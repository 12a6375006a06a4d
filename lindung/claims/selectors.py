"""Reads of the claims app, always through the scoping function (outside the actor's regions is 404)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims.models import Claim, ClaimDocument, ClaimStatus, ClaimStep, ClaimType, Payout
from lindung.core.scoping import scoped
from lindung.offices.models import Office
from lindung.offices.selectors import area_condition
from lindung.registry.models import Membership, Person, Relation
from lindung.rules.entitlements import Child, full_years, scholarship_benefit

OPEN = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED, ClaimStatus.APPROVED)
SCHOLARSHIP_END_AGE = 23  # rules.md 2.3 (the rule itself checks it on each yearly claim)


def claim_queue(
    *, actor: User, status: str = "", claim_type: str = "", open_only: bool = False, office: Office | None = None
) -> QuerySet[Claim]:
    """The branch's claims in scope, oldest open first, with filters; `office`: those of its area today."""
    require(actor, Capability.VIEW_CLAIMS)
    claims = scoped(Claim.objects.select_related("person"), actor=actor)
    if office is not None:
        claims = claims.filter(area_condition(office, timezone.localdate(), "region"))
    if status:
        claims = claims.filter(status=status)
    if open_only:
        claims = claims.filter(status__in=OPEN)
    if claim_type:
        claims = claims.filter(claim_type=claim_type)
    return claims.order_by("created_at", "id")


def with_details(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims with their heirs, steps (and actors) and documents, in four queries for any number."""
    steps = ClaimStep.objects.select_related("actor").order_by("at", "id")
    return claims.prefetch_related(
        "heirs",
        Prefetch("steps", queryset=steps),
        "documents",
        "waivers",
        Prefetch("payouts", queryset=Payout.objects.select_related("batch")),
    )


def days_open(claim: Claim, today: date) -> int:
    """Days since intake; for a closed claim, until its last step."""
    end = today
    if claim.status not in OPEN:
        last = max(claim.steps.all(), key=lambda step: (step.at, step.id), default=None)  # prefetched in lists
        end = last.at.date() if last else today
    return (end - claim.created_at.date()).days


def claim_get(*, actor: User, claim_id: int) -> Claim:
    require(actor, Capability.VIEW_CLAIMS)
    return get_object_or_404(
        scoped(Claim.objects.select_related("person", "membership__sponsor", "corrects"), actor=actor), pk=claim_id
    )


def document_get(*, actor: User, claim: Claim, document_id: int) -> ClaimDocument:
    return get_object_or_404(ClaimDocument.objects.filter(claim=claim), pk=document_id)


def person_claims(*, actor: User, person: Person) -> QuerySet[Claim]:
    require(actor, Capability.VIEW_CLAIMS)
    return scoped(Claim.objects.filter(person=person), actor=actor)


def member_by_nik(*, actor: User, nik: str, on: date) -> Membership | None:
    """The membership (in scope) of the person with this NIK that ran on `on`, else their latest."""
    memberships = scoped(Membership.objects.filter(person__nik=nik).select_related("person", "sponsor"), actor=actor)
    running = [m for m in memberships if m.starts_on <= on and (m.ends_on is None or m.ends_on >= on)]
    if running:
        return running[0]
    return memberships.order_by("-starts_on").first()


def payout_register(*, actor: User, year: int | None = None) -> QuerySet[Payout]:
    require(actor, Capability.VIEW_CLAIMS)
    payouts = Payout.objects.filter(claim__in=scoped(Claim.objects.all(), actor=actor)).select_related("claim", "batch")
    if year:
        payouts = payouts.filter(paid_on__year=year)
    return payouts.order_by("paid_on", "id")


def scholarship_schedule(claim: Claim) -> list[dict[str, object]]:
    """For an approved or paid death claim: each entitled child's school years until the scholarship
    ends at 23, with the year's scholarship claim if one was filed. Empty when the rules give none."""
    if not claim.is_death or claim.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID):
        return []
    born = [
        (child.name, child.birth_date)
        for child in claim.person.relatives.filter(relation=Relation.CHILD).order_by("birth_date")
        if child.birth_date is not None
    ][:2]
    if not born or not _scholarship_due(claim, born[0][1]):
        return []
    filed = dict(
        Claim.objects.filter(
            membership=claim.membership, claim_type=ClaimType.SCHOLARSHIP, event_date=claim.event_date
        ).values_list("school_year", "number")
    )
    schedule: list[dict[str, object]] = []
    for name, birth_date in born:
        year = claim.event_date.year + 1
        while full_years(birth_date, date(year, 7, 1)) < SCHOLARSHIP_END_AGE:
            schedule.append({"child": name, "year": year, "claim": filed.get(year, "")})
            year += 1
    return schedule


def _scholarship_due(claim: Claim, birth_date: date) -> bool:
    """Whether the rules give this death a scholarship at all (era, minimum contribution years)."""
    probe = scholarship_benefit(
        cause="jkk" if claim.claim_type == ClaimType.JKK else "jkm",
        event_date=claim.event_date,
        membership_start=claim.membership.starts_on,
        children=[Child(birth_date=birth_date, level="sd")],
        on_date=None,
    )
    return bool(probe.eligible)
