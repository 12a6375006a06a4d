"""`lindung bench import`: generate an enrolment file, import it, and compare with the database's floor.

`--existing N` first gives the registry N people (built once, set-based, and kept for later runs), so
the import meets indexes and statistics of realistic size. The floor is COPY (PostgreSQL) or
executemany (SQLite) of exactly the rows the import wrote (persons, memberships, versions) into the
real tables, with their constraints and indexes, timed in the same run: the import's rows are taken
out and copied back in a transaction that is then rolled back.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lindung.core.benches import Bench, clock_seed
from lindung.core.changes import following_time
from lindung.core.db import adapt_value, insert_rows, is_postgresql
from lindung.regions.models import Region
from lindung.registry.bench_members import ensure_members, registry_sponsor
from lindung.registry.generate import People, enrolment_rows, write_csv
from lindung.registry.imports import import_file
from lindung.registry.models import Membership, MembershipVersion, Person, Sponsor
from lindung.registry.services import sponsor_create

BENCH_REGENCY = "14.72"  # Kota Dumai


def bench_import(*, rows: int, seed: int, keep: bool, existing: int = 0) -> dict[str, Any]:
    """Run the benchmark and return its one-line result."""
    if existing:
        ensure_members(registry_sponsor(), existing)
    villages = list(Region.objects.filter(regency_code=BENCH_REGENCY, level=4).values_list("code", flat=True))
    if not villages:
        raise RuntimeError("Regions are not loaded: run `lindung load_regions` first.")
    sponsor = sponsor_create(
        actor=None, kind="csr", name=f"Bench import {timezone.now():%Y%m%d%H%M%S}", region_code=BENCH_REGENCY
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "peserta.csv"
        people = People(villages, seed=seed)
        write_csv(
            enrolment_rows(
                people,
                rows,
                category="pekerja_rentan",
                segment="bpu",
                wage=(1_000_000, 3_000_000),
                starts_on=date(2024, 1, 1),
                risk_class=None,
            ),
            path,
        )
        started = time.perf_counter()
        with following_time() as following:
            plan, _total = import_file(actor=None, sponsor=sponsor, path=path, dry_run=False)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor_tables = _floor_seconds(sponsor)
    floor_seconds = sum(floor_tables.values())
    if not keep:
        _remove(sponsor)
    written = plan.summary()["new_memberships"]
    rate = written / seconds if seconds else 0.0
    floor_rate = written / floor_seconds if floor_seconds else 0.0
    return {
        "bench": "import",
        "database": connection.vendor,
        "existing_persons": Person.objects.count(),
        "rows": rows,
        "written": written,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rate),
        "peak_rss_mb": round(peak_mb),
        "floor": "COPY" if is_postgresql(connection) else "executemany",
        "floor_seconds": round(floor_seconds, 2),
        "floor_seconds_by_table": floor_tables,
        "floor_rows_per_second": round(floor_rate),
        "ratio": round(rate / floor_rate, 3) if floor_rate else None,
        # Keeping the read models (the monitoring rollups) exact, as a share of the import's time;
        # 0 when no follower had anything to follow (no rollups built yet: `lindung refresh_rollups`).
        "rollups_seconds": round(following[0], 2),
        "rollups_share": round(following[0] / seconds, 3) if seconds else None,
    }


def _floor_seconds(sponsor: Sponsor) -> dict[str, float]:
    """Time a raw COPY of the rows the import wrote (persons, memberships, versions) into the real
    tables: read them, delete them, copy them back, and roll it all back."""
    # The persons the import registered: those it met already (a NIK of the existing registry) were
    # not written by it, and other memberships still point at them.
    others = Membership.objects.exclude(sponsor=sponsor).filter(person=OuterRef("pk"))
    written = {
        Person: Person.objects.filter(memberships__sponsor=sponsor).exclude(Exists(others)),
        Membership: Membership.objects.filter(sponsor=sponsor),
        MembershipVersion: MembershipVersion.objects.filter(membership__sponsor=sponsor),
    }
    tables = [(model, *_raw_rows(model, queryset)) for model, queryset in written.items()]
    seconds: dict[str, float] = {}
    with transaction.atomic():
        for model in reversed(written):  # versions first: the foreign keys point that way
            model._default_manager.filter(pk__in=[row[0] for row in _rows_of(tables, model)])._raw_delete(
                connection.alias
            )
        if is_postgresql(connection):
            # Foreign keys checked as each row goes in, as psql's COPY in its own transaction would
            # (Django declares them deferred: left to a commit that this rolled-back floor never has).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, columns, values in tables:
            started = time.perf_counter()
            insert_rows(model._meta.db_table, columns, values)
            seconds[model._meta.db_table] = round(time.perf_counter() - started, 2)
        transaction.set_rollback(True)  # the import's own rows stay as they were
    return seconds


def _raw_rows(model: Any, queryset: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    fields = model._meta.concrete_fields
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    values = [
        tuple(_raw(name, value) for name, value in zip(attnames, row, strict=True))
        for row in queryset.values_list(*attnames)
    ]
    return columns, values


def _rows_of(tables: list[tuple[Any, list[str], list[tuple[Any, ...]]]], model: Any) -> list[tuple[Any, ...]]:
    return next(values for table_model, _columns, values in tables if table_model is model)


def _raw(name: str, value: Any) -> Any:
    if name == "programs":
        return json.dumps(value)
    return adapt_value(value)


def _remove(sponsor: Sponsor) -> None:
    """Delete what the benchmark wrote (raw deletes: the models refuse to lose history)."""
    with transaction.atomic():
        person_ids = list(Person.objects.filter(memberships__sponsor=sponsor).values_list("id", flat=True))
        MembershipVersion.objects.filter(membership__sponsor=sponsor)._raw_delete(connection.alias)
        Membership.objects.filter(sponsor=sponsor)._raw_delete(connection.alias)
        for start in range(0, len(person_ids), 5_000):
            # Only the people the run registered: a NIK it met already (an earlier run kept) stays.
            chunk = Person.objects.filter(id__in=person_ids[start : start + 5_000], memberships__isnull=True)
            Person.objects.filter(id__in=list(chunk.values_list("id", flat=True)))._raw_delete(connection.alias)
        sponsor.delete()


def _import_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=None, help="Generator seed (default: from the clock).")
    parser.add_argument("--keep", action="store_true", help="Keep the imported rows instead of removing them.")
    parser.add_argument(
        "--existing", type=int, default=0, help="People the registry holds before the import (built once, kept)."
    )


def _run_import(options: dict[str, Any]) -> dict[str, Any]:
    if options["rows"] <= 0 or options["existing"] < 0:
        raise CommandError("--rows: must be more than zero; --existing: zero or more.", returncode=2)
    seed = options["seed"] if options["seed"] is not None else clock_seed()
    return bench_import(rows=options["rows"], seed=seed, keep=options["keep"], existing=options["existing"])


BENCH = Bench("import", "Generate an enrolment file, import it, compare with COPY.", _import_arguments, _run_import)
