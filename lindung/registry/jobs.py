"""Background jobs of the registry (django-tasks, database backend, run by `lindung worker`).

Each job retries after database errors and, when it gives up or crashes, marks its batch failed
with a reason the upload page shows (lindung.core.jobs.run_job)."""

from __future__ import annotations

from django_tasks import task

from lindung.core.jobs import run_job
from lindung.registry import imports
from lindung.registry.models import ImportBatch


@task()
def check_import(batch_id: int) -> dict[str, int] | None:
    """Check an uploaded file; the batch shows progress and, at the end, the counts and error report."""

    def check() -> dict[str, int]:
        batch = ImportBatch.objects.select_related("sponsor", "agreement").get(pk=batch_id)
        return imports.import_check(batch).summary()

    return run_job(check, fail=lambda reason: imports.import_mark_failed(batch_id, reason))


@task()
def write_import(batch_id: int) -> dict[str, int] | None:
    """Write a confirmed upload: check again, then one transaction."""

    def write() -> dict[str, int]:
        batch = ImportBatch.objects.select_related("sponsor", "agreement", "created_by").get(pk=batch_id)
        return imports.import_write(batch).summary()

    return run_job(write, fail=lambda reason: imports.import_mark_failed(batch_id, reason))
