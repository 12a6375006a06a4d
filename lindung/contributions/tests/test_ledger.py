"""A sponsor's year: billing, late payment and its penalty, partial payment, overpayment carried
forward, reversal. Every figure is worked by hand from ../shared/domain/rules.md.

One PU member, wage 3,000,000, JKK (class 1, 0.24%) and JKM (0.30%): 7,200 + 9,000 = 16,200 a month,
due the 15th of the next month (next working day); late penalty 2% a month of the unpaid
contribution, per started month, billed on the next invoice.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from lindung.contributions.ledger import ledger_for
from lindung.contributions.models import Invoice, InvoiceLine, LineKind, Payment
from lindung.contributions.payments import Payer, payment_record, payment_reverse
from lindung.contributions.services import billing_run
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
MONTH = 16_200


def outstanding(sponsor_id: int) -> dict[str, int]:
    """period -> outstanding for every invoice of the sponsor."""
    ledger = ledger_for(Q(sponsor_id=sponsor_id))
    return {str(balance.period): balance.outstanding for balance in ledger.invoices}


def penalty_lines(period: str) -> list[tuple[str, int]]:
    """(period of the overdue invoice, amount) of the penalty lines billed on `period`'s invoice."""
    rows = InvoiceLine.objects.filter(invoice__period=period, kind=LineKind.PENALTY).order_by("penalty_for__period")
    return list(rows.values_list("penalty_for__period", "amount"))


def test_a_sponsors_year_of_late_partial_over_and_reversed_payments():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    payer = Payer(sponsor=siak)

    # January, billed on 1 February: due Monday 16 February (the 15th is a Sunday).
    billing_run(actor=None, period="2026-01", today=date(2026, 2, 1))
    assert Invoice.objects.get(period="2026-01").due_date == date(2026, 2, 16)
    assert outstanding(siak.pk) == {"2026-01": MONTH}

    # February, billed on 2 March: January's first month of lateness has started -> 2% of 16,200.
    billing_run(actor=None, period="2026-02", today=date(2026, 3, 2))
    assert penalty_lines("2026-02") == [("2026-01", 324)]
    assert outstanding(siak.pk) == {"2026-01": MONTH, "2026-02": MONTH + 324}

    # January paid on 20 March, in its second month of lateness: the oldest invoice is settled first.
    payment_record(actor=None, payer=payer, paid_on=date(2026, 3, 20), amount=MONTH, reference="Iuran Januari")
    assert outstanding(siak.pk) == {"2026-01": 0, "2026-02": MONTH + 324}

    # March, billed on 1 April: January's second month (324 more; 648 in all = 2 x 2% x 16,200) and
    # February's first month (due 16 March, unpaid then: 324).
    billing_run(actor=None, period="2026-03", today=date(2026, 4, 1))
    assert penalty_lines("2026-03") == [("2026-01", 324), ("2026-02", 324)]
    assert outstanding(siak.pk) == {"2026-01": 0, "2026-02": 16_524, "2026-03": 16_848}

    # A partial payment settles part of February; an overpayment the rest of February, all of March
    # (due 15 April, paid the day before: no penalty) and leaves 6,628 of credit.
    payment_record(actor=None, payer=payer, paid_on=date(2026, 4, 10), amount=10_000)
    assert outstanding(siak.pk)["2026-02"] == 6_524
    over = payment_record(actor=None, payer=payer, paid_on=date(2026, 4, 14), amount=30_000)
    assert outstanding(siak.pk) == {"2026-01": 0, "2026-02": 0, "2026-03": 0}
    assert ledger_for(Q(sponsor_id=siak.pk)).credit == 6_628

    # April, billed on 4 May: no new penalty (February was paid by its second month), and the credit
    # is carried to April's invoice.
    billing_run(actor=None, period="2026-04", today=date(2026, 5, 4))
    assert penalty_lines("2026-04") == []
    assert outstanding(siak.pk)["2026-04"] == MONTH - 6_628
    assert ledger_for(Q(sponsor_id=siak.pk)).credit == 0

    # The 30,000 was another sponsor's money: reversed by a new entry, never deleted.
    reversal = payment_reverse(actor=None, payment=over, reason="Salah transfer", on=date(2026, 5, 5))
    assert (reversal.amount, reversal.reverses_id) == (-30_000, over.pk)
    assert Payment.objects.filter(pk=over.pk).exists()
    assert outstanding(siak.pk) == {"2026-01": 0, "2026-02": 6_524, "2026-03": 16_848, "2026-04": MONTH}

    # May, billed on 1 June, with penalties recomputed on what is unpaid now:
    # February (due 16 Mar): 324 + 2% of 6,200 in April and in May = 572, of which 324 billed -> 248.
    # March (due 15 Apr): unpaid at its first and second month -> 2 x 324 = 648.
    # April (due 15 May): unpaid at its first month -> 324.
    billing_run(actor=None, period="2026-05", today=date(2026, 6, 1))
    assert penalty_lines("2026-05") == [("2026-02", 248), ("2026-03", 648), ("2026-04", 324)]
    assert outstanding(siak.pk)["2026-05"] == MONTH + 248 + 648 + 324
    assert sum(outstanding(siak.pk).values()) == 6_524 + 16_848 + MONTH + 17_420

    # Billing May again the same day changes nothing.
    _run, again = billing_run(actor=None, period="2026-05", today=date(2026, 6, 1))
    assert (again.lines, again.penalties) == (0, 0)


def test_a_reversal_cannot_be_reversed_nor_a_payment_reversed_twice():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    payment = payment_record(actor=None, payer=Payer(sponsor=siak), paid_on=date(2026, 4, 1), amount=MONTH)
    reversal = payment_reverse(actor=None, payment=payment, reason="Ganda")
    with pytest.raises(ValidationError):
        payment_reverse(actor=None, payment=payment, reason="Lagi")
    with pytest.raises(ValidationError):
        payment_reverse(actor=None, payment=reversal, reason="Batal")
    with pytest.raises(ValidationError):
        payment_reverse(actor=None, payment=payment, reason=" ")


def test_the_pp49_window_penalty_is_half_a_percent_a_month():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm", starts_on="01-01-2020", today=date(2020, 9, 1))
    # September 2020: PP 49/2020 makes JKK and JKM 1% of normal (72 + 90 = 162), due on the 30th of
    # October; penalty 0.5% a month.
    billing_run(actor=None, period="2020-09", today=date(2020, 11, 2))
    billing_run(actor=None, period="2020-11", today=date(2020, 12, 2))
    september = Invoice.objects.get(period="2020-09")
    assert september.due_date == date(2020, 10, 30)
    line = InvoiceLine.objects.get(invoice__period="2020-11", kind=LineKind.PENALTY)
    # One started month on 162 at 0.5% = 0.81 -> 1 rupiah (half up); two months (30 Oct, 30 Nov) = 1.62 -> 2.
    assert (line.penalty_for_id, line.amount, str(line.rate)) == (september.pk, 2, "0.005000")
    assert "PP 49/2020" in line.legal_basis
