"""Background jobs of target lists (django-tasks, run by `lindung worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from lindung.core.jobs import run_job
from lindung.outreach import processing


@task()
def read_target_list(list_id: int) -> dict[str, Any] | None:
    """Read an uploaded list and match it; the list's page shows progress, then the counts."""
    return run_job(
        lambda: processing.target_list_read(list_id),
        fail=lambda reason: processing.target_list_mark_failed(list_id, reason),
    )


@task()
def rematch_target_list(list_id: int) -> dict[str, int] | None:
    """Match a list again (asked on its page); the page shows "being matched" until it is done."""
    return run_job(
        lambda: processing.target_list_match_again(list_id),
        fail=lambda reason: processing.target_list_match_failed(list_id, reason),
    )
