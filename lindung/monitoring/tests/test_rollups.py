"""Rollups against a direct count, and kept exact by payments, imports, billing and claims."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import pytest
from django.db import transaction
from django.db.models import Q, Sum

from lindung.claims import services as claim_services
from lindung.claims.models import Claim, ClaimType
from lindung.claims.tests.factories import complete_file, with_accounts
from lindung.contributions.ledger import ledger_for
from lindung.contributions.models import Allocation, InvoiceLine, LineKind
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.services import billing_run, reverse_after_end
from lindung.monitoring import selectors
from lindung.monitoring.models import CoverageRollup, MoneyRollup
from lindung.monitoring.rollups import age_band, refresh_rollups
from lindung.monitoring.selectors import Place
from lindung.regions import codes
from lindung.regions.models import Region
from lindung.registry.models import Membership, Sponsor
from lindung.registry.services import person_record_death
from lindung.registry.tests.factories import DAYUN, DAYUN_VILLAGE, SIAK, enrol, self_paying_bpu, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 20)
MONTHS = [Period(2026, 1), Period(2026, 2), Period(2026, 3)]
LEVELS = ["", "14", SIAK, DAYUN, DAYUN_VILLAGE, "14.72"]


class Members(NamedTuple):
    pemda: Sponsor
    pemdes: Sponsor
    bpu: Membership


def a_region_with_members() -> Members:
    """A Pemda's staff at the kabupaten, a Pemdes's officials in a kampung, a self-paying BPU worker;
    three months billed; the Pemda pays January, the BPU worker January, the Pemdes nothing."""
    pemda = sponsor()
    for serial in (1, 2, 3):
        enrol(pemda, serial, sex="LP"[serial % 2], born=date(1960 + 10 * serial, 3, 15))
    pemdes = sponsor("Pemerintah Kampung Dayun", kind="pemdes", region=DAYUN_VILLAGE)
    for serial in (4, 5):
        enrol(pemdes, serial, category="perangkat_desa")
    bpu = self_paying_bpu()
    for month in MONTHS:
        billing_run(actor=None, period=str(month), today=TODAY)
    january = ledger_for(Q(sponsor=pemda)).invoices[0]
    payment_record(actor=None, payer=Payer(sponsor=pemda), paid_on=date(2026, 2, 10), amount=january.total)
    payment_record(actor=None, payer=Payer(person=bpu.person), paid_on=date(2026, 1, 5), amount=16_800)
    return Members(pemda, pemdes, bpu)


def direct_count(code: str, period: Period) -> tuple[int, int]:
    """(registered, active) counted membership by membership from the registry and the ledger."""
    first, last = period.first_day, period.shifted(1).first_day - timedelta(days=1)
    registered = active = 0
    for membership in Membership.objects.all():
        if membership.starts_on > last or (membership.ends_on and membership.ends_on < first):
            continue
        term_day = min(last, membership.ends_on or last)
        version = membership.versions.filter(effective_from__lte=term_day).order_by("-effective_from").first()
        assert version is not None
        location = version.work_village_id or membership.region_id
        if code and not codes.is_within(location, code):
            continue
        registered += 1
        active += _paid(membership, period)
    return registered, active


def _paid(membership: Membership, period: Period) -> bool:
    for line in InvoiceLine.objects.filter(membership=membership, period=str(period), kind=LineKind.CONTRIBUTION):
        total = InvoiceLine.objects.filter(invoice_id=line.invoice_id).aggregate(s=Sum("amount"))["s"]
        paid = Allocation.objects.filter(invoice_id=line.invoice_id).aggregate(s=Sum("amount"))["s"] or 0
        if total > 0 and paid >= total:
            return True
    return False


Snapshot = tuple[dict[tuple[str, ...], tuple[int, ...]], dict[tuple[str, ...], tuple[int, ...]]]


def snapshot() -> Snapshot:
    coverage: dict[tuple[str, ...], tuple[int, ...]] = {
        (r.region_code, r.period, r.dimension, r.value): (r.registered, r.active, r.officials, r.officials_active)
        for r in CoverageRollup.objects.all()
        if r.registered or r.active or r.officials or r.officials_active
    }
    money: dict[tuple[str, ...], tuple[int, ...]] = {
        (r.region_code, r.period, r.program): (r.billed, r.collected, r.claims, r.claims_paid)
        for r in MoneyRollup.objects.all()
        if r.billed or r.collected or r.claims or r.claims_paid
    }
    return coverage, money


def rebuilt() -> Snapshot:
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    return snapshot()


def test_coverage_equals_a_direct_count_at_every_level_and_month():
    a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)

    for period in MONTHS:
        for code in LEVELS:
            place = Place(code, code, codes.level_of(code) if code else 0)
            total = selectors.coverage(place, period).total
            assert (total.registered, total.active) == direct_count(code, period), (code, period)
    # The figures the test checks are not empty: 6 registered everywhere; January paid by the Pemda and BPU.
    assert direct_count("", MONTHS[0]) == (6, 4)
    assert direct_count(DAYUN_VILLAGE, MONTHS[1]) == (3, 0)


def test_the_children_and_dimensions_add_up_and_the_kabupaten_shows_what_is_administered_there():
    a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)

    figures = selectors.coverage(Place(SIAK, "Siak", 2), Period(2026, 1))

    dayun = next(child for child in figures.children if child.code == DAYUN)
    assert (dayun.registered, dayun.active) == (3, 1)
    assert figures.unplaced is not None
    assert (figures.unplaced.registered, figures.unplaced.active) == (3, 3)
    assert sum(row.registered for row in figures.by["sex"]) == figures.total.registered == 6
    bands = {row.code: row.registered for row in figures.by["age_band"]}
    assert bands["55+"] == 1  # born 1970-03-15, 55 on 1 January 2026
    assert age_band(date(1970, 3, 15), date(2026, 1, 1)) == "55+"
    assert age_band(date(2001, 1, 2), date(2026, 1, 1)) == "<25"
    assert age_band(date(2001, 1, 1), date(2026, 1, 1)) == "25-34"


def test_village_protection_lists_exactly_the_villages_without_protected_officials():
    members = a_region_with_members()
    pemdes = members.pemdes
    january = ledger_for(Q(sponsor=pemdes)).invoices[0]
    payment_record(actor=None, payer=Payer(sponsor=pemdes), paid_on=date(2026, 2, 1), amount=january.total)
    refresh_rollups(first=Period(2026, 1), today=TODAY)

    districts = selectors.village_protection(Place(SIAK, "Siak", 2), Period(2026, 1))

    protected = {v.code for d in districts for v in d.villages if v.protected}
    unprotected = {v.code for d in districts for v in d.villages if not v.protected}
    assert protected == {DAYUN_VILLAGE}
    desa = set(Region.objects.filter(regency_code=SIAK, level=4, kind="desa").values_list("code", flat=True))
    assert unprotected == desa - {DAYUN_VILLAGE}
    # Kecamatan with most unprotected villages first; Dayun has one protected.
    counts = [len(d.unprotected) for d in districts]
    assert counts == sorted(counts, reverse=True)
    # February is billed but unpaid: registered officials, nobody protected.
    february = selectors.village_protection(Place(SIAK, "Siak", 2), Period(2026, 2))
    village = next(v for d in february for v in d.villages if v.code == DAYUN_VILLAGE)
    assert (village.officials, village.protected_officials, village.protected) == (2, 0, False)


def test_rollups_stay_exact_after_a_payment_an_import_a_billing_run_and_a_claim():
    members = a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    before = snapshot()

    pemda = members.pemda
    payment_record(actor=None, payer=Payer(sponsor=pemda), paid_on=date(2026, 4, 1), amount=500_000)
    after_payment = snapshot()
    assert after_payment != before
    assert after_payment == rebuilt()

    enrol(pemda, 9, starts_on="2026-02-01", today=TODAY)
    after_import = snapshot()
    # Born 17 May 1990, not paid for: one more registered in Siak's February, in each of its breakdowns.
    rows = [(SIAK, "2026-02", "", ""), (SIAK, "2026-02", "age_band", "35-44"), (SIAK, "2026-02", "sex", "L")]
    change = [tuple(after_import[0][row][i] - after_payment[0].get(row, (0, 0))[i] for i in (0, 1)) for row in rows]
    assert change == [(1, 0), (1, 0), (1, 0)]
    assert after_import == rebuilt()

    billing_run(actor=None, period="2026-03", sponsor=pemda, today=TODAY)
    assert snapshot() == rebuilt()

    claim = _paid_claim(members.bpu.person.memberships.get())
    after_claim = snapshot()
    assert after_claim[1][("", "2026-04", ClaimType.JKM)] == (0, 0, 1, claim.total)
    assert after_claim == rebuilt()


def _paid_claim(membership: Membership) -> Claim:
    from lindung.accounts.models import User
    from lindung.accounts.roles import Role

    verifier = User.objects.create(username="verifier", role=Role.ADMIN)
    approver = User.objects.create(username="approver", role=Role.ADMIN)
    claim = claim_services.claim_submit(
        actor=verifier,
        membership=membership,
        claim_type=ClaimType.JKM,
        event_date=date(2026, 1, 20),
        claimant_name="Siti",
        claimant_relation="spouse",
        today=TODAY,
    )
    complete_file(claim)
    with_accounts(claim)
    claim = claim_services.claim_verify(actor=verifier, claim=claim, today=TODAY)
    claim = claim_services.claim_approve(actor=approver, claim=claim, today=TODAY)
    return claim_services.claim_pay(
        actor=approver, claim=claim, reference="TRF-001", paid_on=date(2026, 4, 15), today=TODAY
    )


def _approved_death(membership: Membership, event_date: date) -> Claim:
    from lindung.accounts.models import User
    from lindung.accounts.roles import Role

    verifier, _ = User.objects.get_or_create(username="verifier-2", defaults={"role": Role.ADMIN})
    approver, _ = User.objects.get_or_create(username="approver-2", defaults={"role": Role.ADMIN})
    claim = claim_services.claim_submit(
        actor=verifier,
        membership=membership,
        claim_type=ClaimType.JKM,
        event_date=event_date,
        claimant_name="Keluarga",
        today=TODAY,
    )
    complete_file(claim)
    with_accounts(claim)
    claim_services.claim_verify(actor=verifier, claim=claim, today=TODAY)
    return claim_services.claim_approve(actor=approver, claim=claim, today=TODAY)


def test_rollups_stay_exact_when_a_death_reverses_months_of_a_paid_and_of_a_nearly_paid_invoice():
    members = a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    pemda, pemdes = members.pemda, members.pemdes
    owed = sum(balance.total for balance in ledger_for(Q(sponsor=pemda)).invoices[1:])
    payment_record(actor=None, payer=Payer(sponsor=pemda), paid_on=date(2026, 3, 20), amount=owed)
    # The Pemdes pays January and February short of half of one official's February contribution:
    # February is not paid in full until that official's February is reversed.
    official = pemdes.memberships.order_by("id").first()
    assert official is not None
    january, february = ledger_for(Q(sponsor=pemdes)).invoices[:2]
    share = sum(InvoiceLine.objects.filter(membership=official, period="2026-02").values_list("amount", flat=True))
    amount = january.total + february.total - share // 2
    payment_record(actor=None, payer=Payer(sponsor=pemdes), paid_on=date(2026, 3, 20), amount=amount)
    assert snapshot() == rebuilt()
    active_before = snapshot()[0][(SIAK, "2026-02", "", "")][1]

    # A Pemda official dies in January: February and March are reversed on a paid invoice.
    _approved_death(pemda.memberships.order_by("id")[0], date(2026, 1, 20))
    assert snapshot() == rebuilt()
    # A Pemdes official dies in January (her claim would be held by the arrears; the death is
    # recorded): her February is reversed, February turns paid in full, and her colleague is protected.
    with transaction.atomic():
        ended = person_record_death(actor=None, person=official.person, died_on=date(2026, 1, 20), basis="Akta")
        reverse_after_end(membership_ids=[m.pk for m in ended], ended_on=date(2026, 1, 20), today=TODAY)
    after = snapshot()
    assert after == rebuilt()
    # Counted member by member from the registry and the ledger: the Pemda official is no longer active.
    assert after[0][(SIAK, "2026-02", "", "")][:2] == direct_count(SIAK, Period(2026, 2))
    assert after[0][(SIAK, "2026-02", "", "")][1] == active_before - 1 + 1
