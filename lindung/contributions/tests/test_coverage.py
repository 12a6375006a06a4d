"""Coverage derived from invoices and payments: BPU lapse, PU held while the employer is in arrears."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.contributions.coverage import Status, covered_on, membership_months
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.services import billing_run
from lindung.registry.tests.factories import enrol, self_paying_bpu, sponsor

pytestmark = pytest.mark.django_db


def bill_months(*periods: str) -> None:
    for period in periods:
        billing_run(actor=None, period=period, today=date(2026, 7, 1))


def test_bpu_is_protected_only_in_paid_months_and_ends_after_more_than_three_unpaid_months():
    member = self_paying_bpu()
    bill_months("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
    # January paid (16,800 at the lowest band); nothing after.
    payment_record(actor=None, payer=Payer(person=member.person), paid_on=date(2026, 1, 10), amount=16_800)

    statuses = [(str(m.period), m.status) for m in membership_months(member, today=date(2026, 7, 1))]
    assert statuses == [
        ("2026-01", Status.PAID),
        ("2026-02", Status.UNPAID),
        ("2026-03", Status.UNPAID),
        ("2026-04", Status.UNPAID),
        ("2026-05", Status.LAPSED),
        ("2026-06", Status.LAPSED),
        ("2026-07", Status.LAPSED),
    ]
    january = covered_on(member.person.memberships.all(), date(2026, 1, 20), today=date(2026, 7, 1))
    assert (january.covered, january.status) == (True, Status.PAID)
    march = covered_on(member.person.memberships.all(), date(2026, 3, 10), today=date(2026, 7, 1))
    assert (march.covered, march.status) == (False, Status.UNPAID)
    assert "belum dibayar" in march.reason
    may = covered_on(member.person.memberships.all(), date(2026, 5, 10), today=date(2026, 7, 1))
    assert (may.covered, may.status) == (False, Status.LAPSED)
    assert "3" in may.reason


def test_paying_an_arrear_within_three_months_keeps_the_bpu_membership():
    member = self_paying_bpu()
    bill_months("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
    payer = Payer(person=member.person)
    # 8,400 from April under PP 50/2025; January to March 16,800. Paid: January, then March late.
    payment_record(actor=None, payer=payer, paid_on=date(2026, 1, 10), amount=16_800)
    payment_record(actor=None, payer=payer, paid_on=date(2026, 6, 20), amount=16_800 * 2)
    statuses = [m.status for m in membership_months(member, today=date(2026, 7, 1))]
    # Oldest first: the second payment settles February and March; April to June are 3 unpaid months.
    assert statuses[:6] == [Status.PAID, Status.PAID, Status.PAID, Status.UNPAID, Status.UNPAID, Status.UNPAID]
    assert Status.LAPSED not in statuses
    assert statuses[6] == Status.NOT_BILLED


def test_a_pu_member_stays_protected_while_the_employer_is_in_arrears_with_the_claim_held():
    siak = sponsor()
    member = enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-01", today=date(2026, 2, 1))
    billing_run(actor=None, period="2026-02", today=date(2026, 3, 2))

    held = covered_on(member.person.memberships.all(), date(2026, 2, 10), today=date(2026, 3, 20))
    assert (held.covered, held.claim_held, held.status) == (True, True, Status.HELD)
    assert "menunggak" in held.reason
    assert held.membership == member

    # January 16,200, February 16,200 + January's first month of penalty 324.
    payment_record(actor=None, payer=Payer(sponsor=siak), paid_on=date(2026, 3, 20), amount=32_724)
    paid = covered_on(member.person.memberships.all(), date(2026, 2, 10), today=date(2026, 3, 20))
    assert (paid.covered, paid.claim_held, paid.status) == (True, False, Status.PAID)
    assert paid.month is not None
    assert paid.month.paid_on == date(2026, 3, 20)


def test_nobody_is_covered_before_the_membership_starts():
    member = self_paying_bpu()
    answer = covered_on(member.person.memberships.all(), date(2025, 12, 31), today=date(2026, 7, 1))
    assert (answer.covered, answer.status, answer.membership) == (False, Status.NONE, None)
