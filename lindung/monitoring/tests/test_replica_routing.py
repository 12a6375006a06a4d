"""With a read replica configured, monitoring reads go to it; writes, transactions and a user who
has just written stay on the primary (lindung.core.replica).

The replica alias of the test settings mirrors the test database (another connection to it), so
these tests commit (transaction=True) and switch the router on themselves.
"""

from __future__ import annotations

import time

import pytest
from django.db import connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.conftest import load_regions_if_missing
from lindung.core.replica import REPLICA, SESSION_KEY, read_alias, replica_reads
from lindung.monitoring import selectors
from lindung.monitoring.rollups import refresh_rollups
from lindung.registry.models import Sponsor
from lindung.registry.services import sponsor_create
from lindung.registry.tests.factories import enrol, sponsor
from lindung.rules.periods import Period

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.usefixtures("router_on"),
]
PERIOD = Period(2026, 2)


@pytest.fixture
def router_on():
    load_regions_if_missing()
    with override_settings(DATABASE_ROUTERS=["lindung.core.replica.ReplicaRouter"]):
        yield


@pytest.fixture
def admin():
    return UserFactory.create(username="admin-replica", role=Role.ADMIN, regions=[])


def _captured(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def test_monitoring_selectors_read_from_the_replica(admin):
    enrol(sponsor(), 1)
    refresh_rollups(first=Period(2026, 1), last=PERIOD)
    place = selectors.place_get(actor=admin, code="14.08")

    with _captured(REPLICA) as on_replica, _captured("default") as on_primary:
        figures = selectors.coverage(place, PERIOD)

    assert figures.total.registered == 1  # the replica holds what the primary committed
    assert on_replica.captured_queries
    assert not on_primary.captured_queries


def test_writes_and_reads_inside_a_transaction_never_touch_the_replica(admin):
    with _captured(REPLICA) as on_replica, replica_reads():
        sponsor_create(actor=None, kind="pemda", name="Pemerintah Kota Dumai", region_code="14.72")
        with transaction.atomic():
            assert read_alias() == "default"
            Sponsor.objects.filter(name="Kota Dumai inside").count()

    assert Sponsor.objects.filter(name="Pemerintah Kota Dumai").exists()
    statements = [query["sql"].lstrip().split()[0].upper() for query in on_replica.captured_queries]
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)
    assert not any("Kota Dumai inside" in query["sql"] for query in on_replica.captured_queries)


def test_reads_not_asked_for_the_replica_stay_on_the_primary():
    with _captured(REPLICA) as on_replica:
        Sponsor.objects.count()
    assert read_alias() == "default"
    assert not on_replica.captured_queries


def test_a_monitoring_page_reads_the_replica_until_its_user_writes(admin):
    client = Client()
    client.force_login(admin)
    with _captured(REPLICA) as on_replica:
        assert client.get("/pantau/14/").status_code == 200
    assert on_replica.captured_queries

    # A successful write pins the user to the primary for REPLICA_STICKY_SECONDS.
    assert client.post("/i18n/setlang/", {"language": "id", "next": "/"}).status_code == 302
    assert time.time() - client.session[SESSION_KEY] < 5
    with _captured(REPLICA) as after_write:
        assert client.get("/pantau/14/").status_code == 200
    assert not after_write.captured_queries


def test_the_pin_to_the_primary_ends_after_the_sticky_seconds(admin):
    client = Client()
    client.force_login(admin)
    session = client.session
    session[SESSION_KEY] = time.time() - 3600
    session.save()
    with _captured(REPLICA) as on_replica:
        assert client.get("/pantau/14/").status_code == 200
    assert on_replica.captured_queries


def test_without_a_replica_in_use_a_write_leaves_the_session_alone(admin):
    client = Client()
    client.force_login(admin)
    with override_settings(DATABASE_ROUTERS=[]):
        assert client.post("/i18n/setlang/", {"language": "id", "next": "/"}).status_code == 302
    assert SESSION_KEY not in client.session


def test_an_api_client_writing_gets_no_session_of_its_own(admin, api):
    from django.contrib.sessions.models import Session

    before = Session.objects.count()
    answer = api(admin).post("/api/v1/sponsors", {"kind": "pemda", "name": "Pemerintah Kota Dumai", "region": "14.72"},
                             content_type="application/json")  # fmt: skip
    assert answer.status_code == 201
    assert Session.objects.count() == before
