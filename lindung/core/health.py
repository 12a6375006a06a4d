"""`/healthz`: may this instance take traffic? For the load balancer, systemd and a monitor.

200 only when the database answers with every migration applied, a job worker was seen within
a minute (when jobs run in the background), and each upload folder is writable with free space;
otherwise 503. The JSON body names each check and what is wrong, never personal data."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from lindung.core.jobs import worker_status


def database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return False, f"database unreachable: {type(error).__name__}"
    if pending:
        return False, f"{len(pending)} migration(s) not applied"
    return True, "ok"


def worker() -> tuple[bool, str]:
    status = worker_status()
    if status.running:
        return True, "ok"
    seen = status.last_seen.isoformat() if status.last_seen else "never"
    return False, f"no job worker seen within a minute (last seen: {seen})"


def folder(path: Path) -> tuple[bool, str]:
    """Writable (a file can be made and removed) with at least HEALTH_MIN_FREE_MB free."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".health-"):
            pass
        free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    except OSError as error:
        return False, f"not writable: {error.strerror or type(error).__name__}"
    minimum = int(getattr(settings, "HEALTH_MIN_FREE_MB", 500))
    if free_mb < minimum:
        return False, f"{free_mb} MB free, less than {minimum} MB"
    return True, "ok"


def report() -> tuple[bool, dict[str, Any]]:
    checks = {
        "database": database(),
        "worker": worker(),
        "imports_folder": folder(Path(settings.IMPORT_DIR)),
        "claims_folder": folder(Path(settings.CLAIM_DOCUMENT_DIR)),
    }
    healthy = all(ok for ok, _detail in checks.values())
    body = {
        "status": "ok" if healthy else "unhealthy",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return healthy, body
