"""Claims: era amounts, coverage and arrears, heirs, scholarships, separation of duties, paid claims.

Amounts are from ../shared/domain/rules.md section 2, worked by hand.
"""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims.models import ClaimStatus, ClaimType, JkkKind, PaidClaimError, Payout
from lindung.claims.services import claim_approve, claim_pay, claim_submit, claim_verify, heirs_set
from lindung.claims.tests.factories import complete_file, with_accounts
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.services import billing_run
from lindung.core.models import AuditEntry
from lindung.registry.tests.factories import enrol, self_paying_bpu, sponsor

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 1)


@pytest.fixture
def officers():
    """Two branch officers: one verifies, the other approves."""
    return (
        UserFactory(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"]),
        UserFactory(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"]),
    )


SERIALS = count(1)


def pu_member(starts_on: str = "2014-01-01", **extra):
    today = date.fromisoformat(starts_on)
    return enrol(
        sponsor(), next(SERIALS), wage="3.000.000", programs="jkk,jkm", starts_on=starts_on, today=today, **extra
    )


def jkm(membership, event_date: date, today: date = TODAY):
    return claim_submit(
        actor=None,
        membership=membership,
        claim_type=ClaimType.JKM,
        event_date=event_date,
        claimant_name="Siti",
        today=today,
    )


def decide(claim, officers, today: date = TODAY):
    verifier, approver = officers
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=today)
    return claim_approve(actor=approver, claim=claim, today=today)


@pytest.mark.parametrize(
    ("event_date", "total"),
    [
        (date(2015, 6, 30), 21_000_000),  # before PP 44/2015: 14.2 M + 4.8 M + 2 M
        (date(2019, 12, 1), 24_000_000),  # PP 44/2015: 16.2 M + 4.8 M + 3 M
        (date(2019, 12, 2), 42_000_000),  # PP 82/2019: 20 M + 12 M + 10 M
    ],
)
def test_jkm_deaths_give_the_amounts_of_their_era(event_date, total, officers):
    claim = decide(jkm(pu_member(), event_date, today=event_date), officers, today=event_date)
    assert (claim.status, claim.total) == (ClaimStatus.APPROVED, total)
    assert {item["component"] for item in claim.benefits["items"]} == {"lump_sum", "periodic", "funeral"}


@pytest.mark.parametrize(("wage", "lump_sum"), [(3_000_000, 144_000_000), (300_000, 20_000_000)])
def test_jkk_death_is_48_wages_never_less_than_the_jkm_lump_sum(wage, lump_sum, officers):
    claim = claim_submit(
        actor=None,
        membership=pu_member(),
        claim_type=ClaimType.JKK,
        jkk_kind=JkkKind.DEATH,
        event_date=date(2026, 5, 4),
        claimant_name="Siti",
        wage=wage,
        today=date(2026, 5, 5),
    )
    claim = decide(claim, officers, today=date(2026, 5, 5))
    items = {item["component"]: item["amount"] for item in claim.benefits["items"]}
    assert items["lump_sum"] == lump_sum
    assert claim.total == lump_sum + 10_000_000 + 12_000_000
    # No stage I report time was recorded: unknown, not late (rules.md section 3).
    codes = [finding["code"] for finding in claim.assessment["findings"]]
    assert "stage1_unknown" in codes
    assert "stage1_late" not in codes


def test_a_death_in_an_unpaid_month_is_refused_with_the_reason(officers):
    member = self_paying_bpu()
    billing_run(actor=None, period="2026-05", today=TODAY)  # 16,800, never paid
    claim = jkm(member, date(2026, 5, 20))
    assert claim.assessment["eligible"] is False
    assert "belum dibayar" in claim.assessment["findings"][0]["text"]
    verifier, approver = officers
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=TODAY)
    with pytest.raises(ValidationError, match="Tidak terlindungi"):
        claim_approve(actor=approver, claim=claim, today=TODAY)


def test_a_claim_is_held_while_the_employer_is_in_arrears_then_paid(officers):
    member = pu_member(starts_on="2026-01-01")
    member.person.relatives.create(relation="spouse", name="Siti", birth_date=date(1991, 1, 1))
    billing_run(actor=None, period="2026-05", today=TODAY)  # 16,200 due 15 June, unpaid on 1 July
    claim = jkm(member, date(2026, 5, 20))
    assert (claim.assessment["eligible"], claim.assessment["held"]) == (True, True)
    verifier, approver = officers
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=TODAY)
    with pytest.raises(ValidationError, match="tunggakan"):
        claim_approve(actor=approver, claim=claim, today=TODAY)

    payment_record(actor=None, payer=Payer(sponsor=member.sponsor), paid_on=date(2026, 6, 30), amount=16_200 + 324)
    claim = claim_approve(actor=approver, claim=claim, today=TODAY)
    claim = claim_pay(actor=approver, claim=claim, reference="TRF-001", paid_on=TODAY, today=TODAY)
    assert claim.status == ClaimStatus.PAID
    assert list(Payout.objects.values_list("payee", "amount")) == [("Siti", 42_000_000)]


