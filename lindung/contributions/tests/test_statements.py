"""Bank statements: reading real CSV text, matching rows to payers, the unmatched queue, re-uploads."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from lindung.contributions.ledger import ledger_for
from lindung.contributions.models import Payment
from lindung.contributions.payments import payment_match, statement_import
from lindung.contributions.services import billing_run
from lindung.contributions.statements import StatementFormatError, parse_amount, read_statement
from lindung.registry.tests.factories import DUMAI, enrol, sponsor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.250.000", 1_250_000), ("1.250.000,00", 1_250_000), ("1,250,000.00", 1_250_000), ("Rp 16200", 16_200)],
)
def test_amounts_in_indonesian_and_english_notation(text, value):
    assert parse_amount(text) == value


def test_a_statement_reports_bad_rows_by_number_and_keeps_the_good_ones():
    content = (
        b"Tanggal;Keterangan;Jumlah;Rekening\n"
        b"20/03/2026;TRF IURAN;16.200;1234567890\n"
        b"31/02/2026;TRF;16.200;1\n"
        b"21/03/2026;TRF;-5;1\n"
        b"22/03/2026;TRF;12,50;1\n"
    )
    rows, errors = read_statement(content)
    assert [(r.row, r.paid_on, r.amount, r.payer_account) for r in rows] == [
        (2, date(2026, 3, 20), 16_200, "1234567890")
    ]
    assert [e.row for e in errors] == [3, 4, 5]
    with pytest.raises(StatementFormatError):
        read_statement(b"foo,bar\n1,2\n")


def test_rows_match_by_invoice_number_or_known_account_and_the_rest_wait_for_an_officer(siak_operator):
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    number = f"TAG/2026-03/S{siak.pk}"
    content = (
        "date,amount,reference,payer account\n"
        f"2026-04-01,10000,PEMBAYARAN {number.lower()},111\n"
        "2026-04-02,6200,TRANSFER PEMKAB,222\n"
    ).encode()
    statement = statement_import(actor=siak_operator, content=content, file_name="mutasi.csv", region_code="14.08")
    assert (statement.summary["matched"], statement.summary["unmatched"]) == (1, 1)
    assert ledger_for(Q(sponsor_id=siak.pk)).outstanding == 6_200

    queued = Payment.objects.get(sponsor__isnull=True)
    assert queued.region_id == "14.08"
    payment_match(actor=siak_operator, payment=queued, sponsor=siak)
    assert ledger_for(Q(sponsor_id=siak.pk)).outstanding == 0

    # The same statement again: nothing new. A new statement from account 222 is matched by itself.
    again = statement_import(actor=siak_operator, content=content, file_name="mutasi.csv", region_code="14.08")
    assert (again.summary["payments"], again.summary["duplicates"]) == (0, 2)
    later = statement_import(
        actor=siak_operator,
        content=b"tanggal,jumlah,rekening\n2026-05-02,500,222\n",
        file_name="m2.csv",
        region_code="14.08",
    )
    assert later.summary["matched"] == 1
    assert ledger_for(Q(sponsor_id=siak.pk)).credit == 500


def test_an_operator_cannot_import_into_or_match_to_another_region(siak_operator):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)
    with pytest.raises(PermissionDenied):
        statement_import(
            actor=siak_operator, content=b"tanggal,jumlah\n2026-04-01,1\n", file_name="x.csv", region_code=DUMAI
        )
    statement_import(
        actor=siak_operator, content=b"tanggal,jumlah\n2026-04-01,1\n", file_name="x.csv", region_code="14.08"
    )
    with pytest.raises(PermissionDenied):
        payment_match(actor=siak_operator, payment=Payment.objects.get(), sponsor=dumai)
