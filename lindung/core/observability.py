"""Logs a machine can read and metrics Prometheus can scrape.

- Every request gets an id (the proxy's X-Request-ID, or a new one), returned in the response and
  put on every log line written while it runs, with the user's id. Log lines are JSON objects.
  Personal data stays out: the URL is logged without its query string, and no view puts a NIK in
  a URL (registry.tests.test_nik_never_in_url).
- `/metrics` (Prometheus text format) needs `Authorization: Bearer <LINDUNG_METRICS_TOKEN>`; with
  no token set it does not exist (404). Requests are counted per process (label `pid`: sum them);
  the job queue's length and oldest age, failed jobs and the worker's silence come from the
  database, the same for every process.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

REQUEST: ContextVar[dict[str, Any] | None] = ContextVar("lindung_request", default=None)
_REQUESTS: Counter[tuple[str, str]] = Counter()  # (method, status class) -> count, this process
_SECONDS: dict[str, float] = {}  # method -> total seconds


class RequestIdMiddleware:
    """Gives each request an id and counts it; after the authentication middleware (user id)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if given and len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        user = getattr(request, "user", None)
        context = {"request_id": request_id, "user_id": user.pk if user is not None and user.is_authenticated else None}
        # Also on the request: Django logs a 4xx/5xx after the middleware returned, with the request.
        request.lindung_context = context  # type: ignore[attr-defined]
        token = REQUEST.set(context)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        finally:
            REQUEST.reset(token)
        _REQUESTS[(request.method or "", f"{response.status_code // 100}xx")] += 1
        method = request.method or ""
        _SECONDS[method] = _SECONDS.get(method, 0.0) + time.monotonic() - started
        response["X-Request-ID"] = request_id
        return response


class RequestContextFilter(logging.Filter):
    """Puts the running request's id and user id on each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = REQUEST.get() or getattr(getattr(record, "request", None), "lindung_context", None) or {}
        record.request_id = context.get("request_id")
        record.user_id = context.get("user_id")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request and user ids, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            line["path"] = request.path  # never the query string
            line["status"] = getattr(record, "status_code", None)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def metrics(request: HttpRequest) -> HttpResponse:
    expected = getattr(settings, "METRICS_TOKEN", "")
    if not expected:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given, expected):
        return HttpResponse("token required\n", status=401, content_type="text/plain")
    return HttpResponse("".join(_lines()), content_type="text/plain; version=0.0.4")


def _lines() -> list[str]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from lindung.core.models import WorkerHeartbeat

    pid = os.getpid()
    lines = ["# HELP lindung_http_requests_total Requests answered by this process.\n"]
    lines.append("# TYPE lindung_http_requests_total counter\n")
    for (method, status), count in sorted(_REQUESTS.items()):
        lines.append(f'lindung_http_requests_total{{pid="{pid}",method="{method}",status="{status}"}} {count}\n')
    lines.append("# TYPE lindung_http_request_seconds_total counter\n")
    for method, seconds in sorted(_SECONDS.items()):
        lines.append(f'lindung_http_request_seconds_total{{pid="{pid}",method="{method}"}} {seconds:.3f}\n')
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    silence = (timezone.now() - seen).total_seconds() if seen else -1
    lines += [
        "# TYPE lindung_jobs_waiting gauge\n",
        f"lindung_jobs_waiting {waiting.count()}\n",
        "# TYPE lindung_jobs_oldest_waiting_seconds gauge\n",
        f"lindung_jobs_oldest_waiting_seconds {age:.0f}\n",
        "# TYPE lindung_jobs_failed_total counter\n",
        f"lindung_jobs_failed_total {failed}\n",
        "# HELP lindung_worker_silence_seconds Since a job worker was last seen; -1: never.\n",
        "# TYPE lindung_worker_silence_seconds gauge\n",
        f"lindung_worker_silence_seconds {silence:.0f}\n",
    ]
    return lines


def init_error_tracker(dsn: str, *, environment: str) -> None:
    """Send unhandled errors to the tracker at `dsn`, scrubbed of personal data (`scrub`)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]  # an Event is a TypedDict of this dict
        traces_sample_rate=0.0,
    )


def scrub(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    """What the tracker may keep of a request: method, path and the request id; never the query
    string (a search may hold a name), cookies, headers, body or the user beyond an id."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {"method": request.get("method"), "url": str(request.get("url", "")).split("?")[0]}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user.get("id")}
    context = REQUEST.get() or {}
    event.setdefault("tags", {})["request_id"] = context.get("request_id")
    return event
