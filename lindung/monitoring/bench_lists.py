"""`lindung bench lists --persons 2000000`: the server time of the lists and searches a back office
uses all day, as the administrator and as a kabupaten operator, beside the same SQL replayed.

The registry is built once (core of `bench import --existing`: Indonesian names, valid NIKs, one
membership each in the person's own village, spread over the whole country). Each request goes
through Django's test client (middleware, scoping, serialisation) `REPEATS` times; p50 and p95 are
reported. The floor is the SQL statements the request issued, run again directly.
"""

from __future__ import annotations

import statistics
import time
from argparse import ArgumentParser
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lindung.accounts.models import RegionAssignment, User
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.core.benches import Bench
from lindung.monitoring.bench import replay_ms
from lindung.registry.bench_members import ensure_members, registry_sponsor
from lindung.registry.models import Membership, Person

REPEATS = 21
OPERATOR_REGENCY = "14.08"  # Kabupaten Siak
GOAL_MS = 200


def bench_lists(*, persons: int) -> dict[str, Any]:
    """Build the registry if needed, then time every list for both actors."""
    sponsor = registry_sponsor()
    ensure_members(sponsor, persons)
    results = time_lists(sponsor_id=sponsor.pk)
    return {
        "bench": "lists",
        "database": connection.vendor,
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "operator_regency": OPERATOR_REGENCY,
        "operator_persons_in_scope": _in_scope(_operator()),
        "lists": results,
        "worst_p95_ms": worst_p95(results),
        "goal_p95_ms": GOAL_MS,
    }


def time_lists(*, sponsor_id: int) -> dict[str, dict[str, Any]]:
    """Every list and search, timed for the administrator and the kabupaten operator."""
    results: dict[str, Any] = {}
    for actor_name, user in (("administrator", _admin()), ("kabupaten_operator", _operator())):
        _token, raw = api_token_create(actor=None, user=user, name="bench lists")
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")  # the API
        client.force_login(user)  # the pages
        requests = _requests(client, _someone_seen_by(user), _sponsor_seen_by(user, sponsor_id))
        results[actor_name] = {name: _timed(request) for name, request in requests.items()}
    return results


def worst_p95(results: dict[str, dict[str, Any]]) -> float:
    return float(max(row["p95_ms"] for lists in results.values() for row in lists.values()))


def _requests(client: Client, someone: Person, sponsor_id: int | None) -> dict[str, Callable[[], Any]]:
    """The lists, by name: first pages, a full name, a family name, a full NIK (in the body)."""
    family_name = someone.name.split()[-1]
    requests: dict[str, Callable[[], Any]] = {
        "persons_first_page_api": partial(client.get, "/api/v1/persons"),
        "persons_first_page_html": partial(client.get, "/peserta/"),
        "name_search": partial(client.get, "/api/v1/persons", {"q": someone.name}),
        "family_name_search": partial(client.get, "/api/v1/persons", {"q": family_name}),
        "nik_search": partial(
            client.post, "/api/v1/persons/search", {"q": someone.nik}, content_type="application/json"
        ),
        "sponsor_list": partial(client.get, "/api/v1/sponsors"),
        "claim_queue_html": partial(client.get, "/klaim/"),
    }
    if sponsor_id is not None:  # a kabupaten operator may see no sponsor of the national bench
        requests["sponsor_members_html"] = partial(client.get, f"/pemberi-kerja/{sponsor_id}/")
    return requests


def _timed(request: Callable[[], Any]) -> dict[str, Any]:
    request()  # warm: templates, translations, the first plan
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"a list answered {response.status_code}: {response.content[:200]!r}")
    with CaptureQueriesContext(connection) as captured:
        request()
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "queries": len(captured.captured_queries),
        "floor_sql_ms": replay_ms([query["sql"] for query in captured.captured_queries]),
    }


def _admin() -> User:
    user, _created = User.objects.get_or_create(username="bench-lists-admin", defaults={"role": Role.ADMIN})
    return user


def _operator() -> User:
    user, created = User.objects.get_or_create(username="bench-lists-operator", defaults={"role": Role.PETUGAS_CABANG})
    if created:
        RegionAssignment.objects.create(user=user, region_id=OPERATOR_REGENCY)
    return User.objects.get(pk=user.pk)  # regions are read once per user object


def _someone_seen_by(user: User) -> Person:
    """A person in the user's regions, found as the list finds them (the middle of the alphabet)."""
    from lindung.registry.selectors import person_search

    found = person_search(actor=user).filter(search_name__gte="M").first()
    if found is None:
        raise RuntimeError("nobody in the bench registry lies in the operator's regions")
    return found


def _sponsor_seen_by(user: User, wanted: int) -> int | None:
    """The wanted sponsor if the user may see it, else the first sponsor in the user's regions."""
    from lindung.registry.selectors import sponsor_list

    visible = sponsor_list(actor=user)
    if visible.filter(pk=wanted).exists():
        return wanted
    return visible.values_list("pk", flat=True).first()


def _in_scope(user: User) -> int:
    from lindung.registry.selectors import person_search

    return person_search(actor=user).count()


def _arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--persons", type=int, default=2_000_000, help="People in the registry (built once).")


def _run(options: dict[str, Any]) -> dict[str, Any]:
    if options["persons"] <= 0:
        raise CommandError("--persons: must be more than zero.", returncode=2)
    return bench_lists(persons=options["persons"])


BENCH = Bench("lists", "Time person, sponsor and claim lists and searches, beside their SQL.", _arguments, _run)
