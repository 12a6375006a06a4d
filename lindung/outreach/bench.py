"""`lindung bench targets --rows 100000`: reading and matching a social-affairs list of that many
rows against a registry of `--persons` (the shared bench registry, spread over the country, plus
people of Riau the list finds), beside the floor: a bare join of the same NIKs with the registry.

About half the rows are people already registered, the rest new NIKs of Riau, with duplicates and
invalid NIKs as real lists have them. The list is deleted at the end."""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from argparse import ArgumentParser
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from lindung.core.benches import Bench
from lindung.outreach import matching, processing, selectors, services
from lindung.outreach.models import TargetEntry, TargetList
from lindung.outreach.selection import Selection, first_month, selection_cost
from lindung.regions.models import Region
from lindung.registry.bench_members import BenchTerms, ensure_members, registry_sponsor
from lindung.registry.models import Membership, Person
from lindung.registry.nik import make_nik
from lindung.registry.services import sponsor_create

RIAU = "14"
RIAU_SPONSOR = "Bench target lists, Riau (Lindung)"
GOAL_SECONDS = 30
HEADER = ["NIK", "NO_KK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN", "KODE_DESA", "DESIL", "PEKERJAAN"]


def bench_targets(*, rows: int, persons: int) -> dict[str, Any]:
    ensure_members(registry_sponsor(), persons)
    riau = _riau_sponsor()
    ensure_members(riau, rows // 2, BenchTerms(nik_serial_base=6000), within=RIAU)
    with tempfile.TemporaryDirectory() as folder:
        path = _write_list(Path(folder) / "dtks-bench.csv", riau.pk, rows)
        started = time.perf_counter()
        target_list, _created = services.target_list_create(
            actor=None, path=path, file_name=path.name, region_code=RIAU, source="dtks",
            source_date=timezone.localdate(), name="Bench DTKS Riau", queue=False,
        )  # fmt: skip
        processing.target_list_read(target_list.pk)
        read_and_match = time.perf_counter() - started
    target_list.refresh_from_db()
    try:
        return _measure(target_list, rows, read_and_match)
    finally:
        services.target_list_delete(actor=None, target_list=target_list, reason="bench")


def _measure(target_list: TargetList, rows: int, read_and_match: float) -> dict[str, Any]:
    match_runs = []
    for _ in range(3):
        started = time.perf_counter()
        counts = matching.match_list(target_list)
        match_runs.append(time.perf_counter() - started)
    match_seconds = statistics.median(match_runs)
    started = time.perf_counter()
    processing.target_list_match_again(target_list.pk)
    match_and_figures = time.perf_counter() - started
    floor = _bare_join_seconds(target_list)
    pages = _page_queries_ms(target_list)
    return {
        "bench": "targets",
        "database": connection.vendor,
        "registry_persons": Person.objects.count(),
        "registry_memberships": Membership.objects.count(),
        "list_rows": rows,
        "entries": TargetEntry.objects.filter(target_list=target_list).count(),
        "classes": counts,
        "upload_read_and_match_seconds": round(read_and_match, 2),
        "upload_rows_per_second": round(rows / read_and_match),
        "match_seconds_median_of_3": round(match_seconds, 2),
        "match_rows_per_second": round(rows / match_seconds),
        "match_again_with_kept_figures_seconds": round(match_and_figures, 2),
        "floor_bare_join_seconds": round(floor, 3),
        "page_queries_ms": pages,
        "goal_seconds": GOAL_SECONDS,
        "goal_met": read_and_match <= GOAL_SECONDS,
    }


def _page_queries_ms(target_list: TargetList) -> dict[str, float]:
    """The list page's figures (per class, per kecamatan, village and decile) and a selection's
    cost, in ms: what a user waits for on a list of this size."""
    on = timezone.localdate()
    chosen = Selection(deciles=(1, 2), min_age=15, max_age=64)
    calls: dict[str, Callable[[], object]] = {
        "page_figures_kept": lambda: (
            selectors.kept_classes(target_list),
            selectors.kept_to_protect(target_list),
            selectors.kept_breakdown(target_list, "village"),
        ),
        "classes": lambda: selectors.class_figures(target_list),
        "per_kecamatan": lambda: selectors.breakdown(target_list, "district"),
        "per_village": lambda: selectors.breakdown(target_list, "village"),
        "per_decile": lambda: selectors.breakdown(target_list, "decile"),
        "selection_cost": lambda: selection_cost(
            target_list, chosen, on=on, start=first_month(on), programs=["jkk", "jkm"]
        ),
    }
    timings = {}
    for name, call in calls.items():
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            call()
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = round(statistics.median(runs), 1)
    return timings


def _bare_join_seconds(target_list: TargetList) -> float:
    """The database's floor: the list's NIKs joined with the registry's, counted, nothing else."""
    sql = (
        f"SELECT COUNT(*) FROM {TargetEntry._meta.db_table} e JOIN {Person._meta.db_table} p ON p.nik = e.nik "  # noqa: S608
        "WHERE e.target_list_id = %s"
    )
    runs = []
    with connection.cursor() as cursor:
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(sql, [target_list.pk])
            cursor.fetchall()
            runs.append(time.perf_counter() - started)
    return min(runs)


def _riau_sponsor() -> Any:
    from lindung.registry.models import Sponsor

    found = Sponsor.objects.filter(name=RIAU_SPONSOR).first()
    return found or sponsor_create(actor=None, kind="csr", name=RIAU_SPONSOR, region_code="14.08")


def _write_list(path: Path, sponsor_id: int, rows: int) -> Path:
    """Half registered people of Riau, the rest new; 5% repeated, 5% with a broken NIK."""
    known = list(
        Membership.objects.filter(sponsor_id=sponsor_id)
        .values_list("person__nik", "person__birth_date", "person__sex", "region_id")
        .order_by("id")[: rows // 2]
    )
    villages = list(Region.objects.filter(province_code=RIAU, level=4).values_list("code", flat=True))
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        written: list[list[Any]] = []
        for index in range(rows):
            row = _row(index, known, villages, written)
            written.append(row)
            writer.writerow(row)
    return path


def _row(index: int, known: list[tuple[Any, ...]], villages: list[str], written: list[list[Any]]) -> list[Any]:
    family_card = f"1408{index // 3:012d}"
    if index % 20 == 19 and written:
        return written[index // 2]  # a repeated row
    if index % 20 == 18:
        return ["14080612", family_card, f"Warga {index}", "01-01-1980", "L", villages[0], 1, "Petani"]
    if index % 2 == 0 and index // 2 < len(known):
        nik, born, sex, village = known[index // 2]
        return [nik, family_card, f"Warga {index}", born.strftime("%d-%m-%Y"), sex, village, 1 + index % 4, "Petani"]
    village = villages[index % len(villages)]
    born = date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
    sex = "LP"[index % 2]
    nik = make_nik(village[:8], born, sex, 1 + (index // 7) % 9999)
    return [nik, family_card, f"Warga {index}", born.strftime("%d-%m-%Y"), sex, village, 1 + index % 4, "Nelayan"]


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=100_000, help="Rows of the list (default 100,000).")
    parser.add_argument("--persons", type=int, default=1_000_000, help="Bench registry size (default 1,000,000).")


def _run(options: dict[str, Any]) -> dict[str, Any]:
    return bench_targets(rows=options["rows"], persons=options["persons"])


BENCH = Bench("targets", "Read and match a target list against the registry, beside a bare join.", _arguments, _run)
