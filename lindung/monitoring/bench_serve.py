"""`lindung bench serve`: the production server under load, beside its own floor.

Starts gunicorn (config/gunicorn.py, production settings) on this PostgreSQL database, which must
hold the demo data (`--load-demo` loads it into an empty one), then drives 10 and 50 concurrent
clients for `--seconds` each against the worklist, a person search, a statement, a monitoring page
and three API endpoints, and prints requests/s, p50, p99 and errors per endpoint, beside a static
file served by the same server (the floor: what any request costs before Lindung's own work).
The clients run on the same machine and take CPU from the server: the figures are a lower bound."""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from argparse import ArgumentParser
from itertools import cycle
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from lindung.core.benches import Bench

DEMO_COMMANDS = ("load_regions", "demo_users", "demo_registry", "demo_contributions", "demo_claims", "demo_monitoring")


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--seconds", type=int, default=30, help="Per concurrency level (default 30).")
    parser.add_argument("--clients", default="10,50", help="Concurrency levels (default 10,50).")
    parser.add_argument("--load-demo", action="store_true", help="Load the demo data first (an empty database).")


def _run(options: dict[str, Any]) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise CommandError("bench serve runs on PostgreSQL: set DATABASE_URL to a database of its own.")
    if options["load_demo"]:
        call_command("migrate", verbosity=0)
        for command in DEMO_COMMANDS:
            call_command(command, verbosity=0)
    session, token, targets = _prepare()
    with tempfile.TemporaryDirectory() as data_dir:
        port = _free_port()
        server = _start(port, Path(data_dir))
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base)
            levels = [int(level) for level in str(options["clients"]).split(",")]
            results = {str(level): _drive(base, targets, session, token, level, options["seconds"]) for level in levels}
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"bench": "serve", "database": "postgresql", "seconds": options["seconds"], "levels": results}


def _prepare() -> tuple[str, str, dict[str, str]]:
    """A branch officer's session and API token, and the URLs to ask."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from lindung.accounts.models import User
    from lindung.accounts.roles import Role
    from lindung.accounts.services import api_token_create
    from lindung.registry.models import Sponsor

    user = User.objects.filter(role=Role.PETUGAS_CABANG, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("No branch officer: load the demo data first (--load-demo on an empty database).")
    sponsor = Sponsor.objects.filter(kind="pemda").order_by("pk").first() or Sponsor.objects.order_by("pk").first()
    if sponsor is None:
        raise CommandError("No sponsor: load the demo data first (--load-demo on an empty database).")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    _token, raw = api_token_create(actor=None, user=user, name="bench serve")
    region = (user.region_codes or ("14",))[0]
    targets = {
        "worklist": "/",
        "person search": "/peserta/?q=budi",
        "statement": f"/iuran/pemberi-kerja/{sponsor.pk}/",
        "monitoring": f"/pantau/{region}/",
        "api sponsors": "/api/v1/sponsors",
        "api statement": f"/api/v1/sponsors/{sponsor.pk}/statement",
        "api claims": "/api/v1/claims",
        "floor: static file": "/static/lindung/app.css",
    }
    return store.session_key or "", raw, targets


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY if len(settings.SECRET_KEY) >= 50 else secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LINDUNG_DATA_DIR": str(data_dir),
        "LINDUNG_BIND": f"127.0.0.1:{port}",
    }
    root = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--no-input", "-v", "0"],
        env=environment,
        cwd=root,
        check=True,
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return subprocess.Popen(  # noqa: S603
        [gunicorn, "-c", "config/gunicorn.py", "config.wsgi"],
        env=environment,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(base: str) -> None:
    for _attempt in range(150):
        try:
            urllib.request.urlopen(f"{base}/masuk/", timeout=10).close()  # noqa: S310 (our local server)
            return
        except OSError:  # refused while booting, or a first answer slower than the timeout
            time.sleep(0.2)
    raise CommandError("gunicorn did not start")


def _drive(
    base: str, targets: dict[str, str], session: str, token: str, clients: int, seconds: int
) -> dict[str, dict[str, Any]]:
    """`clients` threads ask the targets in turn for `seconds`; each request's time is kept."""
    timings: dict[str, list[float]] = {name: [] for name in targets}
    errors: dict[str, int] = dict.fromkeys(targets, 0)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        names = list(targets)
        order = cycle(names[offset % len(names) :] + names[: offset % len(names)])
        while time.monotonic() < stop:
            name = next(order)
            path = targets[name]
            headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
            if not path.startswith(("/api/", "/static/")):
                headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
            request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
            started = time.monotonic()
            ok = True
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except OSError:  # an HTTP error, a refused connection or a timeout
                ok = False
            elapsed = time.monotonic() - started
            with lock:
                timings[name].append(elapsed)
                errors[name] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {name: _summary(values, errors[name], seconds) for name, values in timings.items()}


def _summary(values: list[float], errors: int, seconds: int) -> dict[str, Any]:
    if not values:
        return {"requests": 0, "errors": errors}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "requests": len(values),
        "per_second": round(len(values) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000),
        "p99_ms": round(p99 * 1000),
        "errors": errors,
    }


BENCH = Bench("serve", "The production server under 10 and 50 clients, beside a static file.", _arguments, _run)
