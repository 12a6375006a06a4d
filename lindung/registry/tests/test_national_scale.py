"""Lists and checks that stay fast on a national registry: what the plans and budgets pin.

The timings themselves are measured by `lindung bench import --existing 2000000` and
`lindung bench lists --persons 2000000` (docs/scale.md); these tests pin the shapes that make them
fast, so a change that would bring back a full scan fails here first.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindung.core import api_pages, paging
from lindung.core.paging import BoundedPaginator
from lindung.registry import selectors
from lindung.registry.models import Membership, Person
from lindung.registry.selectors import person_search, sponsor_members
from lindung.registry.tests.factories import DUMAI, enrol, sponsor
from lindung.registry.writer import OverlapError, refuse_overlaps

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL query plans"
)


@pytest.fixture
def registry():
    """Twelve people enrolled by Siak's government (Kecamatan Dayun) and three by Dumai's."""
    siak = sponsor()
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)
    members = [enrol(siak, serial) for serial in range(1, 13)]
    members += [enrol(dumai, serial) for serial in range(13, 16)]
    return members


def _plan_without_seq_scans(queryset) -> str:
    """The plan PostgreSQL picks when a scan of the whole table is priced out: if it still scans a
    table, no index can serve the query."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@postgresql_only
def test_the_overlap_check_finds_a_clash_among_100000_people_as_bigint_and_with_stale_statistics(registry):
    clash = registry[0]
    # A second, overlapping membership with the same sponsor, written past the planner (as a
    # concurrent writer would have), in a table whose statistics say it is empty.
    Membership.objects.bulk_create(
        [
            Membership(
                person_id=clash.person_id,
                sponsor_id=clash.sponsor_id,
                region_id=clash.region_id,
                province_code=clash.province_code,
                starts_on=date(2026, 6, 1),
                status="active",
            )
        ]
    )
    others = list(range(10**12, 10**12 + 99_999))  # ids far beyond any bigint person yet
    with CaptureQueriesContext(connection) as captured, pytest.raises(OverlapError):
        refuse_overlaps([*others, clash.person_id], clash.sponsor_id)

    (statement,) = [q["sql"] for q in captured.captured_queries if "earlier_end" in q["sql"]]
    assert "::bigint[]" in statement  # integer[] against the bigint column: no hashing, no index
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "integer[]" not in plan
    assert "numeric" not in plan


def test_refuse_overlaps_lets_separate_memberships_of_many_people_pass(registry):
    refuse_overlaps([member.person_id for member in registry], registry[0].sponsor_id)


@postgresql_only
def test_a_kabupaten_operators_first_page_is_read_through_the_region_indexes(registry, siak_operator):
    plan = _plan_without_seq_scans(person_search(actor=siak_operator)[:51])

    assert "Seq Scan on registry_person" not in plan
    assert "Seq Scan on registry_membership" not in plan
    assert "person_village" in plan  # her address in scope
    assert "membership_region" in plan  # or one of her memberships


@postgresql_only
def test_the_administrators_first_page_comes_in_order_from_the_name_index(registry, admin_user):
    plan = _plan_without_seq_scans(person_search(actor=admin_user)[:51])

    assert "person_search_name" in plan
    assert "Sort" not in plan  # read in order, not sorted out of the whole registry


@postgresql_only
def test_a_name_searched_by_substring_uses_an_index(registry, admin_user):
    plan = _plan_without_seq_scans(person_search(actor=admin_user, query="santoso 1")[:51])

    assert "Seq Scan on registry_person" not in plan


def test_the_scoped_list_holds_exactly_the_people_of_the_operators_regions(registry, siak_operator, dumai_operator):
    siak_people = {member.person_id for member in registry[:12]}
    assert set(person_search(actor=siak_operator).values_list("id", flat=True)) == siak_people
    # The Dumai government's members live in Dayun (Siak) but work for Dumai: Dumai sees them.
    assert set(person_search(actor=dumai_operator).values_list("id", flat=True)) == {
        member.person_id for member in registry[12:]
    }


