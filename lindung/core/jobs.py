"""Background jobs that survive the database: retries with backoff, a failure the page can show,
cancellation, and the worker's heartbeat.

A job's work must be idempotent and write in one transaction, so that a retry after a database
error (SQLite's "database is locked", a lost PostgreSQL connection) starts from a clean state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindung.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Seconds to wait before each retry after a database error; the job fails after the last one.
RETRY_DELAYS: tuple[float, ...] = (1, 2, 4, 8, 16, 32)
# A worker not seen for longer than this is taken for stopped.
WORKER_SILENCE = timedelta(seconds=60)
HEARTBEAT_EVERY = 10.0  # seconds
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class JobEnded(Exception):
    """The job's batch reached a final state on its own (the user cancelled it, or a refused file marked
    it failed with its reason): stop quietly, without writing anything more."""


def run_job(work: Callable[[], T], *, fail: Callable[[str], None], delays: tuple[float, ...] | None = None) -> T | None:
    """Run `work`, retrying it after transient database errors; on the last failure call `fail(reason)`.

    `reason` is a sentence in the site's language (Bahasa Indonesia) for the page that waits on the job.
    A job that ended its batch itself (JobEnded) returns None. Any other error fails the job at once:
    retrying a bug repeats it.
    """
    delays = RETRY_DELAYS if delays is None else delays
    for attempt in range(len(delays) + 1):
        try:
            return work()
        except JobEnded:
            return None
        except TRANSIENT_ERRORS as error:
            _forget_connection()
            if attempt == len(delays):
                _record_failure(fail, _database_reason(error, attempt + 1))
                raise
            logger.warning(
                "Job attempt %s hit a database error, retrying in %ss: %s", attempt + 1, delays[attempt], error
            )
            time.sleep(delays[attempt])
        except Exception as error:
            _forget_connection()
            _record_failure(fail, _crash_reason(error))
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _forget_connection() -> None:
    # A broken or mid-transaction connection must not be reused by the next attempt.
    if connection.in_atomic_block:
        return  # the caller's transaction owns it (tests run jobs inside one)
    connection.close()


def _record_failure(fail: Callable[[str], None], reason: str) -> None:
    """Store the failure; the database may still be busy, so this retries too, then only logs."""
    for delay in (0, 1, 2, 4, 8):
        time.sleep(delay)
        try:
            fail(reason)
            return
        except DatabaseError:
            _forget_connection()
    logger.error("Could not record a job failure: %s", reason)


def _database_reason(error: Exception, attempts: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The database could not be reached after %(attempts)s attempts (%(error)s). Nothing was written. "
            "Try again in a few minutes; if it happens again, tell the administrator."
        ) % {"attempts": attempts, "error": str(error)[:300]}


def _crash_reason(error: Exception) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The job stopped on an unexpected error (%(error)s). Nothing was written. "
            "Check the file and upload it again; if it happens again, tell the administrator."
        ) % {"error": f"{type(error).__name__}: {str(error)[:300]}"}


# ---------------------------------------------------------------- the worker's heartbeat


def heartbeat(*, worker_id: str, host: str, pid: int) -> None:
    """Record that this worker is alive (one upsert)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": host, "pid": pid, "seen_at": timezone.now()}
    )


def heartbeat_safely(*, worker_id: str, host: str, pid: int) -> bool:
    """A heartbeat that never raises: a busy database only delays the next sign of life. True if recorded."""
    try:
        heartbeat(worker_id=worker_id, host=host, pid=pid)
    except DatabaseError as error:
        logger.warning("Heartbeat not recorded: %s", error)
        connection.close()
        return False
    return True


def jobs_run_in_background() -> bool:
    """Whether queued jobs wait for a worker (the database queue) or run at once (tests, immediate)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return str(backend).startswith("django_tasks_db")


@dataclass(frozen=True)
class WorkerStatus:
    """Whether queued jobs will run: `running`, and when a worker was last seen (None: never)."""

    running: bool
    last_seen: datetime | None = None


def worker_status() -> WorkerStatus:
    """Running while a worker was seen in the last minute, or always when jobs need no worker."""
    if not jobs_run_in_background():
        return WorkerStatus(running=True)
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return WorkerStatus(running=last is not None and timezone.now() - last <= WORKER_SILENCE, last_seen=last)
