"""Months a sponsor paid the agency before Lindung count its members active in the rollups, and the
writes that record them (history file, billing start) keep the rollups equal to a rebuild."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.contributions.prior import billing_start_set, prior_import
from lindung.monitoring.models import CoverageRollup
from lindung.monitoring.rollups import refresh_rollups
from lindung.monitoring.tests.test_rollups import snapshot
from lindung.registry.tests.factories import enrol, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
FIRST, LAST = Period(2020, 1), Period(2020, 12)
TODAY = date(2026, 7, 1)


def siak_total(period: str) -> tuple[int, int]:
    row = CoverageRollup.objects.get(region_code="14.08", period=period, dimension="", value="")
    return row.registered, row.active


def test_history_before_lindung_turns_its_months_active_and_follows_like_a_rebuild(tmp_path):
    UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])
    officer = User.objects.get(username="cabang-siak")
    payer = sponsor()
    for serial in range(1, 4):
        enrol(payer, serial, starts_on="2019-01-01", today=date(2019, 1, 2))
    bpu = {"segment": "bpu", "category": "pekerja_rentan", "wage": "1.000.000", "risk_class": "", "funding": "apbd"}
    enrol(payer, 9, starts_on="2020-05-01", today=date(2020, 5, 2), **bpu)
    refresh_rollups(first=FIRST, last=LAST, today=TODAY)
    assert siak_total("2020-06") == (4, 0)  # registered, nothing paid through Lindung

    billing_start_set(actor=officer, sponsor=payer, bills_from=Period(2026, 1))
    path = tmp_path / "riwayat.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bulan", "peserta"])
        writer.writerows([[f"2020-{month:02d}", "4"] for month in range(1, 13) if month != 9])
    prior_import(actor=officer, sponsor=payer, path=path, source="Cabang Siak")

    followed = snapshot()
    assert siak_total("2020-06") == (4, 4)
    assert siak_total("2020-03") == (3, 3)  # the BPU worker started in May
    assert siak_total("2020-09") == (4, 0)  # no record for September
    refresh_rollups(first=FIRST, last=LAST, today=TODAY)
    assert snapshot() == followed

    # Moving the billing start back to 2020-07 hands July on to Lindung's own (empty) ledger.
    billing_start_set(actor=officer, sponsor=payer, bills_from=Period(2020, 7))
    assert siak_total("2020-06") == (4, 4)
    assert siak_total("2020-08") == (4, 0)
    followed = snapshot()
    refresh_rollups(first=FIRST, last=LAST, today=TODAY)
    assert snapshot() == followed
