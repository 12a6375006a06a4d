"""`lindung bench billing`: bill one period for N memberships and compare with a bare INSERT ... SELECT.

The memberships belong to one bench sponsor in Kota Dumai and are created once (set-based, COPY on
PostgreSQL); later runs reuse them. Each run first removes the bench sponsor's invoice for the
period, bills it from scratch, times a bare INSERT ... SELECT of the same lines into a temporary
copy of the lines table (same columns and indexes) in the same transaction, then removes the lines
again so that the database is left as it was.
"""

from __future__ import annotations

import json
import resource
import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from lindung.contributions.billing import LINE_COLUMNS, Scope, bill_period
from lindung.contributions.models import Allocation, Invoice, InvoiceLine, Payment
from lindung.contributions.payments import statement_import
from lindung.contributions.statements import MAX_ROWS
from lindung.core.benches import Bench
from lindung.core.changes import following_time
from lindung.core.db import adapt_value, insert_rows, is_postgresql, reserve_ids
from lindung.registry.models import Membership, MembershipVersion, Person, Sponsor
from lindung.registry.services import sponsor_create
from lindung.registry.writer import MEMBERSHIP_COLUMNS, PERSON_COLUMNS, VERSION_COLUMNS
from lindung.rules.periods import Period

BENCH_SPONSOR = "Bench billing (Lindung)"
BENCH_REGION = "14.72"  # Kota Dumai
CHUNK = 100_000


def bench_billing(*, members: int, period: str, statement_rows: int = 0) -> dict[str, Any]:
    """Run the benchmark and return its one-line result."""
    sponsor = _bench_sponsor()
    _ensure_members(sponsor, members)
    _forget(sponsor, period)
    _vacuum()
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    with following_time() as following:
        outcome = bill_period(
            period=Period.parse(period),
            scope=Scope(sponsor_id=sponsor.pk),
            progress=lambda step: marks.append((step, time.perf_counter())),
        )
    seconds = time.perf_counter() - started
    ends = [at for _step, at in marks[1:]] + [started + seconds]
    steps = {step: round(end - at, 2) for (step, at), end in zip(marks, ends, strict=True)}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor_seconds = _floor_seconds(sponsor, period)
    statement = _time_statement(sponsor, period, statement_rows) if statement_rows else {}
    _forget(sponsor, period)
    rate = outcome.lines / seconds if seconds else 0.0
    floor_rate = outcome.lines / floor_seconds if floor_seconds else 0.0
    return {
        "bench": "billing",
        "database": connection.vendor,
        "members": Membership.objects.filter(sponsor=sponsor).count(),
        "period": period,
        "lines": outcome.lines,
        "seconds": round(seconds, 2),
        "lines_per_second": round(rate),
        "peak_rss_mb": round(peak_mb),
        "floor": "INSERT ... SELECT",
        "floor_seconds": round(floor_seconds, 2),
        "floor_lines_per_second": round(floor_rate),
        "ratio": round(rate / floor_rate, 3) if floor_rate else None,
        "steps_seconds": steps,
        # Keeping the read models (the monitoring rollups) exact, as a share of the run's time;
        # 0 when no follower had anything to follow (no rollups built yet: `lindung refresh_rollups`).
        "rollups_seconds": round(following[0], 2),
        "rollups_share": round(following[0] / seconds, 3) if seconds else None,
        **statement,
    }


def _time_statement(sponsor: Sponsor, period: str, rows: int) -> dict[str, Any]:
    """Import a bank statement of `rows` credits against the billed invoice, then remove it.

    Half the credits name the invoice in their description (matched, allocated), half come from
    accounts nobody knows (queued for an officer), as a branch's monthly statement mixes them."""
    invoice = Invoice.objects.get(sponsor=sponsor, period=period)
    paid_on = timezone.localdate()
    lines = ["tanggal;jumlah;keterangan;rekening"]
    for serial in range(rows):
        reference = f"IURAN {invoice.number} #{serial}" if serial % 2 == 0 else f"TRANSFER #{serial}"
        lines.append(f"{paid_on:%d/%m/%Y};{10_000 + serial};{reference};{9_000_000_000 + serial}")
    content = "\n".join(lines).encode()
    started = time.perf_counter()
    with following_time() as following:
        statement = statement_import(actor=None, content=content, file_name="bench.csv", region_code=sponsor.region_id)
    seconds = time.perf_counter() - started
    summary = statement.summary
    with transaction.atomic():
        Allocation.objects.filter(payment__statement=statement)._raw_delete(connection.alias)
        Payment.objects.filter(statement=statement)._raw_delete(connection.alias)
        statement.delete()
    return {
        "statement_rows": summary["rows"],
        "statement_matched": summary["matched"],
        "statement_seconds": round(seconds, 2),
        "statement_rollups_share": round(following[0] / seconds, 3) if seconds else None,
    }


def _bench_sponsor() -> Sponsor:
    found = Sponsor.objects.filter(name=BENCH_SPONSOR).first()
    return found or sponsor_create(actor=None, kind="csr", name=BENCH_SPONSOR, region_code=BENCH_REGION)


def _ensure_members(sponsor: Sponsor, wanted: int) -> None:
    """Add bench members until the sponsor has `wanted` (BPU pekerja rentan, 50 income levels)."""
    have = Membership.objects.filter(sponsor=sponsor).count()
    village = _a_village()
    while have < wanted:
        count = min(CHUNK, wanted - have)
        with transaction.atomic():
            _insert_members(sponsor, range(have, have + count), village)
        have += count


