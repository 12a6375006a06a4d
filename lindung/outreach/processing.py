"""Reading an uploaded list into entries and matching them: the body of the background job."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindung.core.db import insert_rows
from lindung.outreach import matching, reading, selectors
from lindung.outreach.models import ListStatus, TargetEntry, TargetList

CHUNK = 10_000  # entries per transaction while reading: progress shows between them


def target_list_read(list_id: int) -> dict[str, Any]:
    """The job: read the stored file into entries (in chunks, with progress), then match them.

    A list whose rows equal those of a list already read for the region becomes "same as" that one
    and keeps no entries of its own."""
    target_list = TargetList.objects.get(pk=list_id)
    positions, rows, total = reading.open_list(Path(target_list.stored_path))
    TargetEntry.objects.filter(target_list=target_list).delete()  # a retried job starts again
    _set(target_list, status=ListStatus.READING, total_rows=total, processed_rows=0)
    result = reading.ReadResult()
    entries = reading.entry_rows(target_list, positions, rows, result)
    while chunk := list(itertools.islice(entries, CHUNK)):
        with transaction.atomic():
            insert_rows(TargetEntry._meta.db_table, reading.ENTRY_COLUMNS, chunk)
        _set(target_list, processed_rows=target_list.processed_rows + len(chunk))
    same = (
        TargetList.objects.filter(region=target_list.region, content_hash=result.content_hash, status=ListStatus.DONE)
        .exclude(pk=target_list.pk)
        .first()
    )
    if same is not None:
        TargetEntry.objects.filter(target_list=target_list).delete()
        _finish(target_list, status=ListStatus.SAME, same_as=same, content_hash=result.content_hash)
        return {"same_as": same.pk}
    _set(target_list, status=ListStatus.MATCHING, content_hash=result.content_hash, total_rows=result.rows)
    counts = matching.match_list(target_list)
    summary = {
        "rows": result.rows,
        "skipped": result.skipped,
        "skipped_sample": result.skipped_sample,
        **counts,
        "history": matching.with_history([], counts),
        "figures": selectors.figures_summary(target_list),
    }
    _finish(target_list, status=ListStatus.DONE, summary=summary, matched_at=timezone.now())
    return {"rows": result.rows, "skipped": result.skipped}


def target_list_match_again(list_id: int, *, today: date | None = None) -> dict[str, int]:
    """Match a read list again against today's registry and keep its counts, figures and progress."""
    target_list = TargetList.objects.get(pk=list_id)
    counts = matching.match_list(target_list, today=today)
    history = matching.with_history(target_list.summary.get("history", []), counts, on=today)
    figures = selectors.figures_summary(target_list)
    summary = {**target_list.summary, **counts, "history": history, "figures": figures}
    _set(target_list, status=ListStatus.DONE, summary=summary, matched_at=timezone.now())
    return counts


def target_list_match_failed(list_id: int, reason: str) -> None:
    """Matching again failed: the list keeps its entries and last figures, and says why."""
    TargetList.objects.filter(pk=list_id).update(status=ListStatus.DONE, failure=reason)


def target_list_mark_failed(list_id: int, reason: str) -> None:
    """A list that could not be read keeps no half of its entries: upload it again once corrected."""
    target_list = TargetList.objects.filter(pk=list_id).first()
    if target_list is not None:
        TargetEntry.objects.filter(target_list=target_list).delete()
        _finish(target_list, status=ListStatus.FAILED, failure=reason)


def _finish(target_list: TargetList, **changes: Any) -> None:
    """The list's last state; the file it was read from is no longer needed (personal data kept once)."""
    remove_file(target_list)
    _set(target_list, stored_path="", **changes)


def remove_file(target_list: TargetList) -> None:
    if target_list.stored_path:
        Path(target_list.stored_path).unlink(missing_ok=True)


def _set(target_list: TargetList, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(target_list, name, value)
    TargetList.objects.filter(pk=target_list.pk).update(**changes)
