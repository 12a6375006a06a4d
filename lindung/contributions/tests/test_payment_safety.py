"""Money handled once, by whoever may handle it: locks, duplicates, roles and remembered accounts."""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Sum

from lindung.conftest import DUMAI, load_regions_if_missing
from lindung.contributions import payments
from lindung.contributions.models import Allocation, Invoice, PayerAccount, Payment
from lindung.contributions.services import billing_run
from lindung.core.models import AuditEntry
from lindung.registry.tests.factories import enrol, sponsor

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _billed_siak():
    siak = sponsor()
    enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    return siak


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks: PostgreSQL (SQLite has one writer at a time)")
@pytest.mark.django_db(transaction=True)
def test_payments_recorded_at_once_on_one_invoice_are_each_allocated_once():
    load_regions_if_missing()
    siak = _billed_siak()
    invoice = Invoice.objects.get()
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def pay(serial: int) -> None:
        try:
            start.wait()
            payments.payment_record(
                actor=None,
                payer=payments.Payer(sponsor=siak),
                paid_on=date(2026, 4, 1),
                amount=1_000,
                reference=f"T{serial}",
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(serial,)) for serial in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Payment.objects.count() == 8
    per_payment = Allocation.objects.values("payment").annotate(total=Sum("amount"))
    assert sorted(row["total"] for row in per_payment) == [1_000] * 8
    assert Allocation.objects.aggregate(total=Sum("amount"))["total"] == 8_000
    invoice.refresh_from_db()
    assert invoice.allocated == 8_000


@pytest.mark.django_db
def test_the_same_payment_twice_is_refused_unless_it_is_a_second_transfer(siak_operator, login):
    siak = _billed_siak()
    form = {"paid_on": "2026-04-01", "amount": "10.000", "reference": "SP2D 0042"}
    client = login(siak_operator)

    assert client.post(f"/iuran/pemberi-kerja/{siak.pk}/bayar/", form).status_code == 302
    again = client.post(f"/iuran/pemberi-kerja/{siak.pk}/bayar/", form)

    assert again.status_code == 400
    page = again.content.decode()
    assert "sudah dicatat" in page
    assert 'type="checkbox" name="second_transfer"' in page
    assert Payment.objects.count() == 1
    confirmed = client.post(f"/iuran/pemberi-kerja/{siak.pk}/bayar/", form | {"second_transfer": "on"})
    assert confirmed.status_code == 302
    assert Payment.objects.count() == 2


@pytest.mark.django_db
def test_the_api_refuses_a_duplicate_payment_naming_the_field(admin_user, api):
    siak = _billed_siak()
    body = {"paid_on": "2026-04-01", "amount": 10_000, "reference": "SP2D 0042"}
    url = f"/api/v1/sponsors/{siak.pk}/payments"

    assert api(admin_user).post(url, body, content_type="application/json").status_code == 201
    again = api(admin_user).post(url, body, content_type="application/json")

    assert again.status_code == 422
    assert [error["field"] for error in again.json()["errors"]] == ["second_transfer"]
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_regional_operator_cannot_record_a_companys_payment(siak_operator, api):
    company = sponsor("CV Kandis Makmur", kind="company", npwp="013000666091000")
    client = api(siak_operator)  # its token is audited: count after it
    audits = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        payments.payment_record(
            actor=siak_operator, payer=payments.Payer(sponsor=company), paid_on=date(2026, 4, 1), amount=5_000
        )
    answer = client.post(
        f"/api/v1/sponsors/{company.pk}/payments",
        {"paid_on": "2026-04-01", "amount": 5_000},
        content_type="application/json",
    )

    assert answer.status_code == 403
    assert "kantor cabang" in answer.json()["detail"]
    assert not Payment.objects.exists()
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_an_account_remembered_by_one_region_does_not_route_another_regions_statement(admin_user):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)
    line = b"tanggal;jumlah;keterangan;rekening\n01/04/2026;16.200;TRANSFER;7788\n"
    received = payments.statement_import(actor=admin_user, content=line, file_name="d.csv", region_code=DUMAI)
    payments.payment_match(actor=admin_user, payment=received.payments.get(), sponsor=dumai, remember_account=True)
    assert list(PayerAccount.objects.values_list("account", "region_id", "sponsor_id")) == [("7788", DUMAI, dumai.pk)]
    assert AuditEntry.objects.filter(object_type="contributions.payeraccount").count() == 1

    siak_line = line.replace(b"01/04/2026", b"02/04/2026")
    siak_statement = payments.statement_import(
        actor=admin_user, content=siak_line, file_name="s.csv", region_code="14.08"
    )

    assert siak_statement.summary["matched"] == 0
    assert siak_statement.payments.get().sponsor_id is None
    dumai_again = payments.statement_import(
        actor=admin_user, content=line.replace(b"01/04/2026", b"03/04/2026"), file_name="d2.csv", region_code=DUMAI
    )
    assert dumai_again.payments.get().sponsor_id == dumai.pk
