"""The demo loader bills six months and records payments once; a second call changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.contributions.demo import demo_contributions_ensure
from lindung.contributions.models import Invoice, Payment
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
    assert demo_contributions_ensure(date(2026, 11, 21)) is None
