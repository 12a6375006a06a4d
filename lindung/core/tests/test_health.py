"""/healthz answers 200 only when the database, the job worker and the upload folders are fit, and
names what is wrong otherwise (issue 21); the production server answers under gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from lindung.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

BACKGROUND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_healthy_when_jobs_run_at_once_and_folders_are_writable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "worker", "imports_folder", "claims_folder"}
    assert response["Cache-Control"] == "no-store"


def test_no_worker_seen_within_a_minute_is_503_naming_the_worker(client, settings):
    settings.TASKS = BACKGROUND
    response = client.get("/healthz")
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert "no job worker" in worker["detail"]
    WorkerHeartbeat.objects.create(worker_id="w1", host="test", pid=1)
    assert client.get("/healthz").status_code == 200


def test_a_full_or_unwritable_folder_is_503(client, settings, tmp_path):
    settings.HEALTH_MIN_FREE_MB = 10**12  # more than any disk
    body = client.get("/healthz").json()
    assert body["checks"]["imports_folder"]["ok"] is False
    assert "MB free" in body["checks"]["imports_folder"]["detail"]
    settings.HEALTH_MIN_FREE_MB = 1
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    settings.CLAIM_DOCUMENT_DIR = blocked
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["claims_folder"]["ok"] is False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local test server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the server needs a database it can share: PostgreSQL")
def test_the_production_server_answers_the_login_page_the_api_and_its_health(tmp_path):
    """`make serve`'s server (gunicorn, config/gunicorn.py, production settings) on the test database."""
    port = free_port()
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LINDUNG_DATA_DIR": str(tmp_path),
        "LINDUNG_BIND": f"127.0.0.1:{port}",
        "LINDUNG_WEB_WORKERS": "2",
    }
    root = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--no-input", "-v", "0"],
        env=environment,
        cwd=root,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        env=environment,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                status, _body = get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        assert status == 503  # production jobs wait for a worker, and none runs yet
        assert get(f"{base}/masuk/")[0] == 200
        assert get(f"{base}/api/v1/openapi.json")[0] == 200
        WorkerHeartbeat.objects.create(worker_id="w-serve", host="test", pid=1)
        connection.close()
        status, body = get(f"{base}/healthz")
        assert (status, '"status": "ok"' in body) == (200, True)
    finally:
        server.terminate()
        server.wait(timeout=20)
