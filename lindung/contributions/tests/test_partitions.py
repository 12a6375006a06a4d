"""Invoice lines partitioned by period (PostgreSQL): partitions are created once, ahead or by the
billing run of a month that has none, and lines that waited in the default partition move in."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from lindung.contributions.billing import BILLED, Scope, bill_period
from lindung.contributions.models import Invoice, InvoiceLine
from lindung.contributions.partitions import (
    DEFAULT_PARTITION,
    ensure_partition,
    ensure_partitions_ahead,
    partition_name,
    partitioned,
    partitions,
)
from lindung.registry.tests.factories import enrol, sponsor
from lindung.rules.periods import Period

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="partitions: PostgreSQL only"
    ),
]
MARCH = Period(2026, 3)


def _lines_in(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def test_the_invoice_lines_are_a_partitioned_table():
    assert partitioned()


def test_creating_a_partition_twice_creates_it_once():
    assert ensure_partition(Period(2031, 7)) is True
    assert ensure_partition(Period(2031, 7)) is False
    assert partitions().count(partition_name(Period(2031, 7))) == 1


def test_partitions_are_prepared_months_ahead_and_again_without_harm():
    created = ensure_partitions_ahead(months=2, today=date(2032, 11, 20))
    assert created == [f"contributions_invoiceline_p2032_{m}" for m in ("11", "12")] + [
        "contributions_invoiceline_p2033_01"
    ]
    assert ensure_partitions_ahead(months=2, today=date(2032, 11, 20)) == []


def test_billing_a_period_without_a_partition_creates_it_and_writes_its_lines_there():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    assert partition_name(MARCH) not in partitions()

    bill_period(period=MARCH, scope=Scope(sponsor_id=siak.pk), today=date(2026, 4, 10))

    assert partition_name(MARCH) in partitions()
    lines = InvoiceLine.objects.filter(period=str(MARCH)).count()
    assert lines == 2  # JKK and JKM
    assert _lines_in(partition_name(MARCH)) == lines
    assert _lines_in(DEFAULT_PARTITION) == 0


def test_lines_that_waited_in_the_default_partition_move_into_their_month():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    invoice = Invoice.objects.create(
        number="TAG/2033-05/S1", sponsor=siak, region_id=siak.region_id, period="2033-05", due_date=date(2033, 6, 15)
    )
    InvoiceLine.objects.create(
        invoice=invoice, period="2033-05", kind="koreksi", program="jkk", basis=0, amount=-100,
        employer_share=-100, worker_share=0, rules_version="test", legal_basis="-",
    )  # fmt: skip
    assert _lines_in(DEFAULT_PARTITION) == 1

    assert ensure_partition(Period(2033, 5)) is True

    assert _lines_in(DEFAULT_PARTITION) == 0
    assert _lines_in(partition_name(Period(2033, 5))) == 1
    assert InvoiceLine.objects.filter(invoice=invoice).count() == 1


def test_the_command_prepares_the_coming_months(capsys):
    call_command("invoice_partitions", "--ahead", "1")
    out = capsys.readouterr().out
    assert "Partisi baru" in out
    call_command("invoice_partitions", "--ahead", "1")
    assert "tidak ada (semua sudah ada)" in capsys.readouterr().out


def test_what_a_month_already_billed_is_read_from_that_months_partition_only():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    for month in (Period(2026, 2), MARCH):
        bill_period(period=month, scope=Scope(sponsor_id=siak.pk), today=date(2026, 4, 10))

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + BILLED, {"period": str(MARCH)})
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert partition_name(MARCH) in plan
    assert partition_name(Period(2026, 2)) not in plan
    assert DEFAULT_PARTITION not in plan