def test_the_person_list_api_answers_in_the_same_queries_for_any_number_of_people(
    registry, siak_operator, api, django_assert_max_num_queries
):
    client = api(siak_operator)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/persons", {"page_size": 5}).status_code == 200
    for serial in range(16, 40):
        enrol(registry[0].sponsor, serial)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/persons").json()
    assert body["count"] == 36
    assert body["count_capped"] is False
    assert len(body["items"]) == 36


def test_the_count_stops_past_the_limit_and_says_so(registry, admin_user, api, monkeypatch):
    monkeypatch.setattr(api_pages, "COUNT_LIMIT", 10)
    body = api(admin_user).get("/api/v1/persons", {"page_size": 4}).json()
    assert body["count"] == 11  # one past the limit: "more than 10"
    assert body["count_capped"] is True
    assert len(body["items"]) == 4

    last = api(admin_user).get("/api/v1/persons", {"page_size": 4, "page": 4}).json()
    assert len(last["items"]) == 3  # the rows past the limit are still reachable
    assert last["count"] == 15

    beyond = api(admin_user).get("/api/v1/persons", {"page_size": 4, "page": 1000}).json()
    assert beyond["items"] == []
    assert beyond["count"] == 11  # as counted, not the page's offset


def test_the_page_says_more_than_when_the_count_stopped(registry):
    paginator = BoundedPaginator(Person.objects.order_by("id"), 5, limit=10)
    assert paginator.count == 11
    assert paginator.count_capped
    assert not BoundedPaginator(Person.objects.order_by("id"), 5, limit=20).count_capped
    assert BoundedPaginator(Person.objects.order_by("id"), 5, limit=20).count == 15


def test_the_person_page_says_more_than_the_limit_in_words(registry, admin_user, client, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    client.force_login(admin_user)
    page = client.get("/peserta/").content.decode()
    assert "lebih dari 10 baris" in page


def test_a_sponsor_beyond_the_counting_limit_is_listed_as_more_than_and_counted_by_category_on_request(
    registry, admin_user, client, monkeypatch
):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    monkeypatch.setattr(selectors, "SPONSOR_LIST_COUNT_LIMIT", 10)
    client.force_login(admin_user)
    siak = registry[0].sponsor

    listed = client.get("/pemberi-kerja/").content.decode()
    assert "lebih dari 10" in listed  # Siak: 12 active members
    assert "<td>3</td>" in listed  # Dumai: 3, counted exactly

    page = client.get(f"/pemberi-kerja/{siak.pk}/").content.decode()
    assert "lebih dari 10 peserta aktif" in page
    assert 'id="category-counts"' in page
    counted = client.get(f"/pemberi-kerja/{siak.pk}/", {"rincian": "1"}).content.decode()
    assert "<td>Pegawai non-ASN</td><td>12</td>" in counted


@postgresql_only
def test_a_sponsors_member_list_comes_newest_first_from_its_index(registry, admin_user):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # priced out too: an index must give the order
    plan = _plan_without_seq_scans(sponsor_members(actor=admin_user, sponsor=registry[0].sponsor)[:50])

    assert "membership_sponsor_newest" in plan
    assert "Sort" not in plan


def test_a_sponsors_member_list_shows_the_newest_enrolment_first_with_its_terms(registry, admin_user):
    members = list(sponsor_members(actor=admin_user, sponsor=registry[0].sponsor))

    assert [member.pk for member in members] == sorted((m.pk for m in registry[:12]), reverse=True)
    assert all(len(member.open_versions) == 1 for member in members)  # type: ignore[attr-defined]
    assert members[0].open_versions[0].category == "non_asn"  # type: ignore[attr-defined]


def test_a_search_that_fits_one_page_is_not_counted_again(registry, siak_operator, api):
    client = api(siak_operator)
    nik = Person.objects.get(pk=registry[0].person_id).nik
    with CaptureQueriesContext(connection) as one_page:
        body = client.post("/api/v1/persons/search", {"q": nik}, content_type="application/json").json()
    assert body["count"] == 1
    assert len(body["items"]) == 1
    assert not any("COUNT(" in query["sql"].upper() for query in one_page.captured_queries)

    with CaptureQueriesContext(connection) as first_of_three:
        body = client.get("/api/v1/persons", {"page_size": 5}).json()
    assert body["count"] == 12
    assert any("COUNT(" in query["sql"].upper() for query in first_of_three.captured_queries)
