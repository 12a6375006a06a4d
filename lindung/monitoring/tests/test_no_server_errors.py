"""Each input that once crashed the server (issue 16) now gets a 4xx naming what is wrong."""

from __future__ import annotations

import base64

import pytest

from lindung.claims.models import Claim
from lindung.contributions.models import BankStatement, Payment
from lindung.contributions.statements import MAX_ROWS
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
HUGE = "244094382954199926337175552"


def _problem(answer, status: int = 422) -> dict:
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    return answer.json()


@pytest.mark.parametrize("url", ["/api/v1/persons", "/api/v1/sponsors", "/api/v1/agreements"])
def test_a_page_number_beyond_any_list_is_a_422(url, admin_user, api):
    body = _problem(api(admin_user).get(f"{url}?page={HUGE}"))
    assert [error["field"] for error in body["errors"]] == ["page"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"claimant_name": ""}, "claimant_name"),
        ({"claim_type": None}, "claim_type"),
        ({"claim_type": "xyz"}, "claim_type"),
    ],
)
def test_a_claim_without_claimant_or_type_is_a_422(change, field, admin_user, api):
    member = enrol(sponsor(), 1)
    body = {"nik": member.person.nik, "claim_type": "jkm", "event_date": "2026-02-03", "claimant_name": "Siti"} | change
    body = {key: value for key, value in body.items() if value is not None}

    answer = _problem(api(admin_user).post("/api/v1/claims", body, content_type="application/json"))

    assert field in [error["field"] for error in answer["errors"]]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "kosong.csv"),
        (PNG, "gambar.png"),
        (b"tanggal;jumlah;keterangan;rekening\n" + b"01/04/2026;1.000;X;1\n" * (MAX_ROWS + 1), "besar.csv"),
        (b"\xff\xfe\x00\x00garbage", "biner.csv"),
    ],
)
def test_a_bank_statement_that_is_not_one_is_a_422(content, name, admin_user, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = api(admin_user).post(
        "/api/v1/bank-statements", {"file": SimpleUploadedFile(name, content), "region": "14.08"}
    )

    assert [error["field"] for error in _problem(answer)["errors"]] == ["file"]
    assert not BankStatement.objects.exists()
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"paid_on": "2026-04-01", "amount": 100000000000000000000}, "amount"),
        ({"paid_on": "0001-01-01", "amount": 1000}, "paid_on"),
        ({"paid_on": "2026-04-01", "amount": 10**16}, "amount"),
    ],
)
def test_impossible_amounts_and_dates_of_a_payment_are_a_422(body, field, admin_user, api):
    siak = sponsor()
    answer = api(admin_user).post(f"/api/v1/sponsors/{siak.pk}/payments", body, content_type="application/json")

    assert field in [error["field"] for error in _problem(answer)["errors"]]
    assert not Payment.objects.exists()


@pytest.mark.parametrize("year", ["%C2%B2", "99999", "0", "abc"])
def test_a_year_that_is_not_one_on_the_payout_register_is_a_400(year, admin_user, login):
    for extension in ("xlsx", "csv"):
        answer = login(admin_user).get(f"/klaim/pembayaran.{extension}?tahun={year}")
        assert answer.status_code == 400
        assert "Tahun" in answer.content.decode()


def test_a_workforce_count_beyond_64_bits_is_a_row_error(admin_user, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lindung.monitoring.models import Workforce

    content = b"kode_wilayah;tahun;kategori;jumlah\n14.08;2025;bukan_asn;100000000000000000000\n"
    client = login(admin_user)
    answer = client.post("/pantau/14/angkatan-kerja/", {"berkas": SimpleUploadedFile("a.csv", content)}, follow=True)

    assert answer.status_code == 200
    assert "jumlah" in answer.content.decode()
    assert not Workforce.objects.exists()
