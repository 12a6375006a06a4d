"""Demo claims for `make run`: paid and open claims of each type across 2019-2025, with heirs and
scholarships, for members of the demo registry (Siak's non-ASN staff, the companies' employees).

Claims go through the real services, as the system (no officer), so each has its assessment, its
steps, its documents (each accepted), frozen benefits and payouts exactly as a real one would. The
2019-2020 deaths are the branch's history, recorded as paid outside Lindung (before go-live).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindung.claims import documents, history, payouts, services
from lindung.claims.models import Claim, ClaimStep, ClaimType, JkkKind
from lindung.registry.models import Membership, Relation
from lindung.rules.benefits import BenefitQuery, jkm_benefit

DEMO_BANKS = ("BRK Syariah", "BRI", "BNI", "Bank Mandiri")

# (type, JKK benefit, event date, how far it goes, extra inputs)
PLAN: list[tuple[str, str, date, str, dict[str, Any]]] = [
    (ClaimType.JKM, "", date(2019, 8, 12), "history", {}),
    (ClaimType.JKM, "", date(2020, 3, 2), "history", {}),
    (ClaimType.JKK, JkkKind.DEATH, date(2021, 6, 21), "paid", {}),
    (ClaimType.JKK, JkkKind.DISABILITY, date(2022, 2, 14), "paid", {"percentage": Decimal(40)}),
    (ClaimType.JKK, JkkKind.STMB, date(2023, 5, 8), "paid", {"months": 3}),
    (ClaimType.JKM, "", date(2024, 9, 30), "paid", {}),
    (ClaimType.JKK, JkkKind.DEATH, date(2025, 4, 17), "approved", {}),
    (ClaimType.JKM, "", date(2025, 10, 5), "verified", {}),
    (ClaimType.JKK, JkkKind.STMB, date(2025, 11, 3), "submitted", {"months": 1}),
    (ClaimType.JKK, JkkKind.DISABILITY, date(2022, 7, 1), "rejected", {"percentage": Decimal(10)}),
]


@transaction.atomic
def demo_claims_ensure() -> dict[str, int] | None:
    if Claim.objects.exists():
        return None
    members = _members_with_families()
    deaths: list[tuple[Membership, date, str]] = []
    for (claim_type, kind, event_date, reach, extra), membership in zip(PLAN, members, strict=False):
        if reach == "history":
            _history(membership, claim_type, event_date)
            deaths.append((membership, event_date, kind))
            continue
        claim = _claim(membership, claim_type, kind, event_date, extra)
        _advance(claim, reach, event_date)
        if reach == "paid" and (claim_type == ClaimType.JKM or kind == JkkKind.DEATH):
            deaths.append((membership, event_date, kind))
    _scholarships(deaths)
    _jht()
    return {"claims": Claim.objects.count()}


def _history(membership: Membership, claim_type: str, event_date: date) -> None:
    """A death the agency paid before Lindung: recorded from the branch's history file."""
    # What the agency paid: the JKM of the era (24,000,000 before 2 December 2019, 42,000,000 after).
    amount = jkm_benefit(BenefitQuery(program="jkm", event_date=event_date)).total
    spouse = membership.person.relatives.filter(relation=Relation.SPOUSE).first()
    heirs = (history.PaidHeir(name=spouse.name, relation=Relation.SPOUSE, amount=amount),) if spouse else ()
    history.record_paid_outside(
        actor=None,
        membership=membership,
        paid=history.PaidClaim(
            claim_type=claim_type,
            event_date=event_date,
            paid_on=event_date + timedelta(days=30),
            amount=amount,
            heirs=heirs,
            reference=f"BPJSTK-SIAK-{event_date:%Y%m%d}",
        ),
        today=event_date + timedelta(days=30),
    )


def _members_with_families() -> list[Membership]:
    """Siak non-ASN members who have a spouse and children in the family records."""
    return list(
        Membership.objects.filter(sponsor__name="Pemerintah Kabupaten Siak", person__relatives__relation=Relation.CHILD)
        .distinct()
        .order_by("id")[: len(PLAN)]
    )


def _claim(membership: Membership, claim_type: str, kind: str, event_date: date, extra: dict[str, Any]) -> Claim:
    details: dict[str, Any] = {"jkk_kind": kind} if kind else {}
    if claim_type == ClaimType.JKK:
        details["place"] = "Jalan lintas Siak - Pekanbaru"
        details["chronology"] = "Kecelakaan lalu lintas saat berangkat kerja."
    return services.claim_submit(
        actor=None,
        membership=membership,
        claim_type=claim_type,
        event_date=event_date,
        claimant_name=f"Keluarga {membership.person.name}",
        today=event_date + timedelta(days=7),
        **_account(membership.pk),
        **details,
        **extra,
    )


