"""Writes to the region tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from lindung.core.audit import audit_record
from lindung.core.models import AuditAction
from lindung.regions import codes
from lindung.regions.models import Region
from lindung.regions.sources import RegionRecord

BATCH_SIZE = 5_000
# The columns a reload compares; anything else on a region is derived from these.
COMPARED = ("name", "level", "kind", "local_kind", "parent_id", "postal_code")


@dataclass
class RegionLoadResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    # Codes in the database that the source no longer has. They are kept (data may point
    # at them: an old NIK carries the kecamatan that issued it) and reported.
    obsolete: list[str] = field(default_factory=list)
    per_level: dict[int, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _region_from(record: RegionRecord) -> Region:
    return Region(
        code=record.code,
        name=record.name,
        search_name=codes.fold_name(record.name),
        level=record.level,
        kind=record.kind,
        local_kind=record.local_kind,
        parent_id=record.parent_code,
        # Empty (not NULL) where the region is above that level: a province has no regency.
        province_code=codes.ancestor_at(record.code, codes.PROVINCE) or "",
        regency_code=codes.ancestor_at(record.code, codes.REGENCY) or "",
        district_code=codes.ancestor_at(record.code, codes.DISTRICT) or "",
        postal_code=record.postal_code,
    )


def _row_of(region: Region) -> tuple[Any, ...]:
    return tuple(getattr(region, column) for column in COMPARED)


def regions_load(
    *,
    actor: Any,
    records: Iterable[RegionRecord],
    source: str,
    progress: Callable[[str], None] | None = None,
) -> RegionLoadResult:
    """Bring the region table in line with `records` (parents first): create, update, never delete.

    Idempotent: a second run with the same records writes nothing and records no audit entry.
    One read of the existing rows, then batched INSERTs/UPDATEs, all in one transaction.
    """
    say = progress or (lambda _message: None)
    result = RegionLoadResult()
    wanted = [_region_from(record) for record in records]
    result.total = len(wanted)
    for region in wanted:
        result.per_level[region.level] = result.per_level.get(region.level, 0) + 1

    existing = {row[0]: row[1:] for row in Region.objects.values_list("code", *COMPARED).iterator(chunk_size=10_000)}
    to_create = [region for region in wanted if region.code not in existing]
    to_update = [r for r in wanted if r.code in existing and existing[r.code] != _row_of(r)]
    wanted_codes = {region.code for region in wanted}
    result.obsolete = sorted(code for code in existing if code not in wanted_codes)
    result.created, result.updated = len(to_create), len(to_update)
    if not result.changed:
        return result

    with transaction.atomic():
        for start in range(0, len(to_create), BATCH_SIZE):
            Region.objects.bulk_create(to_create[start : start + BATCH_SIZE])
            say(f"{min(start + BATCH_SIZE, len(to_create)):,}/{len(to_create):,}")
        Region.objects.bulk_update(
            to_update,
            [*COMPARED, "search_name", "province_code", "regency_code", "district_code"],
            batch_size=1_000,
        )
        audit_record(
            actor=actor,
            action=AuditAction.LOAD,
            object_type="regions.region",
            object_id="*",
            object_repr=f"Wilayah dari {source}",
            before=None,
            after={
                "source": source,
                "created": result.created,
                "updated": result.updated,
                "total": result.total,
            },
        )
    # Fresh planner statistics, or the first queries after a bulk load guess row counts badly.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Region._meta.db_table}")
    return result
