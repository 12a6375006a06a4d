"""gunicorn's settings for `make serve` and deploy/lindung-web.service.

Workers default to 2 x cores + 1 (gunicorn's advice for synchronous workers); every value can be
set from the environment (deploy/.env.example)."""

import multiprocessing

from config import env

bind = env.text("LINDUNG_BIND", "127.0.0.1:8000")
workers = int(env.text("LINDUNG_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# A region PDF or an XLSX of 50,000 rows takes seconds; nothing should take a minute.
timeout = int(env.text("LINDUNG_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# One JSON line per request, like the application's (lindung.core.observability): the path without
# its query string, and the request id the application answered with.
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)
# The reverse proxy on this machine sets X-Forwarded-Proto; trust it only from there.
forwarded_allow_ips = env.text("LINDUNG_FORWARDED_ALLOW_IPS", "127.0.0.1")