def test_heirs_are_spouse_and_children_first_then_parents_and_an_override_is_recorded(officers):
    member = pu_member()
    person = member.person
    person.relatives.create(relation="parent", name="Ayah", birth_date=date(1950, 1, 1))
    claim = jkm(member, date(2026, 5, 20))
    assert [(h.name, h.relation) for h in claim.heirs.all()] == [("Ayah", "parent")]

    person.relatives.create(relation="spouse", name="Siti", birth_date=date(1991, 1, 1))
    person.relatives.create(relation="child", name="Adi", birth_date=date(2015, 1, 1))
    second = jkm(member, date(2026, 5, 21))
    assert sorted(h.name for h in second.heirs.all()) == ["Adi", "Siti"]

    verifier, _approver = officers
    heirs_set(
        actor=verifier,
        claim=second,
        heirs=[{"name": "Siti", "relation": "spouse"}],
        reason="Putusan pengadilan agama no. 12/2026",
    )
    assert [(h.name, h.proposed) for h in second.heirs.all()] == [("Siti", False)]
    entry = AuditEntry.objects.filter(object_id=str(second.pk)).latest("created_at")
    assert "Putusan pengadilan" in str(entry.after)

    approved = decide(second, officers)
    assert list(approved.heirs.values_list("amount", flat=True)) == [42_000_000]


def test_scholarship_two_children_accepted_a_third_refused_and_a_child_of_23_stops(officers):
    member = pu_member(starts_on="2016-01-01")
    person = member.person
    kids = [
        person.relatives.create(relation="child", name=f"Anak {n}", birth_date=born)
        for n, born in ((1, date(2012, 3, 1)), (2, date(2014, 3, 1)), (3, date(2016, 3, 1)))
    ]
    claim = claim_submit(
        actor=None,
        membership=member,
        claim_type=ClaimType.SCHOLARSHIP,
        event_date=date(2024, 1, 10),
        claimant_name="Siti",
        school_year=2026,
        children=[{"relative": kid.pk, "level": level} for kid, level in zip(kids, ("smp", "sd", "sd"), strict=True)],
        today=TODAY,
    )
    claim = decide(claim, officers)
    # SMP 2,000,000 + SD 1,500,000 a year; the third child gets nothing (at most 2 children).
    assert claim.total == 3_500_000
    assert "at most 2 children" in " ".join(claim.benefits["notes"]) or "paling banyak 2" in " ".join(
        claim.benefits["notes"]
    )

    old = person.relatives.create(relation="child", name="Sulung", birth_date=date(2003, 1, 1))
    later = claim_submit(
        actor=None,
        membership=member,
        claim_type=ClaimType.SCHOLARSHIP,
        event_date=date(2024, 1, 10),
        claimant_name="Siti",
        school_year=2026,
        children=[{"relative": old.pk, "level": "s1"}],
        today=TODAY,
    )
    assert later.assessment["eligible"] is False


def test_the_verifier_cannot_approve_and_a_paid_claim_cannot_change(officers):
    verifier, approver = officers
    claim = jkm(pu_member(), date(2026, 5, 20))
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=TODAY)
    with pytest.raises(PermissionDenied):
        claim_approve(actor=verifier, claim=claim, today=TODAY)
    claim = claim_approve(actor=approver, claim=claim, today=TODAY)
    claim = claim_pay(actor=approver, claim=claim, reference="TRF-001", paid_on=TODAY, today=TODAY)
    claim.total = 1
    with pytest.raises(PaidClaimError):
        claim.save()
    with pytest.raises(ValidationError):
        claim_verify(actor=verifier, claim=claim, today=TODAY)
    assert [step.status_to for step in claim.steps.all()] == ["diajukan", "diverifikasi", "disetujui", "dibayar"]


def test_jkk_medical_care_is_the_receipts_without_a_cap(officers):
    claim = claim_submit(
        actor=None,
        membership=pu_member(),
        claim_type=ClaimType.JKK,
        jkk_kind=JkkKind.MEDICAL,
        event_date=date(2026, 6, 2),
        event_time=None,
        stage1_reported_at=None,
        claimant_name="RSUD Siak",
        medical_costs=87_350_000,
        today=date(2026, 6, 20),
    )
    claim = decide(claim, officers, today=date(2026, 6, 20))
    assert claim.total == 87_350_000
    assert claim.benefits["items"][0]["legal_basis"] == "PP 44/2015; PP 82/2019"


def test_a_paid_death_schedules_each_childs_school_years_until_23(officers):
    from lindung.claims.selectors import scholarship_schedule

    member = pu_member(starts_on="2019-01-01")
    member.person.relatives.create(relation="child", name="Adi", birth_date=date(2015, 1, 1))
    claim = decide(jkm(member, date(2026, 5, 20)), officers)
    schedule = scholarship_schedule(claim)
    # School years 2027/2028 to 2037/2038: Adi turns 23 on 1 January 2038.
    assert [row["year"] for row in schedule] == list(range(2027, 2038))
    assert {row["claim"] for row in schedule} == {""}
    # A member of less than 3 years leaves no scholarship to schedule.
    short = decide(jkm(pu_member(starts_on="2025-01-01"), date(2026, 5, 20)), officers)
    assert scholarship_schedule(short) == []
