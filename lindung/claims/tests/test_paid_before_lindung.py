"""A claim for a month the Pemda paid the agency before Lindung is eligible; an unpaid one is not."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims.models import ClaimType
from lindung.claims.services import claim_submit
from lindung.contributions.prior import billing_start_set, prior_import
from lindung.registry.tests.factories import enrol, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db


def test_a_death_in_2020_of_a_worker_paid_for_since_2019_is_eligible(tmp_path):
    UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])
    officer = User.objects.get(username="cabang-siak")
    payer = sponsor()
    values = {"segment": "bpu", "category": "pekerja_rentan", "wage": "1.000.000", "risk_class": "", "funding": "apbd"}
    paid = enrol(payer, 1, starts_on="2019-01-01", today=date(2019, 1, 2), **values)
    unpaid = enrol(payer, 2, starts_on="2019-01-01", today=date(2019, 1, 2), **values)
    billing_start_set(actor=officer, sponsor=payer, bills_from=Period(2026, 1))
    path = tmp_path / "riwayat.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bulan", "tanggal_bayar"])
        writer.writerows([[f"2020-{month:02d}", f"2020-{month:02d}-10"] for month in range(1, 13) if month != 7])
    prior_import(actor=officer, sponsor=payer, path=path, source="Cabang Siak, riwayat iuran 2020")

    def jkm(membership, event_date):
        return claim_submit(
            actor=None,
            membership=membership,
            claim_type=ClaimType.JKM,
            event_date=event_date,
            claimant_name="Siti",
            today=date(2020, 8, 20),
        )

    june = jkm(paid, date(2020, 6, 15))
    assert june.assessment["eligible"] is True
    assert "not_covered" not in {finding["code"] for finding in june.assessment["findings"]}
    july = jkm(unpaid, date(2020, 7, 15))  # July 2020 is not in the agency's history
    assert july.assessment["eligible"] is False
    assert "tidak ada catatan pembayaran" in july.assessment["findings"][0]["text"]
