"""A file checked and written side by side (registry.pipeline, PostgreSQL outside a transaction):
everything written once, in one transaction, or nothing at all.

transaction=True: the writer thread has its own connection, which would not see the rows of a
test wrapped in a transaction. On SQLite the same imports take the serial path (and must give
the same result).
"""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest

from lindung.conftest import DUMAI, load_regions_if_missing
from lindung.core.jobs import JobEnded
from lindung.core.models import AuditEntry
from lindung.regions.models import Region
from lindung.registry import pipeline, writer
from lindung.registry.generate import People, enrolment_rows, write_csv
from lindung.registry.imports import import_file
from lindung.registry.models import Membership, MembershipVersion, Person
from lindung.registry.tests.factories import sponsor

pytestmark = pytest.mark.django_db(transaction=True)
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
ROWS = 12_000  # three chunks of 5,000 and a part


@pytest.fixture
def a_file(tmp_path):
    load_regions_if_missing()
    villages = list(Region.objects.filter(regency_code=DUMAI, level=4).values_list("code", flat=True))
    path = tmp_path / "peserta.csv"
    rows = enrolment_rows(
        People(villages, seed=3), ROWS, category="pekerja_rentan", segment="bpu", wage=(1_000_000, 2_000_000),
        starts_on=date(2026, 1, 1), risk_class=None,
    )  # fmt: skip
    write_csv(rows, path)
    return path


@pytest.fixture
def writes_seen(monkeypatch):
    """The threads that wrote each chunk of new rows, in order."""
    seen: list[tuple[str, int]] = []
    real = writer.insert_new_rows

    def recorded(rows, *args, **kwargs):
        seen.append((threading.current_thread().name, len(rows)))
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(writer, "insert_new_rows", recorded)
    monkeypatch.setattr(pipeline, "insert_new_rows", recorded)
    return seen


def _registry() -> tuple[int, int, int]:
    return Person.objects.count(), Membership.objects.count(), MembershipVersion.objects.count()


def test_a_file_is_written_chunk_by_chunk_beside_its_check(a_file, writes_seen):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)

    plan, total = import_file(actor=None, sponsor=dumai, path=a_file, dry_run=False)

    assert total == ROWS
    assert plan.summary()["new_memberships"] == ROWS
    assert plan.summary()["new_persons"] == ROWS
    assert _registry() == (ROWS, ROWS, ROWS)
    assert Membership.objects.filter(sponsor=dumai, status="active").count() == ROWS
    assert AuditEntry.objects.filter(action="load", object_repr=dumai.name).count() == 1
    if ON_POSTGRESQL:
        assert [name for name, _rows in writes_seen] == ["lindung-import-writer"] * 3
        assert sum(rows for _name, rows in writes_seen) == ROWS
        assert plan.new_rows == []  # written rows leave the plan; only their counts stay
    else:
        assert writes_seen == [("MainThread", ROWS)]


def test_a_check_that_stops_halfway_leaves_nothing_written_and_the_sponsor_free(a_file, writes_seen):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)

    def cancelled_after_two_chunks(done: int) -> None:
        if done >= 10_000:
            raise JobEnded

    with pytest.raises(JobEnded):
        import_file(actor=None, sponsor=dumai, path=a_file, dry_run=False, progress=cancelled_after_two_chunks)

    assert _registry() == (0, 0, 0)
    if ON_POSTGRESQL:
        assert len(writes_seen) == 2  # two chunks were written, then rolled back
    plan, _total = import_file(actor=None, sponsor=dumai, path=a_file, dry_run=False)  # the lock is free
    assert plan.summary()["new_memberships"] == ROWS


def test_a_writer_that_fails_stops_the_check_and_leaves_nothing_written(a_file, monkeypatch):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)
    real = writer.insert_new_rows
    calls = []

    def failing_on_the_second_chunk(rows, *args, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(writer, "insert_new_rows", failing_on_the_second_chunk)
    monkeypatch.setattr(pipeline, "insert_new_rows", failing_on_the_second_chunk)

    if ON_POSTGRESQL:
        with pytest.raises(RuntimeError, match="disk full"):
            import_file(actor=None, sponsor=dumai, path=a_file, dry_run=False)
        assert _registry() == (0, 0, 0)
        assert not AuditEntry.objects.filter(action="load", object_repr=dumai.name).exists()
    else:  # one chunk on the serial path: it is written whole
        import_file(actor=None, sponsor=dumai, path=a_file, dry_run=False)
        assert _registry() == (ROWS, ROWS, ROWS)
