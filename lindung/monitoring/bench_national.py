"""`lindung bench national --members 5000000`: a national rehearsal on one database.

Builds (once, set-based) a registry of N members spread over every province in proportion to its
population, one provincial government (Pemprov) sponsor each, then, for the current month:
bills it for everyone, records a payment for nine payers in ten, refreshes the month's rollups,
and measures the dashboards (national, province, kabupaten), the lists of `bench lists` and the
single writes of `bench writes`. Every step prints its time beside its floor, and the database's
size. Run it at 1,000,000 and at 5,000,000 members on the same database (the second run adds to
the first) and compare step by step: the goal is at most 5.5 times the time for 5 times the members.
Each run first removes the month's invoices, lines and payments of the bench sponsors, so that a
run bills and pays from scratch.
"""

from __future__ import annotations

import statistics
import time
import uuid
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from lindung.contributions.billing import LINE_COLUMNS, Scope, bill_period
from lindung.contributions.models import Allocation, Invoice, InvoiceLine, Payment
from lindung.contributions.payments import Payer, payment_record
from lindung.core.benches import Bench
from lindung.monitoring.bench import (
    PAGES,
    analyze_rollups,
    bench_user,
    direct_count_ms,
    rollup_storage_mb,
    time_page,
)
from lindung.monitoring.bench_lists import time_lists, worst_p95
from lindung.monitoring.bench_writes import bench_writes
from lindung.monitoring.rollups import refresh_rollups, window
from lindung.regions.models import Region
from lindung.registry.bench_members import BenchTerms, ensure_members
from lindung.registry.models import Membership, Sponsor
from lindung.registry.services import sponsor_create
from lindung.rules.periods import Period

SPONSOR_PREFIX = "Bench nasional (Lindung) "
TERMS = BenchTerms(nik_serial_base=6000)  # NIK serials apart from the other benches' people
WRITES_MEMBERS = 100_000
WRITES_REPEATS = 20
# Population by province, millions (BPS, Sensus Penduduk 2020, rounded; the six Papua provinces
# split as in their 2022 laws). Only the proportions matter.
POPULATION = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0, "19": 1.5,
    "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 41.0, "36": 11.9, "51": 4.3, "52": 5.3,
    "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7, "71": 2.6, "72": 3.0, "73": 9.1,
    "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3, "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4,
    "95": 1.4, "96": 0.6,
}  # fmt: skip
PAID_SHARE_SKIP = 10  # every tenth payer does not pay


def bench_national(*, members: int) -> dict[str, Any]:
    """Build, bill, pay, refresh and measure; returns every step with its floor."""
    today = timezone.localdate()
    month = Period(today.year, today.month)
    steps: dict[str, Any] = {}
    started = time.perf_counter()
    added = _build(members)
    steps["build"] = {"seconds": _since(started), "members_added": added, "floor": "the build is COPY"}
    _forget(month)
    if window() is None or month not in window():  # type: ignore[operator]
        refresh_rollups(first=month, last=month, today=today)  # so that billing and payments are followed
    steps["bill"] = _bill(month, today)
    steps["pay"] = _pay(month, today)
    steps["refresh_month"] = _refresh(month, today)
    steps["dashboards"] = _dashboards(month)
    lists = time_lists(sponsor_id=_largest_sponsor().pk)
    steps["lists"] = {"worst_p95_ms": worst_p95(lists), "goal_p95_ms": 200, "lists": lists}
    writes = bench_writes(members=WRITES_MEMBERS, repeats=WRITES_REPEATS)
    steps["writes"] = {key: value for key, value in writes.items() if key not in {"bench", "database"}}
    return {
        "bench": "national",
        "database": connection.vendor,
        "members": Membership.objects.filter(sponsor__name__startswith=SPONSOR_PREFIX).count(),
        "registry_memberships": Membership.objects.count(),
        "month": str(month),
        "database_size_mb": _database_mb(),
        "steps": steps,
        "goals": {"dashboard_ms": 300, "list_p95_ms": 200, "write_p95_ms": 100, "step_growth_5x_at_most": 5.5},
    }


def shares(members: int) -> dict[str, int]:
    """Members per province, in proportion to its population (the provinces the region tree holds)."""
    held = set(Region.objects.filter(level=1).values_list("code", flat=True))
    weights = {code: POPULATION.get(code, 1.0) for code in sorted(held)}
    total = sum(weights.values())
    counts = {code: int(members * weight / total) for code, weight in weights.items()}
    counts[max(weights, key=weights.__getitem__)] += members - sum(counts.values())  # rounding
    return counts


def _build(members: int) -> int:
    added = 0
    for code, count in shares(members).items():
        villages = Region.objects.filter(level=4, province_code=code).count()
        if count > 999 * villages:
            raise CommandError(f"--members: too many for province {code} ({villages} villages).", returncode=2)
        added += ensure_members(_province_sponsor(code), count, TERMS, within=code)
    return added


