"""A claim a branch can defend: a complete file before verification, the JKK limit counted to the
filing date, the stage I finding only under Permenaker 1/2025, care caps, shares per heir, and a
death that ends the membership (rules.md sections 2 and 3)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import BytesIO
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims import documents
from lindung.claims.models import ClaimType, JkkKind, ShareSource
from lindung.claims.payouts import heir_shares_set
from lindung.claims.services import claim_approve, claim_submit, claim_verify
from lindung.claims.tests.factories import complete_file, with_accounts
from lindung.contributions.models import InvoiceLine
from lindung.contributions.services import billing_run
from lindung.core.models import AuditEntry
from lindung.registry.models import MembershipStatus
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
SERIALS = count(500)
TODAY = date(2026, 7, 1)


@pytest.fixture
def officers():
    """Two branch officers: one verifies, the other approves (and checks documents)."""
    return (
        UserFactory(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"]),
        UserFactory(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"]),
    )


def member(starts_on: str = "2014-01-01"):
    return enrol(
        sponsor(),
        next(SERIALS),
        wage="3.000.000",
        programs="jkk,jkm",
        starts_on=starts_on,
        today=date.fromisoformat(starts_on),
    )


def jkm(membership, event_date=date(2026, 5, 20), today=TODAY):
    return claim_submit(
        actor=None,
        membership=membership,
        claim_type=ClaimType.JKM,
        event_date=event_date,
        claimant_name="Siti",
        today=today,
    )


def stmb(event_date: date, filed_on: date, **extra):
    return claim_submit(
        actor=None,
        membership=member(),
        claim_type=ClaimType.JKK,
        jkk_kind=JkkKind.STMB,
        months=2,
        event_date=event_date,
        filed_on=filed_on,
        claimant_name="PT Sawit",
        today=filed_on,
        **extra,
    )


def codes(claim) -> dict[str, str]:
    return {finding["code"]: finding["text"] for finding in claim.assessment["findings"]}


# ---------------------------------------------------------------- a complete file


def test_verification_needs_every_document_accepted_or_waived_and_the_waiver_is_audited(officers):
    verifier, approver = officers
    claim = jkm(member())
    with pytest.raises(ValidationError, match="Akta kematian"):
        claim_verify(actor=verifier, claim=claim, today=TODAY)

    kinds = [kind for kind, _label in documents.required(claim)]
    assert "akta_kematian" in kinds
    assert "buku_nikah" not in kinds  # no spouse among the heirs
    uploaded = []
    for kind in kinds[:-1]:
        scan = BytesIO(f"%PDF-1.4 {kind}".encode())
        uploaded.append(documents.document_upload(actor=verifier, claim=claim, kind=kind, name="x.pdf", content=scan))
    # Received is not enough: each must be checked.
    with pytest.raises(ValidationError, match="belum lengkap"):
        claim_verify(actor=verifier, claim=claim, today=TODAY)
    documents.document_review(actor=approver, document=uploaded[0], accept=False, reason="Tidak terbaca")
    with pytest.raises(ValidationError, match="alasan"):
        documents.document_review(actor=approver, document=uploaded[1], accept=False, reason=" ")
    for document in uploaded:
        documents.document_review(actor=approver, document=document, accept=True)
    with pytest.raises(ValidationError) as refused:
        claim_verify(actor=verifier, claim=claim, today=TODAY)
    assert str(dict(documents.CHECKLIST[ClaimType.JKM])[kinds[-1]]) in str(refused.value)

    with pytest.raises(ValidationError, match="10 karakter"):
        documents.document_waive(actor=approver, claim=claim, kind=kinds[-1], reason="tidak")
    documents.document_waive(
        actor=approver, claim=claim, kind=kinds[-1], reason="Ahli waris menabung di rekening peserta yang sama"
    )
    claim = claim_verify(actor=verifier, claim=claim, today=TODAY)

    assert claim.status == "diverifikasi"
    waiver = AuditEntry.objects.filter(after__waived_document=kinds[-1]).get()
    assert (waiver.after or {})["reason"] == "Ahli waris menabung di rekening peserta yang sama"
    assert waiver.actor_id == approver.pk


def test_the_same_file_twice_on_a_claim_is_recognised_by_its_content(officers):
    claim = jkm(member())
    documents.document_upload(actor=None, claim=claim, kind="ktp", name="ktp.pdf", content=BytesIO(b"%PDF-1.4 A"))
    with pytest.raises(ValidationError, match=r"sudah diunggah ke klaim ini sebagai ktp\.pdf"):
        documents.document_upload(
            actor=None, claim=claim, kind="kk", name="kk-renamed.pdf", content=BytesIO(b"%PDF-1.4 A")
        )
    assert claim.documents.count() == 1


def test_the_marriage_book_is_asked_when_the_spouse_is_an_heir(officers):
    membership = member()
    membership.person.relatives.create(relation="spouse", name="Siti", birth_date=date(1990, 1, 1))
    assert "buku_nikah" in [kind for kind, _label in documents.required(jkm(membership))]


# ---------------------------------------------------------------- time limits


def test_the_jkk_limit_runs_to_the_filing_date_not_to_the_decision(officers):
    in_time = stmb(date(2020, 6, 15), filed_on=date(2021, 3, 1))
    complete_file(in_time)
    with_accounts(in_time)
    verifier, approver = officers
    claim_verify(actor=verifier, claim=in_time, today=date(2026, 5, 4))
    approved = claim_approve(actor=approver, claim=in_time, today=date(2026, 5, 4))  # decided six years on
    assert approved.status == "disetujui"
    assert codes(approved)["claim_right"] == (
        "Diajukan 01-03-2021, dalam 2 tahun sejak kecelakaan 15-06-2020 (batasnya 15-06-2022)."
    )

    late = stmb(date(2020, 6, 15), filed_on=date(2022, 7, 4))
    assert late.assessment["eligible"] is False
    assert codes(late)["lapsed"] == (
        "Diajukan 04-07-2022, setelah hak klaim gugur: 2 tahun setelah kecelakaan 15-06-2020, yaitu 15-06-2022."
    )
    assert [f["legal_basis"] for f in late.assessment["findings"] if f["code"] == "lapsed"] == ["PP 44/2015 Pasal 26"]


def test_the_filing_date_is_neither_in_the_future_nor_before_the_event():
    with pytest.raises(ValidationError, match="masa depan"):
        claim_submit(
            actor=None,
            membership=member(),
            claim_type=ClaimType.JKM,
            event_date=date(2026, 5, 1),
            filed_on=TODAY + timedelta(days=1),
            claimant_name="Siti",
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="sebelum kejadian"):
        claim_submit(
            actor=None,
            membership=member(),
            claim_type=ClaimType.JKM,
            event_date=date(2026, 5, 1),
            filed_on=date(2026, 4, 30),
            claimant_name="Siti",
            today=TODAY,
        )


def _reported(day: date, hours: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 0))) + timedelta(hours=hours)


def test_the_stage_one_finding_exists_only_under_permenaker_1_2025_and_unknown_is_not_late():
    late_2025 = stmb(
        date(2025, 6, 2), date(2025, 6, 20), event_time=time(8, 0), stage1_reported_at=_reported(date(2025, 6, 2), 49)
    )
    on_time_2025 = stmb(
        date(2025, 6, 2), date(2025, 6, 20), event_time=time(8, 0), stage1_reported_at=_reported(date(2025, 6, 2), 47)
    )
    late_2021 = stmb(
        date(2021, 6, 2), date(2021, 6, 20), event_time=time(8, 0), stage1_reported_at=_reported(date(2021, 6, 2), 100)
    )
    unknown_2025 = stmb(date(2025, 6, 2), date(2025, 6, 20))

    assert "stage1_late" in codes(late_2025)
    assert "04-06-2025 09:00" in codes(late_2025)["stage1_late"]  # the report time, named
    assert [f["legal_basis"] for f in late_2025.assessment["findings"] if f["code"] == "stage1_late"] == [
        "Permenaker 1/2025"
    ]
    assert "stage1_late" not in codes(on_time_2025)
    assert {"stage1_late", "stage1_unknown"}.isdisjoint(codes(late_2021))
    assert "tidak diketahui" in codes(unknown_2025)["stage1_unknown"]
    assert "stage1_late" not in codes(unknown_2025)
    # None of them stops the claim: the employer bears the benefit, the worker is still covered.
    assert late_2025.assessment["eligible"] is True


# ---------------------------------------------------------------- care caps


def test_jkk_transport_and_home_care_are_capped_with_their_legal_basis_medical_care_is_not(officers):
    claim = claim_submit(
        actor=None,
        membership=member(),
        claim_type=ClaimType.JKK,
        jkk_kind=JkkKind.MEDICAL,
        event_date=date(2026, 6, 2),
        claimant_name="RSUD Siak",
        medical_costs=87_350_000,
        transport_costs=7_250_000,
        transport_mode="darat",
        home_care_costs=26_000_000,
        today=date(2026, 6, 20),
    )
    complete_file(claim)
    with_accounts(claim)
    verifier, approver = officers
    claim_verify(actor=verifier, claim=claim, today=date(2026, 6, 20))
    claim = claim_approve(actor=approver, claim=claim, today=date(2026, 6, 20))

    items = {item["component"]: (item["amount"], item["legal_basis"]) for item in claim.benefits["items"]}
    assert items == {
        "medical": (87_350_000, "PP 44/2015; PP 82/2019"),
        "transport": (5_000_000, "PP 82/2019 Lampiran III"),
        "home_care": (20_000_000, "PP 82/2019 Lampiran III"),
    }
    assert claim.total == 112_350_000


# ---------------------------------------------------------------- shares


def _three_heirs(membership):
    person = membership.person
    person.relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1990, 1, 1))
    person.relatives.create(relation="child", name="Adi", birth_date=date(2012, 1, 1))
    person.relatives.create(relation="child", name="Ani", birth_date=date(2014, 1, 1))


def test_shares_follow_the_heir_statement_to_the_rupiah(officers):
    verifier, approver = officers
    membership = member()
    _three_heirs(membership)
    claim = jkm(membership)
    heirs = {heir.name: heir for heir in claim.heirs.all()}
    assert set(heirs) == {"Siti Aminah", "Adi", "Ani"}
    wrong = {heirs["Siti Aminah"].pk: 21_000_000, heirs["Adi"].pk: 10_500_000, heirs["Ani"].pk: 10_499_999}
    with pytest.raises(ValidationError, match="selisih Rp1"):
        heir_shares_set(
            actor=approver, claim=claim, shares=wrong, source=ShareSource.HEIR_STATEMENT, reference="1/2026"
        )
    right = {heirs["Siti Aminah"].pk: 21_000_000, heirs["Adi"].pk: 10_500_000, heirs["Ani"].pk: 10_500_000}
    with pytest.raises(ValidationError, match="nomor dan tanggal"):
        heir_shares_set(actor=approver, claim=claim, shares=right, source=ShareSource.HEIR_STATEMENT, reference="")
    heir_shares_set(
        actor=approver,
        claim=claim,
        shares=right,
        source=ShareSource.HEIR_STATEMENT,
        reference="474/12/Kel-Kp/2026, 25-05-2026",
    )
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=TODAY)
    claim = claim_approve(actor=approver, claim=claim, today=TODAY)

    assert sorted(claim.payouts.values_list("payee", "amount")) == [
        ("Adi", 10_500_000),
        ("Ani", 10_500_000),
        ("Siti Aminah", 21_000_000),
    ]
    assert set(claim.heirs.values_list("share_source", flat=True)) == {ShareSource.HEIR_STATEMENT}


def test_without_a_statement_equal_shares_are_the_marked_default(officers):
    verifier, approver = officers
    membership = member()
    _three_heirs(membership)
    claim = jkm(membership)
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=TODAY)
    claim = claim_approve(actor=approver, claim=claim, today=TODAY)
    assert sorted(claim.heirs.values_list("amount", "share_source")) == [
        (14_000_000, ShareSource.DEFAULT),
        (14_000_000, ShareSource.DEFAULT),
        (14_000_000, ShareSource.DEFAULT),
    ]


def test_a_scholarship_is_paid_per_child_to_the_guardians_account_never_shared(officers):
    verifier, approver = officers
    membership = member(starts_on="2015-01-01")
    _three_heirs(membership)
    children = {child.name: child for child in membership.person.relatives.filter(relation="child")}
    claim = claim_submit(
        actor=None,
        membership=membership,
        claim_type=ClaimType.SCHOLARSHIP,
        event_date=date(2026, 2, 3),
        school_year=2026,
        claimant_name="Siti Aminah",
        children=[
            {
                "relative": children["Adi"].pk,
                "level": "smp",
                "guardian": "Siti Aminah",
                "bank": "BRI",
                "account": "111",
            },
            {
                "relative": children["Ani"].pk,
                "level": "sd",
                "guardian": "Rahmat (paman)",
                "bank": "BNI",
                "account": "222",
            },
        ],
        today=date(2026, 7, 15),
    )
    complete_file(claim)
    claim_verify(actor=verifier, claim=claim, today=date(2026, 7, 15))
    claim = claim_approve(actor=approver, claim=claim, today=date(2026, 7, 15))

    assert list(claim.payouts.values_list("payee", "beneficiary", "bank", "account", "amount")) == [
        ("Siti Aminah", "Adi", "BRI", "111", 2_000_000),
        ("Rahmat (paman)", "Ani", "BNI", "222", 1_500_000),
    ]


# ---------------------------------------------------------------- death ends membership


def test_an_approved_death_ends_the_membership_and_reverses_the_months_billed_after_it(officers):
    verifier, approver = officers
    serial = next(SERIALS)
    membership = enrol(sponsor(), serial, wage="3.000.000", programs="jkk,jkm", starts_on="2026-01-01")
    neighbour = enrol(membership.sponsor, next(SERIALS), wage="3.000.000", programs="jkk,jkm", starts_on="2026-01-01")
    for period in ("2026-03", "2026-04", "2026-05"):
        billing_run(actor=None, period=period, today=date(2026, 3, 1))
    claim = jkm(membership, event_date=date(2026, 3, 10), today=date(2026, 3, 20))
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim, today=date(2026, 3, 20))
    claim_approve(actor=approver, claim=claim, today=date(2026, 3, 20))

    membership.refresh_from_db()
    membership.person.refresh_from_db()
    assert (membership.ends_on, membership.status) == (date(2026, 3, 10), MembershipStatus.ENDED)
    assert membership.person.died_on == date(2026, 3, 10)

    def billed(target, period):
        return sum(InvoiceLine.objects.filter(membership=target, period=period).values_list("amount", flat=True))

    # March, the month of the death, stays billed; April and May are reversed to nothing.
    assert billed(membership, "2026-03") > 0
    assert (billed(membership, "2026-04"), billed(membership, "2026-05")) == (0, 0)
    assert InvoiceLine.objects.filter(membership=membership, period="2026-04", amount__lt=0).exists()
    # The next month bills nothing for her, and her colleague is untouched.
    billing_run(actor=None, period="2026-06", today=date(2026, 6, 1))
    assert not InvoiceLine.objects.filter(membership=membership, period="2026-06").exists()
    assert billed(neighbour, "2026-04") == billed(neighbour, "2026-06") > 0

    with pytest.raises(ValidationError, match="tercatat meninggal pada 10-03-2026"):
        enrol(sponsor(), serial, starts_on="2026-07-01", today=date(2026, 7, 1))
