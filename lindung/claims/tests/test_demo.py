"""The demo claims: every type has a paid claim and an open one; loading twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.claims.demo import PLAN, demo_claims_ensure
from lindung.claims.models import Claim, ClaimStatus, ClaimType
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db


def test_demo_claims_cover_every_type_paid_and_open():
    pemkab = sponsor()
    for serial in range(1, len(PLAN) + 1):
        member = enrol(
            pemkab, serial, wage="3.000.000", programs="jkk,jkm", starts_on="2019-01-01", today=date(2019, 1, 1)
        )
        member.person.relatives.create(relation="spouse", name=f"Pasangan {serial}", birth_date=date(1990, 1, 1))
        member.person.relatives.create(relation="child", name=f"Anak {serial}", birth_date=date(2015, 1, 1))
    company = sponsor("PT Sawit Demo", kind="company", npwp="013000666091000")
    enrol(company, 99, starts_on="2021-03-01", today=date(2021, 3, 1))

    assert demo_claims_ensure() is not None
    for claim_type in ClaimType.values:
        statuses = set(Claim.objects.filter(claim_type=claim_type).values_list("status", flat=True))
        assert ClaimStatus.PAID in statuses, claim_type
    assert Claim.objects.filter(status__in=[ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED]).count() >= 3
    assert all(claim.heirs.exists() for claim in Claim.objects.filter(claim_type=ClaimType.JKM, status="dibayar"))
    assert demo_claims_ensure() is None