def _province_sponsor(code: str) -> Sponsor:
    name = f"{SPONSOR_PREFIX}{code}"
    return Sponsor.objects.filter(name=name).first() or sponsor_create(
        actor=None, kind="pemda", name=name, region_code=code
    )


def _bench_sponsors() -> list[Sponsor]:
    return list(Sponsor.objects.filter(name__startswith=SPONSOR_PREFIX).order_by("pk"))


def _largest_sponsor() -> Sponsor:
    return max(_bench_sponsors(), key=lambda sponsor: shares(1_000_000).get(sponsor.region_id, 0))


def _forget(month: Period) -> None:
    """Remove the month's invoices, lines, allocations and the payments of the bench sponsors (raw:
    the models refuse to lose history), then vacuum, as a month the registry has not billed yet."""
    sponsors = _bench_sponsors()
    with transaction.atomic():
        invoices = Invoice.objects.filter(sponsor__in=sponsors, period=str(month))
        Allocation.objects.filter(payment__sponsor__in=sponsors)._raw_delete(connection.alias)
        Payment.objects.filter(sponsor__in=sponsors)._raw_delete(connection.alias)
        InvoiceLine.objects.filter(invoice__in=invoices, period=str(month))._raw_delete(connection.alias)
        invoices._raw_delete(connection.alias)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) contributions_invoiceline, contributions_invoice, contributions_payment")


def _bill(month: Period, today: date) -> dict[str, Any]:
    started = time.perf_counter()
    outcome = bill_period(period=month, scope=Scope(), today=today)
    seconds = _since(started)
    return {
        "seconds": seconds,
        "lines": outcome.lines,
        "floor": "INSERT ... SELECT of the same lines",
        "floor_seconds": _line_floor(month),
    }


def _line_floor(month: Period) -> float:
    """INSERT ... SELECT of the month's lines into an empty copy of the lines table, timed."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TABLE bench_national_line (LIKE contributions_invoiceline INCLUDING ALL)")
        else:
            cursor.execute("CREATE TABLE bench_national_line AS SELECT * FROM contributions_invoiceline WHERE 0")
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO bench_national_line ({LINE_COLUMNS}) SELECT {LINE_COLUMNS} FROM contributions_invoiceline"  # noqa: S608
            " WHERE period = %s",
            [str(month)],
        )
        seconds = _since(started)
        cursor.execute("DROP TABLE bench_national_line")
    return seconds


def _pay(month: Period, today: date) -> dict[str, Any]:
    """Nine payers in ten pay their month in full, one payment each, as their banks report them."""
    invoices = list(Invoice.objects.filter(sponsor__in=_bench_sponsors(), period=str(month)).order_by("pk"))
    timings = []
    for index, invoice in enumerate(invoices):
        if index % PAID_SHARE_SKIP == PAID_SHARE_SKIP - 1:
            continue
        started = time.perf_counter()
        payment_record(
            actor=None,
            payer=Payer(sponsor=invoice.sponsor),
            paid_on=today,
            amount=invoice.total,
            reference=f"BENCH {uuid.uuid4().hex[:12]}",
        )
        timings.append(time.perf_counter() - started)
    return {
        "seconds": round(sum(timings), 2),
        "payments": len(timings),
        "payment_seconds_median": round(statistics.median(timings), 2) if timings else None,
        "payment_seconds_max": round(max(timings), 2) if timings else None,
        "floor": "none: each payment turns every member of its invoice active in the rollups",
    }


def _refresh(month: Period, today: date) -> dict[str, Any]:
    started = time.perf_counter()
    outcome = refresh_rollups(first=month, last=month, today=today)
    seconds = _since(started)
    analyze_rollups()
    return {
        "seconds": seconds,
        "coverage_rows": outcome.coverage_rows,
        "rollup_storage_mb": rollup_storage_mb(),
        "floor": "one COUNT of the month's running memberships",
        "floor_seconds": round(direct_count_ms(month) / 1000, 2),
    }


def _dashboards(month: Period) -> dict[str, Any]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bench_user())
    return {name: time_page(client, f"/pantau/{code}/?periode={month}") for name, code in PAGES}


def _database_mb() -> float | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(float(cursor.fetchone()[0]) / 1024 / 1024, 1)


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--members", type=int, default=5_000_000, help="Members in the registry (built once).")


def _run(options: dict[str, Any]) -> dict[str, Any]:
    if options["members"] < len(POPULATION):
        raise CommandError(f"--members: at least {len(POPULATION)} (one per province).", returncode=2)
    return bench_national(members=options["members"])


BENCH = Bench("national", "A national rehearsal: build, bill, pay, refresh and measure.", _arguments, _run)
