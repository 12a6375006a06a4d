"""Contributions pages and API: statement, payment, invoice exports, queue, planner, coverage; scoped."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lindung.contributions.models import Invoice, Payment
from lindung.contributions.services import billing_run
from lindung.registry.tests.factories import DUMAI, enrol, sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed():
    """A Siak sponsor with one PU member billed for March 2026 (16,200)."""
    siak = sponsor()
    member = enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    return siak, member


def test_an_operator_pays_on_the_statement_and_the_outstanding_amount_falls(billed, siak_operator, login):
    siak, _member = billed
    client = login(siak_operator)
    page = client.get(f"/iuran/pemberi-kerja/{siak.pk}/").content.decode()
    assert 'id="outstanding">Rp16.200<' in page
    response = client.post(
        f"/iuran/pemberi-kerja/{siak.pk}/bayar/", {"paid_on": "2026-04-01", "amount": "10.000", "reference": "X"}
    )
    assert response.status_code == 302
    page = client.get(f"/iuran/pemberi-kerja/{siak.pk}/").content.decode()
    assert 'id="outstanding">Rp6.200<' in page
    # A bad amount keeps what was typed and says why in Indonesian.
    bad = client.post(f"/iuran/pemberi-kerja/{siak.pk}/bayar/", {"paid_on": "2026-04-01", "amount": "sepuluh"})
    assert bad.status_code == 400
    assert "bukan angka" in bad.content.decode()


def test_a_monitor_reads_the_statement_but_cannot_pay_and_dumai_sees_nothing(
    billed, riau_monitor, dumai_operator, login
):
    siak, _member = billed
    monitor = login(riau_monitor)
    page = monitor.get(f"/iuran/pemberi-kerja/{siak.pk}/").content.decode()
    assert "payment-form" not in page
    assert (
        monitor.post(f"/iuran/pemberi-kerja/{siak.pk}/bayar/", {"paid_on": "2026-04-01", "amount": "1"}).status_code
        == 400
    )
    assert not Payment.objects.exists()
    assert login(dumai_operator).get(f"/iuran/pemberi-kerja/{siak.pk}/").status_code == 404


def test_the_invoice_downloads_as_xlsx_and_pdf_with_its_lines(billed, siak_operator, login):
    client = login(siak_operator)
    invoice = Invoice.objects.get()
    sheet = load_workbook(BytesIO(client.get(f"/iuran/tagihan/{invoice.pk}/tagihan.xlsx").content))["Tagihan"]
    rows = list(sheet.iter_rows(values_only=True))
    amounts = [row[7] for row in rows[6:] if row[0] != "Jumlah"]
    assert sorted(int(str(amount)) for amount in amounts) == [7_200, 9_000]
    assert rows[-1][7] == 16_200
    pdf = client.get(f"/iuran/tagihan/{invoice.pk}/tagihan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert invoice.number in text
    assert "Rp16.200" in text
    assert "Budi Santoso 1" in text


def test_a_statement_upload_queues_the_unknown_payment_and_the_officer_matches_it(billed, admin_user, login):
    siak, _member = billed
    client = login(admin_user)
    upload = BytesIO(b"tanggal;jumlah;keterangan;rekening\n01/04/2026;16.200;TRANSFER;9988\n")
    upload.name = "mutasi.csv"
    response = client.post("/iuran/pembayaran/", {"file": upload, "region": "14.08"})
    assert response.status_code == 302
    queued = Payment.objects.get()
    assert "9988" in client.get("/iuran/pembayaran/").content.decode()
    client.post(f"/iuran/pembayaran/{queued.pk}/cocokkan/", {"sponsor": siak.pk, "remember_account": "on"})
    assert "Belum ada pembayaran yang menunggu" in client.get("/iuran/pembayaran/").content.decode() or not (
        Payment.objects.filter(sponsor__isnull=True).exists()
    )
    assert 'id="outstanding">Rp0<' in client.get(f"/iuran/pemberi-kerja/{siak.pk}/").content.decode()


def test_the_planner_page_computes_and_exports(siak_operator, login):
    client = login(siak_operator)
    query = {
        "segment": "bpu",
        "programs": ["jkk", "jkm"],
        "wage": "1.000.000",
        "funding": "apbd",
        "start": "2023-10",
        "months": "12",
        "phases": "2023-10 5000\n2024-01 10000",
    }
    page = client.get("/iuran/rencana-anggaran/", query).content.decode()
    assert 'id="plan-total">Rp1.764.000.000<' in page
    workbook = client.get("/iuran/rencana-anggaran/", {**query, "format": "xlsx"})
    sheet = load_workbook(BytesIO(workbook.content))["Rencana anggaran"]
    assert next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Jumlah")[3] == 1_764_000_000


def test_the_person_coverage_page_answers_for_a_day(billed, siak_operator, login):
    _siak, member = billed
    page = login(siak_operator).get(f"/iuran/peserta/{member.person_id}/", {"day": "2026-03-10"}).content.decode()
    assert 'id="coverage-answer"' in page
    assert "10-03-2026: terlindungi" in page


def test_the_api_gives_the_same_figures_scoped_to_the_token(billed, api, siak_operator, dumai_operator):
    siak, member = billed
    client = api(siak_operator)
    statement = client.get(f"/api/v1/sponsors/{siak.pk}/statement").json()
    assert (statement["invoiced"], statement["outstanding"]) == (16_200, 16_200)
    paid = client.post(
        f"/api/v1/sponsors/{siak.pk}/payments",
        {"paid_on": "2026-04-01", "amount": 16_200},
        content_type="application/json",
    )
    assert paid.status_code == 201
    assert client.get(f"/api/v1/sponsors/{siak.pk}/statement").json()["outstanding"] == 0
    invoice = client.get(f"/api/v1/invoices/{statement['invoices'][0]['id']}").json()
    assert sorted(line["amount"] for line in invoice["lines"]) == [7_200, 9_000]
    covered = client.get(f"/api/v1/persons/{member.person_id}/coverage", {"date": "2026-03-10"}).json()
    assert (covered["covered"], covered["status"], covered["claim_held"]) == (True, "dibayar", False)
    plan = client.post(
        "/api/v1/budget-plan",
        {
            "segment": "bpu",
            "programs": ["jkk", "jkm"],
            "wage": 1_000_000,
            "start": "2026-03",
            "months": 2,
            "phases": "2026-03 10",
        },
        content_type="application/json",
    ).json()
    assert [row["total"] for row in plan["rows"]] == [168_000, 168_000]
    other = api(dumai_operator)
    assert other.get(f"/api/v1/sponsors/{siak.pk}/statement").status_code == 404
    assert other.get(f"/api/v1/persons/{member.person_id}/coverage", {"date": "2026-03-10"}).status_code == 404
    refused = other.post(
        f"/api/v1/sponsors/{sponsor('Pemerintah Kota Dumai', region=DUMAI).pk}/bill",
        {"period": "2014-00"},
        content_type="application/json",
    )
    assert refused.status_code in (400, 422)


def test_the_coverage_page_shows_two_years_unless_asked_for_all(siak_operator, login):
    member = enrol(sponsor(), 1, wage="3.000.000", programs="jkk,jkm", starts_on="2020-01-01", today=date(2020, 1, 1))
    client = login(siak_operator)
    recent = client.get(f"/iuran/peserta/{member.person_id}/").content.decode()
    everything = client.get(f"/iuran/peserta/{member.person_id}/", {"semua": "1"}).content.decode()
    assert recent.count("Terlindungi; belum ditagih.") == 24
    assert "?semua=1" in recent
    assert everything.count("Terlindungi; belum ditagih.") > 24


def test_the_billing_form_proposes_the_month_after_the_last_one_billed(billed, siak_operator, login):
    import re

    siak, _member = billed
    page = login(siak_operator).get(f"/iuran/pemberi-kerja/{siak.pk}/").content.decode()
    proposed = re.search(r'name="period"[^>]*value="([0-9-]+)"', page) or re.search(
        r'value="([0-9-]+)"[^>]*name="period"', page
    )
    assert proposed is not None
    last = max(Invoice.objects.filter(sponsor=siak).values_list("period", flat=True))
    year, month = map(int, last.split("-"))
    assert proposed.group(1) == (f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}")


def test_the_invoice_pdf_has_a_letterhead_a_payment_section_and_prints_every_name(siak_operator, login, settings):
    settings.LINDUNG_OFFICE = {"name": "BPJS Ketenagakerjaan Kantor Cabang Siak", "address": "Jl. Sultan Syarif Kasim"}
    settings.LINDUNG_PAYMENT = {
        "bank": "Bank Uji",
        "account": "123-456",
        "account_name": "Iuran",
        "virtual_account_prefix": "8917",
    }
    siak = sponsor(address="Jl. Lintas Timur, Siak Sri Indrapura")
    enrol(siak, 1, name="Nguyễn Thị Ánh Śrī", wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    invoice = Invoice.objects.get(sponsor=siak)

    pdf = login(siak_operator).get(f"/iuran/tagihan/{invoice.pk}/tagihan.pdf")

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "BPJS Ketenagakerjaan Kantor Cabang Siak" in text
    assert "Nguyễn Thị Ánh Śrī" in text  # not "Nguy?n Th? ?nh ?r?"
    assert "Jl. Lintas Timur, Siak Sri Indrapura" in text
    assert "Cara membayar" in text
    assert f"891710{siak.pk:08d}" in text.replace(" ", "")  # the sponsor's virtual account
    assert "Bank Uji rekening 123-456" in text
    assert invoice.due_date.strftime("%d-%m-%Y") in text


def test_an_invoice_without_payment_details_says_whom_to_ask(siak_operator, login, settings, billed):
    settings.LINDUNG_PAYMENT = {"bank": "", "account": "", "account_name": "", "virtual_account_prefix": ""}
    siak, _member = billed
    invoice = Invoice.objects.get(sponsor=siak)
    pdf = login(siak_operator).get(f"/iuran/tagihan/{invoice.pk}/tagihan.pdf")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Rekening pembayaran belum diatur" in text
