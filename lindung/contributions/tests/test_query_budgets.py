"""Query budgets: statements, invoices and the unmatched queue cost the same for few rows or many; the
writes (a payment, its reversal, a match, a bank statement, a billing run) stay within their counts."""

from datetime import date
from itertools import count

import pytest
from django.db.models import Q

from lindung.contributions.ledger import ledger_for
from lindung.contributions.models import Invoice, Payment, PaymentSource
from lindung.contributions.payments import Payer, payment_match, payment_record, payment_reverse, statement_import
from lindung.contributions.services import billing_run
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
serials = count(200)
# The most queries each write may make; more means a query was added, maybe one per row.
BUDGETS = {"pay": 16, "reverse": 18, "match": 20, "statement": 22, "bill": 60}


@pytest.fixture
def siak():
    found = sponsor()
    enrol(found, next(serials))
    billing_run(actor=None, period="2026-03", today=date(2026, 4, 1))
    return found


def more_members_billed(siak, rows=10):
    def grow():
        for _ in range(rows):
            enrol(siak, next(serials))
        billing_run(actor=None, period="2026-03", sponsor=siak, today=date(2026, 4, 1))
        for day in range(1, rows + 1):
            payment_record(actor=None, payer=Payer(sponsor=siak), paid_on=date(2026, 4, day), amount=1_000)
            Payment.objects.create(
                region_id="14.08", paid_on=date(2026, 4, day), amount=day, source=PaymentSource.BANK, reference="?"
            )

    return grow


def test_the_statement_invoice_and_unmatched_pages(queries, login, siak_operator, siak):
    client = login(siak_operator)
    invoice = Invoice.objects.get(sponsor=siak)
    # One payment waits from the start: an empty page of the queue skips its (empty) row query.
    Payment.objects.create(region_id="14.08", paid_on=date(2026, 4, 1), amount=1, source=PaymentSource.BANK)

    def pages():
        for url in (f"/iuran/pemberi-kerja/{siak.pk}/", f"/iuran/tagihan/{invoice.pk}/", "/iuran/pembayaran/"):
            assert client.get(url).status_code == 200

    queries.flat(pages, grow=more_members_billed(siak), budget=60)


def test_the_statement_invoice_and_unmatched_endpoints(queries, api, siak_operator, siak):
    client = api(siak_operator)
    invoice = Invoice.objects.get(sponsor=siak)

    def endpoints():
        urls = (f"/api/v1/sponsors/{siak.pk}/statement", f"/api/v1/invoices/{invoice.pk}", "/api/v1/payments/unmatched")
        for url in urls:
            assert client.get(url).status_code == 200

    queries.flat(endpoints, grow=more_members_billed(siak), budget=30)


def test_payment_writes_on_a_sponsor_with_many_members(queries, siak_operator, siak):
    more_members_billed(siak, rows=30)()
    payer = Payer(sponsor=siak)
    owed = ledger_for(Q(sponsor=siak)).outstanding

    paid = queries.count(
        lambda: payment_record(actor=siak_operator, payer=payer, paid_on=date(2026, 4, 20), amount=owed)
    )
    payment = Payment.objects.filter(sponsor=siak).latest("id")
    reversed_ = queries.count(
        lambda: payment_reverse(actor=siak_operator, payment=payment, reason="Salah", on=date(2026, 4, 21))
    )
    queued = Payment.objects.filter(sponsor__isnull=True, person__isnull=True)[0]
    matched = queries.count(lambda: payment_match(actor=siak_operator, payment=queued, sponsor=siak))

    within = (paid <= BUDGETS["pay"], reversed_ <= BUDGETS["reverse"], matched <= BUDGETS["match"])
    assert within == (True, True, True), (paid, reversed_, matched)


def test_a_bank_statement_costs_the_same_queries_for_3_or_300_rows(queries, siak_operator, siak):
    invoice = Invoice.objects.get(sponsor=siak)

    def statement(rows, day):
        lines = [f"{day:02d}/04/2026;{1000 + row};{invoice.number} ke-{row};1234{row}" for row in range(rows)]
        return ("tanggal;jumlah;keterangan;rekening\n" + "\n".join(lines) + "\n").encode()

    statement_import(actor=siak_operator, content=statement(1, 1), file_name="warm.csv", region_code="14.08")
    few = queries.count(
        lambda: statement_import(actor=siak_operator, content=statement(3, 3), file_name="a.csv", region_code="14.08")
    )
    many = queries.count(
        lambda: statement_import(actor=siak_operator, content=statement(300, 2), file_name="b.csv", region_code="14.08")
    )

    assert few == many <= BUDGETS["statement"], (few, many)
    assert Payment.objects.filter(sponsor=siak, source=PaymentSource.BANK).count() == 304


def test_billing_a_sponsor_costs_the_same_queries_for_1_or_11_members(queries, siak):
    riau = sponsor("Pemerintah Provinsi Riau", region="14")  # staff on the same terms as Siak's
    for _ in range(11):
        enrol(riau, next(serials))
    billing_run(actor=None, period="2026-03", sponsor=riau, today=date(2026, 4, 1))

    one = queries.count(lambda: billing_run(actor=None, period="2026-04", sponsor=siak, today=date(2026, 5, 1)))
    # The first run of another period: a period already billed for someone takes one more statement.
    eleven = queries.count(lambda: billing_run(actor=None, period="2026-05", sponsor=riau, today=date(2026, 6, 1)))

    assert one == eleven <= BUDGETS["bill"], (one, eleven)
