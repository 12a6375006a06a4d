"""The demo loader bills six months and records payments once; a second call changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.contributions.demo import demo_contributions_ensure
from lindung.contributions.models import BillingStart, Invoice, Payment, PriorPayment
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db


def test_demo_contributions_bill_six_months_and_pay_once():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    result = demo_contributions_ensure(date(2026, 11, 21))
    assert result is not None
    assert sorted(Invoice.objects.values_list("period", flat=True)) == [f"2026-{m:02d}" for m in range(5, 11)]
    assert result["payments"] == Payment.objects.exclude(sponsor__isnull=True).count()
    assert Payment.objects.filter(sponsor__isnull=True, person__isnull=True).count() == 1
    # Pemkab Siak's history before Lindung: every month with members from January 2019 to the first
    # billed one (here the member started in January 2026).
    assert result["months_paid_before_lindung"] == 4
    assert BillingStart.objects.get(sponsor=siak).bills_from == "2026-05"
    march = PriorPayment.objects.get(sponsor=siak, period="2026-03")
    assert (march.members, march.amount) == (1, 14_850)
    assert not PriorPayment.objects.filter(sponsor=siak, period="2025-12").exists()
    assert demo_contributions_ensure(date(2026, 11, 21)) is None
