"""`lindung worker`: the background worker (django-tasks' database worker) made to survive the database.

django-tasks-db's `db_worker` lets a database error escape its loop: on SQLite a write lock held
longer than the busy timeout ends the loop's thread while the process lives on, and every job after
it waits for ever. This worker restarts the loop after such errors with a backoff, and records a
heartbeat from a thread of its own, so pages can say when no worker runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from lindung.core.jobs import HEARTBEAT_EVERY, heartbeat_safely

logger = logging.getLogger("django_tasks_db")
LOOP_RESTART_DELAYS = (1, 2, 5, 10, 30)


class ResilientWorker(Worker):
    """A worker whose loop outlives database errors and that beats while it runs (even inside a job)."""

    def run(self) -> None:
        beating = threading.Event()
        beat = threading.Thread(target=self._beat, args=(beating,), name="lindung-heartbeat", daemon=True)
        beat.start()
        failures = 0
        try:
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks ended it
                except DatabaseError as error:
                    delay = LOOP_RESTART_DELAYS[min(failures, len(LOOP_RESTART_DELAYS) - 1)]
                    failures += 1
                    logger.warning("Worker loop hit a database error, restarting in %ss: %s", delay, error)
                    connection.close()
                    self.startup_delay = False
                    time.sleep(delay)
        finally:
            beating.set()

    def _beat(self, stop: threading.Event) -> None:
        host, pid = socket.gethostname()[:200], os.getpid()
        try:
            while not stop.is_set():
                recorded = heartbeat_safely(worker_id=self.worker_id, host=host, pid=pid)
                stop.wait(HEARTBEAT_EVERY if recorded else 1)  # a missed beat is tried again soon
        finally:
            connection.close()  # this thread's own connection


class Command(DbWorkerCommand):
    help = "Run the background worker: jobs retried after database errors, a heartbeat pages can see."

    def handle(self, *args: Any, **options: Any) -> None:
        import django_tasks_db.management.commands.db_worker as db_worker

        # The parent builds `Worker(...)` by name: give it ours.
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        super().handle(*args, **options)
