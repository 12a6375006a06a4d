"""The seam for database-specific features: PostgreSQL gets them, SQLite takes the portable path."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import lookups


def is_postgresql(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, using: str = "default") -> int:
    """Insert many rows as fast as the database allows: COPY on PostgreSQL, executemany on SQLite.

    Values must already be in database form (see `adapt_row`); ids come from the table's sequence.
    Returns how many rows were written.
    """
    connection = connections[using]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if is_postgresql(connection):
            # The raw driver cursor: wrap its errors so callers see Django's IntegrityError and kin.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({placeholders})"  # noqa: S608 (names are quoted identifiers from code)
        for chunk in _chunks(rows, 5_000):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def refresh_statistics(models_written: Sequence[type[models.Model]], added: int, *, using: str = "default") -> None:
    """ANALYZE tables that a bulk write grew by more than a tenth (PostgreSQL only).

    Run inside the writing transaction, before queries that join the new rows: ANALYZE counts the
    transaction's own rows, and without it the planner still believes the statistics autovacuum took
    when the tables were small, and picks nested loops that never finish. Autovacuum does the same
    after commit; this is for the queries before it.
    """
    connection = connections[using]
    if not is_postgresql(connection) or added < 1_000:
        return
    tables = [model._meta.db_table for model in models_written]
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables])
        believed = dict(cursor.fetchall())
        stale = [table for table in tables if added > 0.1 * max(believed.get(table, 0), 0)]
        if stale:
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(table) for table in stale)}")


def on_postgresql(statements: Sequence[str]) -> Callable[[Any, Any], None]:
    """A migration step (RunPython) that executes `statements` on PostgreSQL and nothing on SQLite:
    for PostgreSQL-only indexes and extensions, whose SQLite path is a plain scan."""

    def apply(apps: Any, schema_editor: Any) -> None:
        if is_postgresql(schema_editor.connection):
            for statement in statements:
                schema_editor.execute(statement)

    return apply


def adapt_value(value: Any, *, using: str = "default") -> Any:
    """A Python value as the raw database driver wants it (dates and times as SQLite stores them)."""
    return value_adapter(using=using)(value)


def value_adapter(*, using: str = "default") -> Callable[[Any], Any]:
    """`adapt_value` for many values: resolved once (per value, looking up the connection cost a
    bulk write more than formatting its rows). PostgreSQL's driver takes dates and times as they are."""
    connection = connections[using]
    if is_postgresql(connection):
        return _unchanged
    ops = connection.ops

    def adapt(value: Any) -> Any:
        if isinstance(value, datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return ops.adapt_datefield_value(value)
        return value

    return adapt


def _unchanged(value: Any) -> Any:
    return value


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def reserve_ids(model: type[models.Model], count: int, *, using: str = "default") -> list[int]:
    """`count` fresh primary keys for rows about to be bulk-inserted with their ids.

    PostgreSQL draws them from the table's sequence in one query. SQLite has one writer at a time,
    so inside the caller's (IMMEDIATE) transaction the ids after the highest one are free.
    """
    if count == 0:
        return []
    connection = connections[using]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql(connection):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids on SQLite must run inside the writing transaction")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        (highest,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        start = max(highest, sequence[0] if sequence else 0) + 1
        return list(range(start, start + count))


@models.ForeignKey.register_lookup
@models.Field.register_lookup
class InMany(lookups.In):  # type: ignore[type-arg]
    """`field__in_many=[...]`: IN on SQLite; `= ANY(array)` on PostgreSQL, one parameter for
    thousands of values (client-side binding of a long IN list costs more than the query)."""

    lookup_name = "in_many"

    def as_postgresql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{array_type(self.lhs.output_field, connection)})", [*lhs_params, list(self.rhs)]


def array_type(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> str:
    """The SQL array type of a column's values: `bigint[]` for a key, `varchar(16)[]` for a NIK.

    Without the cast psycopg sends Python ints as `integer[]` (or `numeric[]`) and PostgreSQL
    compares a bigint column to them without hashing or an index: 16 s for 100,000 ids."""
    return f"{field.cast_db_type(connection)}[]"  # type: ignore[attr-defined]
