"""Writes announce what they changed; read models follow, inside the same transaction.

A write that changes facts others derive figures from wraps itself in `changing(Change(...))`,
naming what it changes at the finest grain it knows: memberships, the payers whose allocations
move, one period's billed lines, paid claims. Each registered follower (the monitoring rollups
register one in their AppConfig.ready) takes a snapshot of just those rows before the write and
applies the difference after it, so the cost of following grows with the change, never with the
sponsor or region. The writing apps know nothing of their followers: dependencies point one way.

An announcement made while another is open is not followed on its own: the outer one must cover
what the writes inside it change (a billing run covers the allocations it rebuilds).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction


@dataclass(frozen=True)
class Payers:
    """Sponsors and self-paying persons whose allocations (so what is paid and collected) change."""

    sponsor_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Billed:
    """The lines of one period's invoices in a scope: one sponsor, regions' subtrees, or everything."""

    period: str
    sponsor_id: int | None = None
    region_codes: tuple[str, ...] = ()
    # Only these memberships' lines (a death reversed), when given.
    membership_ids: tuple[int, ...] = ()


@dataclass
class Change:
    """What a write changes. `created_memberships` may grow inside the block: rows it creates have no
    state before the write, so only their state after it counts."""

    memberships: set[int] = field(default_factory=set)
    created_memberships: set[int] = field(default_factory=set)
    payers: Payers | None = None
    billed: Billed | None = None
    claims: set[int] = field(default_factory=set)


class Follower(Protocol):
    """A read model kept exact by writes: a snapshot before, the difference applied after."""

    def before(self, change: Change) -> Any: ...

    def after(self, change: Change, snapshot: Any) -> None: ...


_followers: dict[str, Follower] = {}
_open: ContextVar[bool] = ContextVar("lindung_change_open", default=False)
# Seconds the followers took, added up while a bench measures it (see following_time).
_spent: ContextVar[list[float] | None] = ContextVar("lindung_following_time", default=None)


def follower_register(name: str, follower: Follower) -> None:
    """Register (or replace) the follower called `name`; apps do this in AppConfig.ready()."""
    _followers[name] = follower


@contextmanager
def changing(change: Change) -> Iterator[Change]:
    """Around a write, inside its transaction: followers see the state before and after it."""
    if _open.get() or not _followers:
        yield change
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("changing() must run inside the writing transaction")
    started = time.perf_counter()
    snapshots = [(follower, follower.before(change)) for follower in _followers.values()]
    spent = time.perf_counter() - started
    token = _open.set(True)
    try:
        yield change
    finally:
        _open.reset(token)
    started = time.perf_counter()
    for follower, snapshot in snapshots:
        follower.after(change, snapshot)
    spent += time.perf_counter() - started
    if (total := _spent.get()) is not None:
        total[0] += spent


@contextmanager
def following_time() -> Iterator[list[float]]:
    """For benches: `[seconds]` the followers spent on the writes inside the block, added up."""
    total = [0.0]
    token = _spent.set(total)
    try:
        yield total
    finally:
        _spent.reset(token)