def _a_village() -> str:
    from lindung.regions.models import Region

    code = Region.objects.filter(regency_code=BENCH_REGION, level=4).values_list("code", flat=True).first()
    if code is None:
        raise RuntimeError("Regions are not loaded: run `lindung load_regions` first.")
    return code


def _insert_members(sponsor: Sponsor, serials: range, village: str) -> None:
    now = adapt_value(timezone.now())
    born, starts = adapt_value(date(1990, 1, 1)), adapt_value(date(2024, 1, 1))
    person_ids = reserve_ids(Person, len(serials))
    membership_ids = reserve_ids(Membership, len(serials))
    # NIKs of a province code that does not exist (99), so they never clash with real or demo people.
    insert_rows(
        Person._meta.db_table,
        PERSON_COLUMNS,
        (
            (
                pid,
                f"99{serial:014d}",
                f"Peserta Uji {serial}",
                f"PESERTA UJI {serial}",
                born,
                "L",
                village,
                "",
                now,
                now,
            )
            for pid, serial in zip(person_ids, serials, strict=True)
        ),
    )
    insert_rows(
        Membership._meta.db_table,
        MEMBERSHIP_COLUMNS,
        (
            (mid, pid, sponsor.pk, None, sponsor.region_id, sponsor.region_id[:2], starts, None, "active", now)
            for mid, pid in zip(membership_ids, person_ids, strict=True)
        ),
    )
    programs = json.dumps(["jkk", "jkm"])
    insert_rows(
        MembershipVersion._meta.db_table,
        VERSION_COLUMNS,
        (
            (
                mid,
                starts,
                None,
                "bpu",
                "pekerja_rentan",
                programs,
                _income(serial),
                None,
                "",
                village,
                "apbd",
                None,
                now,
                None,
            )
            for mid, serial in zip(membership_ids, serials, strict=True)
        ),
    )


def _income(serial: int) -> int:
    """Fifty declared incomes, so that billing prices fifty sets of terms, as a real region would."""
    return 1_000_000 + (serial % 50) * 100_000


def _forget(sponsor: Sponsor, period: str) -> None:
    """Remove the bench sponsor's invoice and lines for the period (raw: lines refuse edits)."""
    with transaction.atomic():
        invoices = Invoice.objects.filter(sponsor=sponsor, period=period)
        Allocation.objects.filter(invoice__in=invoices)._raw_delete(connection.alias)
        InvoiceLine.objects.filter(invoice__in=invoices)._raw_delete(connection.alias)
        invoices._raw_delete(connection.alias)


def _vacuum() -> None:
    """Clear what earlier bench runs deleted, so that each run bills into tables as a real month
    finds them (lines are never deleted in use; dead index entries made runs twice as slow)."""
    # VACUUM cannot run inside a transaction (the test suite's); the command runs in autocommit.
    if is_postgresql(connection) and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) contributions_invoiceline, contributions_invoice, contributions_allocation"
            )


def _floor_seconds(sponsor: Sponsor, period: str) -> float:
    """Time INSERT ... SELECT of the run's lines into an empty copy of the lines table.

    The copy is an ordinary table with the same columns and indexes, so it is WAL-logged as the
    real one is (a temporary table is not, and made a floor no durable write can reach); it is
    dropped at once. Foreign keys are not copied: the floor is the database writing the rows.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if is_postgresql(connection):
            cursor.execute("CREATE TABLE bench_floor_line (LIKE contributions_invoiceline INCLUDING ALL)")
        else:
            cursor.execute("CREATE TABLE bench_floor_line AS SELECT * FROM contributions_invoiceline WHERE 0")
            cursor.execute("CREATE INDEX bench_floor_line_a ON bench_floor_line (membership_id, period)")
            cursor.execute("CREATE INDEX bench_floor_line_b ON bench_floor_line (invoice_id)")
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO bench_floor_line ({LINE_COLUMNS}) SELECT {LINE_COLUMNS} FROM contributions_invoiceline"  # noqa: S608
            " WHERE invoice_id IN (SELECT id FROM contributions_invoice WHERE sponsor_id = %s AND period = %s)",
            [sponsor.pk, period],
        )
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor_line")
    return elapsed


def _billing_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-06", help="YYYY-MM (default 2026-06).")
    parser.add_argument(
        "--statement-rows", type=int, default=50_000, help="Also time a bank statement of this many rows (0: skip)."
    )


def _run_billing(options: dict[str, Any]) -> dict[str, Any]:
    if options["members"] <= 0:
        raise CommandError("--members: must be more than zero.", returncode=2)
    try:
        Period.parse(options["period"])
    except ValueError:
        raise CommandError("--period: write it as YYYY-MM.", returncode=2) from None
    if not 0 <= options["statement_rows"] <= MAX_ROWS:
        raise CommandError(f"--statement-rows: from 0 to {MAX_ROWS}.", returncode=2)
    return bench_billing(members=options["members"], period=options["period"], statement_rows=options["statement_rows"])


BENCH = Bench(
    "billing", "Bill one period for N memberships, compare with INSERT ... SELECT.", _billing_arguments, _run_billing
)