def _account(seed: int) -> dict[str, Any]:
    return {"payee_bank": DEMO_BANKS[seed % len(DEMO_BANKS)], "payee_account": f"{7100000000 + seed * 7919}"}


def _complete_file(claim: Claim) -> None:
    """Every required document uploaded (a one-page PDF standing for the scan) and accepted; heirs'
    accounts from their bank books."""
    for kind, _label in documents.required(claim):
        scan = BytesIO(f"%PDF-1.4\n% {claim.number} {kind}\n%%EOF\n".encode())
        document = documents.document_upload(actor=None, claim=claim, kind=kind, name=f"{kind}.pdf", content=scan)
        documents.document_review(actor=None, document=document, accept=True)
    for heir in claim.heirs.all():
        account = _account(heir.pk)
        payouts.heir_account_set(actor=None, heir=heir, bank=account["payee_bank"], account=account["payee_account"])


def _backdate(claim: Claim, intake: date) -> None:
    """Demo claims were taken in on their own dates, not today: days open and the timeline show it."""
    moment = timezone.make_aware(datetime.combine(intake, time(9, 0)))
    Claim.objects.filter(pk=claim.pk).update(created_at=moment)
    for offset, step in enumerate(claim.steps.order_by("id")):
        ClaimStep.objects.filter(pk=step.pk).update(at=moment + timedelta(days=7 * offset))


def _advance(claim: Claim, reach: str, event_date: date) -> None:
    _take_steps(claim, reach, event_date)
    _backdate(claim, event_date + timedelta(days=7))


def _take_steps(claim: Claim, reach: str, event_date: date) -> None:
    day = event_date + timedelta(days=14)
    if reach == "rejected":
        services.claim_reject(actor=None, claim=claim, reason="Hasil pemeriksaan: bukan kecelakaan kerja.")
        return
    if reach == "submitted":
        return
    _complete_file(claim)
    services.claim_verify(actor=None, claim=claim, today=day)
    if reach == "verified":
        return
    services.claim_approve(actor=None, claim=claim, today=day)
    if reach == "paid":
        paid_on = day + timedelta(days=7)
        services.claim_pay(
            actor=None, claim=claim, reference=f"TRF{paid_on:%Y%m%d}{claim.pk:05d}", paid_on=paid_on, today=day
        )


def _scholarships(deaths: list[tuple[Membership, date, str]]) -> None:
    """Yearly scholarships for the children of members who died, one claim per school year."""
    for membership, event_date, kind in deaths:
        children = list(membership.person.relatives.filter(relation=Relation.CHILD).order_by("birth_date")[:2])
        for year in range(event_date.year + 1, 2026):
            claim = services.claim_submit(
                actor=None,
                membership=membership,
                claim_type=ClaimType.SCHOLARSHIP,
                event_date=event_date,
                claimant_name=f"Wali anak {membership.person.name}",
                school_year=year,
                jkk_kind=kind,
                children=[{"relative": child.pk, "level": "sd"} for child in children],
                today=date(year, 7, 15),
                **_account(membership.pk + year),
            )
            if not claim.assessment["eligible"]:
                # Too short a membership for a scholarship: refused with the rule's reason, once.
                why = " ".join(finding["text"] for finding in claim.assessment["findings"] if finding["blocking"])
                services.claim_reject(actor=None, claim=claim, reason=why[:500])
                break
            _advance(claim, "paid" if year < 2025 else "submitted", date(year, 7, 15))


def _jht() -> None:
    """A company employee who resigned in 2024 takes out the JHT balance."""
    # The demo companies enrol their employees with JKK, JKM, JHT and JP.
    membership = Membership.objects.filter(sponsor__kind="company").order_by("id").first()
    if membership is None:
        return
    claim = services.claim_submit(
        actor=None,
        membership=membership,
        claim_type=ClaimType.JHT,
        event_date=date(2024, 6, 30),
        claimant_name=membership.person.name,
        jht_reason="berhenti_bekerja",
        jht_balance=25_400_000,
        today=date(2024, 8, 1),
        **_account(membership.pk),
    )
    _advance(claim, "paid", date(2024, 8, 1))
