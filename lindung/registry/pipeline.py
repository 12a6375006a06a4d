"""An import as a pipeline (PostgreSQL): each checked chunk's new rows are written by a thread of
their own while the next chunk is read and checked.

Checking is Python; writing is mostly the server's work (COPY, index upkeep, foreign keys). Done
one after the other, a 100,000-row import against a registry of two million spent half its time
waiting on one or the other; side by side they overlap. The writer thread holds the one
transaction of the whole import: it takes the sponsor's lock, writes every chunk, then (once the
whole file is checked) the plan's changes, the overlap check, the audit entries and the caller's
own last step, and commits. If checking fails or is cancelled, the writer rolls everything back:
as before, nothing of a file is written unless all of it is.

The rows are checked against the registry as committed (as the serial path checks them before its
transaction); the overlap check in the writer's transaction remains the last word.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextvars import copy_context
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, connections, transaction

from lindung.accounts.models import User
from lindung.core.db import is_postgresql
from lindung.registry.enrolment import Plan, Row
from lindung.registry.models import Agreement, Sponsor
from lindung.registry.writer import Inserted, Written, complete_plan, insert_new_rows, lock_sponsor

# Chunks waiting for the writer: enough to keep it busy, few enough to bound memory.
QUEUE_CHUNKS = 4
Chunk = tuple[list[Row], dict[str, int]]
# Receives each checked chunk's new rows and the registered persons among them.
NewRows = Callable[[list[Row], dict[str, int]], None]
PlanChecker = Callable[[NewRows], Plan]


def can_pipeline() -> bool:
    """PostgreSQL, and no transaction already open (the writer's own would not see its rows)."""
    return is_postgresql(connection) and not connection.in_atomic_block


class _Stop(Exception):
    """The checking side failed or was cancelled: roll the writer's transaction back."""


@dataclass
class _Done:
    plan: Plan


def check_and_write(
    check: PlanChecker,
    *,
    sponsor: Sponsor | None,
    agreement: Agreement | None,
    actor: User | None,
    now: datetime,
    last_step: Callable[[Plan, Written], None],
) -> tuple[Plan, Written]:
    """Run `check(new_rows)` here while a writer thread writes what it hands over; then complete
    the plan and run `last_step` in the writer's transaction. Returns the plan and what was written."""
    chunks: queue.Queue[Chunk | _Done | None] = queue.Queue(maxsize=QUEUE_CHUNKS)
    outcome: dict[str, object] = {}
    writer = threading.Thread(
        target=copy_context().run,  # the caller's context: following_time() and kin reach the writer
        args=(_write, chunks, outcome, sponsor, agreement, actor, now, last_step),
        name="lindung-import-writer",
        daemon=True,
    )
    writer.start()

    def hand_over(rows: list[Row], registered: dict[str, int]) -> None:
        _put(chunks, (rows, registered), writer, outcome)

    try:
        plan = check(hand_over)
    except BaseException:
        _put(chunks, None, writer, outcome, give_up=True)  # None: roll back
        writer.join()
        raise
    _put(chunks, _Done(plan), writer, outcome)
    writer.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return plan, outcome["written"]  # type: ignore[return-value]


def _put(
    chunks: queue.Queue[Chunk | _Done | None],
    item: Chunk | _Done | None,
    writer: threading.Thread,
    outcome: dict[str, object],
    *,
    give_up: bool = False,
) -> None:
    """Queue `item`, unless the writer has stopped (then raise its error here, at once)."""
    while True:
        if "error" in outcome or not writer.is_alive():
            if give_up:
                return
            raise outcome.get("error") or RuntimeError("the import writer stopped")  # type: ignore[misc]
        try:
            chunks.put(item, timeout=0.2)
            return
        except queue.Full:
            continue


def _write(
    chunks: queue.Queue[Chunk | _Done | None],
    outcome: dict[str, object],
    sponsor: Sponsor | None,
    agreement: Agreement | None,
    actor: User | None,
    now: datetime,
    last_step: Callable[[Plan, Written], None],
) -> None:
    actor_id = actor.pk if actor is not None and actor.pk else None
    try:
        with transaction.atomic():
            lock_sponsor(sponsor)
            inserted = Inserted()
            while True:
                item = chunks.get()
                if item is None:
                    raise _Stop
                if isinstance(item, _Done):
                    break
                rows, registered = item
                inserted.add(
                    insert_new_rows(rows, registered, sponsor=sponsor, agreement=agreement, actor_id=actor_id, now=now)
                )
            written = complete_plan(item.plan, inserted, sponsor=sponsor, actor=actor, now=now)
            last_step(item.plan, written)
        outcome["written"] = written
    except _Stop:
        pass
    except BaseException as error:  # handed to the checking thread, which raises it
        outcome["error"] = error
    finally:
        connections.close_all()  # this thread's connection; the next import opens its own
