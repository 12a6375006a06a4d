"""The test suite: the same database choice as dev (DATABASE_URL selects PostgreSQL)."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Persistent connections outlive the live-server thread and block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# A replica alias that mirrors the test database; the router is switched on only by the tests of
# the replica routing (with transaction=True: a mirror is another connection, which cannot see
# the uncommitted rows of a test wrapped in a transaction).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
# Background jobs run inside the request that queues them (one test runs the real database queue).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploaded files in a folder of this run's own: `make test` runs the SQLite and the PostgreSQL
# suites side by side.
_RUN_DIR = Path(tempfile.mkdtemp(prefix="lindung-test-"))
IMPORT_DIR = _RUN_DIR / "imports"
CLAIM_DOCUMENT_DIR = _RUN_DIR / "claims"
TARGET_LIST_DIR = _RUN_DIR / "targets"
