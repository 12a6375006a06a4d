"""Reads that may go to a read replica (`DATABASE_REPLICA_URL`): monitoring pages, exports, the PDF.

Only code that asks for it reads from the replica (`with replica_reads():` or `@replica_reads()`),
and never when it must see the primary's latest state:
- inside a transaction on the primary (a write, or a read that belongs to one);
- for a signed-in user who wrote something in the last `REPLICA_STICKY_SECONDS` (they expect to see
  it, and a standby may lag a moment): `PrimaryAfterWriteMiddleware` pins their requests to the
  primary. API clients have no session to remember it in: their monitoring reads may lag.
Writes always go to the primary; migrations run only there. Without a replica alias configured,
everything reads from the primary and this module changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ContextDecorator, contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
SESSION_KEY = "lindung_wrote_at"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ROUTER = "lindung.core.replica.ReplicaRouter"

_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.databases


def replica_in_use() -> bool:
    """A replica alias and its router are both configured (settings, from DATABASE_REPLICA_URL)."""
    return replica_configured() and ROUTER in settings.DATABASE_ROUTERS


class replica_reads(ContextDecorator):
    """Reads inside may go to the replica (if one is configured and nothing pins to the primary)."""

    def __enter__(self) -> replica_reads:
        self._token = _wanted.set(True)
        return self

    def __exit__(self, *exc: object) -> None:
        _wanted.reset(self._token)


@contextmanager
def pinned_to_primary() -> Iterator[None]:
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def read_alias() -> str:
    """Where a read asked for now goes: the replica, or the primary."""
    if not _wanted.get() or _pinned.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """Django's database router for the replica (settings.DATABASE_ROUTERS, set with the alias)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class PrimaryAfterWriteMiddleware:
    """A user who just changed something reads from the primary for a while, so they see it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_in_use():
            return self.get_response(request)  # nothing to pin: no session read, no session write
        # Signed-in browsers only: stamping an API client's empty session would create a session
        # row for every write it makes.
        session = getattr(request, "session", None)
        if session is not None and not session.session_key:
            session = None
        wrote_at = session.get(SESSION_KEY, 0) if session is not None else 0
        recent = time.time() - wrote_at < settings.REPLICA_STICKY_SECONDS
        if request.method in SAFE_METHODS and not recent:
            return self.get_response(request)
        with pinned_to_primary():
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and session is not None and response.status_code < 400:
            session[SESSION_KEY] = time.time()
        return response
