"""`lindung bench dashboard --members 1000000`: the server time of the national, province and
kabupaten coverage pages over N memberships, beside the database's own floor.

The bench members are spread over every village of the country (each one's region is a village,
round-robin), with both sexes, birth years 1960-2005 and four categories, so the rollup tables
have the shape national data gives them. They are created once (set-based) and reused. The
rollups are rebuilt for `months` months, then each page is requested through Django's test client
(middleware, selectors, template) several times; the median is reported. The floor is the same
pages' SQL statements run again directly; beside it, one COUNT of the running memberships of the
month shows what a page would cost if it scanned them instead of the rollups.
"""

from __future__ import annotations

import statistics
import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.core.benches import Bench
from lindung.monitoring.rollups import RefreshOutcome, months_between, refresh_rollups
from lindung.registry.bench_members import ensure_members
from lindung.registry.models import Membership, Sponsor
from lindung.registry.services import sponsor_create
from lindung.rules.periods import Period

BENCH_SPONSOR = "Bench dashboard (Lindung)"
BENCH_USER = "bench-dashboard"
PAGES = (("national", "nasional"), ("province", "14"), ("kabupaten", "14.08"))
REPEATS = 7


def bench_dashboard(*, members: int, months: int) -> dict[str, Any]:
    """Create the members if needed, rebuild the rollups, and time the three pages."""
    sponsor = _bench_sponsor()
    ensure_members(sponsor, members)
    today = timezone.localdate()
    last = Period(today.year, today.month)
    started = time.perf_counter()
    month_seconds: list[float] = []

    def each_month(_month: str, _outcome: RefreshOutcome) -> None:
        month_seconds.append(time.perf_counter() - started - sum(month_seconds))

    outcome = refresh_rollups(first=last.shifted(1 - months), last=last, progress=each_month)
    refresh_seconds = time.perf_counter() - started
    analyze_rollups()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bench_user())
    period = str(last.shifted(-1))
    pages = {name: time_page(client, f"/pantau/{code}/?periode={period}") for name, code in PAGES}
    return {
        "bench": "dashboard",
        "database": connection.vendor,
        "members": Membership.objects.filter(sponsor=sponsor).count(),
        "months": len(months_between(last.shifted(1 - months), last)),
        "refresh_rollups_seconds": round(refresh_seconds, 2),
        "refresh_month_seconds_max": round(max(month_seconds), 2),
        "refresh_month_seconds_goal": 20,
        "coverage_rollup_rows": outcome.coverage_rows,
        "rollup_storage_mb": rollup_storage_mb(),
        "rollup_storage_goal_mb": 1024,
        "pages_ms": pages,
        "goal_ms": 300,
        "direct_count_ms": direct_count_ms(Period.parse(period)),
    }


def time_page(client: Client, url: str) -> dict[str, Any]:
    client.get(url)  # warm: the first request loads templates and translations
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        "server_ms": round(statistics.median(timings), 1),
        "queries": len(captured.captured_queries),
        "floor_sql_ms": replay_ms([query["sql"] for query in captured.captured_queries]),
    }


def replay_ms(statements: list[str]) -> float:
    """The captured statements (already with their values) run again: the database's share of a page."""
    reset_queries()
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                if sql.lstrip().upper().startswith("SELECT"):
                    cursor.execute(sql)
                    cursor.fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    return round(min(runs), 1)


def direct_count_ms(period: Period) -> float:
    """One COUNT of the memberships running in the month: the scan a page without rollups would need."""
    last_day = period.shifted(1).first_day.toordinal() - 1
    started = time.perf_counter()
    Membership.objects.filter(starts_on__lte=date.fromordinal(last_day)).exclude(ends_on__lt=period.first_day).count()
    return round((time.perf_counter() - started) * 1000, 1)


def rollup_storage_mb() -> float | None:
    """The rollup tables with their indexes and TOAST, on PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('monitoring_coveragerollup') "
            "+ pg_total_relation_size('monitoring_moneyrollup')"
        )
        (size,) = cursor.fetchone() or (0,)
        return round(size / 1024 / 1024, 1)


def analyze_rollups() -> None:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitoring_coveragerollup, monitoring_moneyrollup")


def bench_user() -> User:
    user, _created = User.objects.get_or_create(username=BENCH_USER, defaults={"role": Role.ADMIN})
    return user


def _bench_sponsor() -> Sponsor:
    found = Sponsor.objects.filter(name=BENCH_SPONSOR).first()
    return found or sponsor_create(actor=None, kind="csr", name=BENCH_SPONSOR, region_code="14.08")


def _dashboard_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12, help="Months of rollups to build (default 12).")


def _run_dashboard(options: dict[str, Any]) -> dict[str, Any]:
    if options["members"] <= 0 or options["months"] <= 0:
        raise CommandError("--members, --months: must be more than zero.", returncode=2)
    return bench_dashboard(members=options["members"], months=options["months"])


BENCH = Bench(
    "dashboard",
    "Time the national, province and kabupaten monitoring pages over N memberships.",
    _dashboard_arguments,
    _run_dashboard,
)
