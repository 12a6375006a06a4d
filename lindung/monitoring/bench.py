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

import json
import statistics
import time
from argparse import ArgumentParser
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.core.benches import Bench
from lindung.core.db import adapt_value, insert_rows, reserve_ids
from lindung.monitoring.rollups import RefreshOutcome, months_between, refresh_rollups
from lindung.regions.models import Region
from lindung.registry.models import Membership, MembershipVersion, Person, Sponsor
from lindung.registry.services import sponsor_create
from lindung.registry.writer import MEMBERSHIP_COLUMNS, PERSON_COLUMNS, VERSION_COLUMNS
from lindung.rules.periods import Period

BENCH_SPONSOR = "Bench dashboard (Lindung)"
BENCH_USER = "bench-dashboard"
STARTS_ON = date(2025, 1, 1)
CHUNK = 100_000
CATEGORIES = ("pekerja_rentan", "non_asn", "perangkat_desa", "pekerja_mandiri")
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
    _analyze()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_bench_user())
    period = str(last.shifted(-1))
    pages = {name: _time_page(client, f"/pantau/{code}/?periode={period}") for name, code in PAGES}
    return {
        "bench": "dashboard",
        "database": connection.vendor,
        "members": Membership.objects.filter(sponsor=sponsor).count(),
        "months": len(months_between(last.shifted(1 - months), last)),
        "refresh_rollups_seconds": round(refresh_seconds, 2),
        "refresh_month_seconds_max": round(max(month_seconds), 2),
        "refresh_month_seconds_goal": 20,
        "coverage_rollup_rows": outcome.coverage_rows,
        "rollup_storage_mb": _storage_mb(),
        "rollup_storage_goal_mb": 1024,
        "pages_ms": pages,
        "goal_ms": 300,
        "direct_count_ms": _direct_count_ms(Period.parse(period)),
    }


def _time_page(client: Client, url: str) -> dict[str, Any]:
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
        "floor_sql_ms": _replay_ms([query["sql"] for query in captured.captured_queries]),
    }


def _replay_ms(statements: list[str]) -> float:
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


def _direct_count_ms(period: Period) -> float:
    """One COUNT of the memberships running in the month: the scan a page without rollups would need."""
    last_day = period.shifted(1).first_day.toordinal() - 1
    started = time.perf_counter()
    Membership.objects.filter(starts_on__lte=date.fromordinal(last_day)).exclude(ends_on__lt=period.first_day).count()
    return round((time.perf_counter() - started) * 1000, 1)


def _storage_mb() -> float | None:
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


def _analyze() -> None:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitoring_coveragerollup, monitoring_moneyrollup")


def _bench_user() -> User:
    user, _created = User.objects.get_or_create(username=BENCH_USER, defaults={"role": Role.ADMIN})
    return user


def _bench_sponsor() -> Sponsor:
    found = Sponsor.objects.filter(name=BENCH_SPONSOR).first()
    return found or sponsor_create(actor=None, kind="csr", name=BENCH_SPONSOR, region_code="14.08")


@dataclass(frozen=True)
class BenchTerms:
    """What the bench's members are: valid NIKs of their kecamatan and birth date, whose last four
    digits start at `nik_serial_base` (so two benches' people never clash), their segment, wage..."""

    nik_serial_base: int = 8000
    name: str = "Peserta Pantau"
    segment: str = "bpu"
    wage: int = 1_000_000
    risk_class: int | None = None
    funding: str = "apbd"
    categories: tuple[str, ...] = CATEGORIES
    starts_on: date = STARTS_ON


def ensure_members(sponsor: Sponsor, wanted: int, terms: BenchTerms = BenchTerms()) -> None:
    """Give the bench sponsor `wanted` members spread over every village, set-based, once."""
    have = Membership.objects.filter(sponsor=sponsor).count()
    villages = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    if not villages:
        raise RuntimeError("Regions are not loaded: run `lindung load_regions` first.")
    added = have < wanted
    while have < wanted:
        count = min(CHUNK, wanted - have)
        with transaction.atomic():
            _insert_members(sponsor, range(have, have + count), villages, terms)
        have += count
    if added and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # As a real import does (core.db.refresh_statistics): without statistics on the millions of
        # rows just copied in, the planner chose nested loops that ran for ten minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_person, registry_membership, registry_membershipversion")


def _insert_members(sponsor: Sponsor, serials: range, villages: list[str], terms: BenchTerms) -> None:
    now, starts = adapt_value(timezone.now()), adapt_value(terms.starts_on)
    person_ids = reserve_ids(Person, len(serials))
    membership_ids = reserve_ids(Membership, len(serials))
    persons = (
        (
            pid,
            _nik(serial, villages, terms.nik_serial_base),
            f"{terms.name} {serial}",
            f"{terms.name.upper()} {serial}",
            adapt_value(_birth(serial)),
            "LP"[serial % 2],
            villages[serial % len(villages)],
            "",
            now,
            now,
        )
        for pid, serial in zip(person_ids, serials, strict=True)
    )
    insert_rows(Person._meta.db_table, PERSON_COLUMNS, persons)
    memberships = (
        (mid, pid, sponsor.pk, None, village, village[:2], starts, None, "active", now)
        for mid, pid, village in zip(
            membership_ids, person_ids, (villages[s % len(villages)] for s in serials), strict=True
        )
    )
    insert_rows(Membership._meta.db_table, MEMBERSHIP_COLUMNS, memberships)
    programs = json.dumps(["jkk", "jkm"])
    categories = (terms.categories[serial % len(terms.categories)] for serial in serials)
    versions = (
        (
            mid,
            starts,
            None,
            terms.segment,
            category,
            programs,
            terms.wage,
            terms.risk_class,
            "",
            None,
            terms.funding,
            now,
            None,
        )
        for mid, category in zip(membership_ids, categories, strict=True)
    )
    insert_rows(MembershipVersion._meta.db_table, VERSION_COLUMNS, versions)


def _birth(serial: int) -> date:
    return date(1960 + serial % 46, 1 + serial % 12, 1 + serial % 28)


def _nik(serial: int, villages: list[str], base: int) -> str:
    """A NIK that validates: the village's kecamatan, the birth date (+40 for women), a serial that
    tells apart the people of one village (with the birth date, unique within a kecamatan)."""
    kecamatan = villages[serial % len(villages)].rsplit(".", 1)[0].replace(".", "")
    birth = _birth(serial)
    day = birth.day + (40 if serial % 2 else 0)
    return f"{kecamatan}{day:02d}{birth.month:02d}{birth.year % 100:02d}{base + (serial // len(villages)) % 1000:04d}"


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
