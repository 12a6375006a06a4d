"""Background jobs of the registry (django-tasks, database backend, run by `lindung db_worker`)."""

from __future__ import annotations

from django_tasks import task

from lindung.registry.imports import import_check, import_write
from lindung.registry.models import ImportBatch


@task()
def check_import(batch_id: int) -> dict[str, int]:
    """Check an uploaded file; the batch shows progress and, at the end, the counts and error report."""
    batch = ImportBatch.objects.select_related("sponsor", "agreement").get(pk=batch_id)
    return import_check(batch).summary()


@task()
def write_import(batch_id: int) -> dict[str, int]:
    """Write a confirmed upload: check again, then one transaction."""
    batch = ImportBatch.objects.select_related("sponsor", "agreement", "created_by").get(pk=batch_id)
    return import_write(batch).summary()
