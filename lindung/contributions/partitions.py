"""Invoice lines partitioned by period (PostgreSQL): a billing run reads and writes its own month only.

Every month adds about a million lines per million members; before partitioning, what a period
had already been billed was found by scanning the lines of every month ever billed. Now
`contributions_invoiceline` is partitioned by LIST (period), one partition per month
(`contributions_invoiceline_p2026_06`) and a DEFAULT partition that catches a line of a month
nobody prepared (a correction written by hand, a test): the next `ensure_partition` of that month
moves such lines into the new partition. The billing run prepares its month before it starts, in a
short transaction of its own (creating a partition locks the whole table for a moment);
`lindung invoice_partitions --ahead 3` prepares the next months from a monthly timer.
SQLite keeps one plain table: every function here does nothing there.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from lindung.contributions.models import InvoiceLine
from lindung.core.db import is_postgresql, refresh_statistics
from lindung.rules.periods import Period

TABLE = "contributions_invoiceline"
DEFAULT_PARTITION = f"{TABLE}_pdefault"
STATISTICS_AFTER = 1_000  # lines written by a run before its month's statistics are refreshed


def partition_name(period: Period) -> str:
    return f"{TABLE}_p{period.year:04d}_{period.month:02d}"


def partitioned() -> bool:
    """Whether the invoice lines are a partitioned table here (PostgreSQL, after migration 0006)."""
    if not is_postgresql(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def ensure_partition(period: Period) -> bool:
    """Create the month's partition unless it exists; True when it was created. Safe to repeat and
    to run from two processes at once (the second waits, then finds it)."""
    if not partitioned():
        return False
    name = partition_name(period)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cursor.fetchone()[0]:
            return False
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE period = %s)", [str(period)])  # noqa: S608
        if cursor.fetchone()[0]:
            _attach_with_lines_from_default(cursor, name, period)
        else:
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES IN (%s)", [str(period)])
    return True


def _attach_with_lines_from_default(cursor: CursorWrapper, name: str, period: Period) -> None:
    """The month's lines wait in the default partition: move them into the new one, then attach it
    (PostgreSQL refuses a partition whose rows the default partition still holds)."""
    value = str(period)
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"INSERT INTO {name} SELECT * FROM {DEFAULT_PARTITION} WHERE period = %s", [value])  # noqa: S608
    cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE period = %s", [value])  # noqa: S608
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN (%s)", [value])


def ensure_partitions_ahead(*, months: int, today: date) -> list[str]:
    """This month's partition and the next `months` ones; returns the partitions created."""
    first = Period(today.year, today.month)
    created = []
    for step in range(months + 1):
        period = first.shifted(step)
        if ensure_partition(period):
            created.append(partition_name(period))
    return created


def partitions() -> list[str]:
    """The month partitions that exist, oldest first (not the default one)."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) AND c.relname <> %s ORDER BY c.relname",
            [TABLE, DEFAULT_PARTITION],
        )
        return [row[0] for row in cursor.fetchall()]


def refresh_period_statistics(period: Period, added: int) -> None:
    """After a run wrote `added` lines: ANALYZE the month's partition only (ANALYZE of the parent
    samples and analyzes every month's partition too), or the plain table as core.db does."""
    if not partitioned():
        refresh_statistics([InvoiceLine], added)
        return
    if added >= STATISTICS_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {partition_name(period)}")
