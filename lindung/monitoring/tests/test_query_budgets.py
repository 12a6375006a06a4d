"""Query budgets: monitoring pages and endpoints read the rollups, so more members cost no more queries."""

from itertools import count

import pytest

from lindung.contributions.services import billing_run
from lindung.monitoring.rollups import refresh_rollups
from lindung.monitoring.tests.test_rollups import MONTHS, TODAY, a_region_with_members
from lindung.registry.tests.factories import enrol
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
serials = count(400)
PAGES = ["", "desa/", "keuangan/", "komitmen/", "peringkat/"]
ENDPOINTS = ["coverage", "villages", "money", "commitment", "ranking"]


@pytest.fixture
def members():
    found = a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    return found


def more_members(members):
    def grow():
        for _ in range(10):
            enrol(members.pemda, next(serials), category="non_asn")
            enrol(members.pemdes, next(serials), category="perangkat_desa")
        for month in MONTHS:
            billing_run(actor=None, period=str(month), today=TODAY)

    return grow


# Siak's five pages: 75, and one more since the village list looks for a register of officials.
@pytest.mark.parametrize(("code", "budget"), [("nasional", 14), ("14", 16), ("14.08", 76)])
def test_monitoring_pages(queries, login, riau_monitor, admin_user, members, code, budget):
    client = login(admin_user if code == "nasional" else riau_monitor)

    def pages():
        for page in PAGES if code == "14.08" else [""]:
            assert client.get(f"/pantau/{code}/{page}?periode=2026-02").status_code == 200

    queries.flat(pages, grow=more_members(members), budget=budget)  # Siak: five pages


def test_monitoring_endpoints(queries, api, riau_monitor, members):
    client = api(riau_monitor)

    def endpoints():
        for endpoint in ENDPOINTS:
            assert client.get(f"/api/v1/monitoring/14.08/{endpoint}?period=2026-02").status_code == 200

    queries.flat(endpoints, grow=more_members(members), budget=59)
