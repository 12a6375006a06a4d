"""`lindung bench import`: generate an enrolment file, import it, and compare with the database's floor.

The floor is COPY (PostgreSQL) or executemany (SQLite) of exactly the rows the import wrote, into
temporary tables shaped like the real ones (with their indexes), timed in the same run.
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
from django.utils import timezone

from lindung.core.benches import Bench, clock_seed
from lindung.core.changes import following_time
from lindung.core.db import adapt_value, insert_rows, is_postgresql
from lindung.regions.models import Region
from lindung.registry.generate import People, enrolment_rows, write_csv
from lindung.registry.imports import import_file
from lindung.registry.models import Membership, MembershipVersion, Person, Sponsor
from lindung.registry.services import sponsor_create

BENCH_REGENCY = "14.72"  # Kota Dumai


def bench_import(*, rows: int, seed: int, keep: bool) -> dict[str, Any]:
    """Run the benchmark and return its one-line result."""
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
    floor_seconds = _floor_seconds(sponsor)
    if not keep:
        _remove(sponsor)
    written = plan.summary()["new_memberships"]
    rate = written / seconds if seconds else 0.0
    floor_rate = written / floor_seconds if floor_seconds else 0.0
    return {
        "bench": "import",
        "database": connection.vendor,
        "rows": rows,
        "written": written,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rate),
        "peak_rss_mb": round(peak_mb),
        "floor": "COPY" if is_postgresql(connection) else "executemany",
        "floor_seconds": round(floor_seconds, 2),
        "floor_rows_per_second": round(floor_rate),
        "ratio": round(rate / floor_rate, 3) if floor_rate else None,
        # Keeping the read models (the monitoring rollups) exact, as a share of the import's time;
        # 0 when no follower had anything to follow (no rollups built yet: `lindung refresh_rollups`).
        "rollups_seconds": round(following[0], 2),
        "rollups_share": round(following[0] / seconds, 3) if seconds else None,
    }


def _floor_seconds(sponsor: Sponsor) -> float:
    """Time a raw insert of the rows the import wrote (persons, memberships, versions) into copies of the tables."""
    memberships = Membership.objects.filter(sponsor=sponsor)
    tables: list[tuple[Any, list[str], list[tuple[Any, ...]]]] = []
    for model, queryset in (
        (Person, Person.objects.filter(memberships__sponsor=sponsor)),
        (Membership, memberships),
        (MembershipVersion, MembershipVersion.objects.filter(membership__sponsor=sponsor)),
    ):
        columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
        attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        values = [
            tuple(_raw(model, name, value) for name, value in zip(attnames, row, strict=True))
            for row in queryset.values_list(*attnames)
        ]
        tables.append((model, columns, values))
    elapsed = 0.0
    with transaction.atomic():
        for model, columns, values in tables:
            copy_name = f"floor_{model._meta.db_table}"
            _create_copy(model._meta.db_table, copy_name)
            started = time.perf_counter()
            insert_rows(copy_name, columns, values)
            elapsed += time.perf_counter() - started
        transaction.set_rollback(True)  # the copies go away with the transaction
    return elapsed


def _raw(model: Any, name: str, value: Any) -> Any:
    if name == "programs":
        return json.dumps(value)
    return adapt_value(value)


def _create_copy(table: str, copy_name: str) -> None:
    with connection.cursor() as cursor:
        if is_postgresql(connection):
            # Same columns, defaults, identity and indexes (unique NIK included), no foreign keys.
            cursor.execute(f'CREATE TEMP TABLE "{copy_name}" (LIKE "{table}" INCLUDING ALL) ON COMMIT DROP')
            return
        cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
        for (statement,) in cursor.fetchall():
            cursor.execute(
                statement.replace(f'"{table}"', f'"{copy_name}"', 1)
                .replace('CREATE UNIQUE INDEX "', f'CREATE UNIQUE INDEX "{copy_name}_')
                .replace('CREATE INDEX "', f'CREATE INDEX "{copy_name}_')
            )


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


def _run_import(options: dict[str, Any]) -> dict[str, Any]:
    if options["rows"] <= 0:
        raise CommandError("--rows: must be more than zero.", returncode=2)
    seed = options["seed"] if options["seed"] is not None else clock_seed()
    return bench_import(rows=options["rows"], seed=seed, keep=options["keep"])


BENCH = Bench("import", "Generate an enrolment file, import it, compare with COPY.", _import_arguments, _run_import)
