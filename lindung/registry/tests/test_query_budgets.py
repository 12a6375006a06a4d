"""Query budgets: the registry's lists cost the same for 2 rows or 12, and each write stays within its count."""

from datetime import date
from itertools import count

import pytest

from lindung.registry import services
from lindung.registry.imports import import_file
from lindung.registry.models import ImportBatch
from lindung.registry.tests.factories import agreement, enrol, person_values, sponsor
from lindung.registry.tests.test_import import siak_rows, write_csv

pytestmark = pytest.mark.django_db
serials = count(100)


def more_members(siak, rows=10):
    def grow():
        for _ in range(rows):
            enrol(siak, next(serials))

    return grow


@pytest.fixture
def siak():
    found = sponsor()
    agreement(found)
    enrol(found, next(serials))
    enrol(found, next(serials))
    return found


@pytest.mark.parametrize(
    ("url", "budget"),
    [("/peserta/", 12), ("/peserta/?q=Budi", 12), ("/pemberi-kerja/", 12), ("/perjanjian/", 12), ("/impor/", 12)],
)
def test_list_pages(queries, login, siak_operator, siak, url, budget):
    client = login(siak_operator)

    def grow():
        more_members(siak)()
        for number in range(10):
            sponsor(f"PT Bench {number}", kind="company", npwp=f"0130006660{number:02d}000"[:15])
            agreement(siak, number=f"PKS/{number + 2}/2026", activate=False)
            ImportBatch.objects.create(sponsor=siak, file_name=f"{number}.csv", stored_path="/dev/null")

    queries.flat(lambda: client.get(url), grow=grow, budget=budget)


def test_the_sponsor_page_with_its_members(queries, login, siak_operator, siak):
    client = login(siak_operator)
    queries.flat(lambda: client.get(f"/pemberi-kerja/{siak.pk}/"), grow=more_members(siak), budget=16)


@pytest.mark.parametrize("url", ["/api/v1/persons", "/api/v1/sponsors", "/api/v1/agreements"])
def test_list_endpoints(queries, api, siak_operator, siak, url):
    client = api(siak_operator)

    def grow():
        more_members(siak)()
        for number in range(10):
            agreement(siak, number=f"PKS/{number + 2}/2026", activate=False)

    queries.flat(lambda: client.get(url), grow=grow, budget=8)


def test_enrolling_changing_and_ending_a_member_of_a_large_sponsor(queries, siak_operator, siak):
    more_members(siak, rows=20)()
    values = person_values(next(serials))

    enrolled = queries.count(
        lambda: services.member_enrol(actor=siak_operator, sponsor=siak, values=values, today=date(2026, 3, 1))
    )
    membership = siak.memberships.order_by("-pk").first()
    changed = queries.count(
        lambda: services.membership_change(
            actor=siak_operator, membership=membership, effective_from=date(2026, 4, 1), changes={"wage": 3_500_000}
        )
    )
    ended = queries.count(
        lambda: services.membership_end(
            actor=siak_operator, membership=membership, ends_on=date(2026, 6, 30), today=date(2026, 3, 1)
        )
    )

    assert (enrolled <= BUDGETS["enrol"], changed <= BUDGETS["change"], ended <= BUDGETS["end"]) == (True,) * 3, (
        enrolled,
        changed,
        ended,
    )


def test_an_import_writes_in_the_same_number_of_queries_for_10_or_100_rows(queries, siak, tmp_path):
    rows = siak_rows(110, seed=3)
    small, large = write_csv(tmp_path / "a.csv", rows[:10]), write_csv(tmp_path / "b.csv", rows[10:])

    ten = queries.count(lambda: import_file(actor=None, sponsor=siak, path=small, dry_run=False))
    hundred = queries.count(lambda: import_file(actor=None, sponsor=siak, path=large, dry_run=False))

    assert ten == hundred <= BUDGETS["import"]


# The most queries each write may make (measured: SQLite needs a few more to reserve ids than
# PostgreSQL); more means a query was added to the path, maybe one per row.
BUDGETS = {"enrol": 21, "change": 10, "end": 5, "import": 19}
