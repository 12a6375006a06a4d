"""No input breaks the server: control characters and numbers beyond 64 bits are refused by name."""

from __future__ import annotations

import pytest

from lindung.core.inputs import input_problem
from lindung.registry.models import Sponsor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("Budi\x00", True),
        ("Budi\x1b[31m", True),
        ("Jalan Mawar\nNo. 3", False),
        (2**63, True),
        (-(2**63), True),
        (2**63 - 1, False),
        ({"name": "x\x07"}, True),
        ([1, 2, 10**20], True),
        (True, False),
    ],
)
def test_what_an_input_may_hold(value, refused):
    assert (input_problem(value) is not None) is refused


def test_a_nul_in_a_sponsor_name_is_refused_by_the_page_and_by_the_api(admin_user, login, api):
    page = login(admin_user).post("/pemberi-kerja/baru/", {"kind": "pemda", "name": "Pemda\x07X", "region": "14.08"})
    answer = api(admin_user).post(
        "/api/v1/sponsors",
        {"kind": "pemda", "name": "Pemda\x00X", "region": "14.08"},
        content_type="application/json",
    )

    assert page.status_code == 200
    assert "karakter kendali" in page.content.decode()
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in answer.json()["errors"]] == ["name"]
    assert not Sponsor.objects.exists()


def test_an_agreement_quota_beyond_64_bits_is_a_422_naming_the_field(admin_user, api):
    from lindung.registry.tests.factories import sponsor

    siak = sponsor()
    body = {
        "number": "PKS/9/2026",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "segment": "pu",
        "programs": ["jkk", "jkm"],
        "categories": ["non_asn"],
        "quota": 100000000000000000000,
        "budget_ceiling": 100000000000000000000,
    }
    answer = api(admin_user).post(f"/api/v1/sponsors/{siak.pk}/agreements", body, content_type="application/json")

    assert answer.status_code == 422
    assert {error["field"] for error in answer.json()["errors"]} == {"quota", "budget_ceiling"}
    assert "terlalu besar" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("non_asn", "non_asn"),
        ("Non ASN", "non_asn"),
        ("Pegawai non-ASN", "non_asn"),  # the label the pages show in Indonesian
        ("Non-ASN government staff", "non_asn"),  # ... and in English
        ("PEKERJA RENTAN", "pekerja_rentan"),
        ("Vulnerable worker", "pekerja_rentan"),
    ],
)
def test_an_import_takes_a_category_by_its_code_or_its_label_in_either_language(written, code):
    from lindung.registry import values
    from lindung.registry.models import Category

    assert values.parse_code(written, tuple(Category.values), what="kategori", labels=Category.choices) == code


def test_an_unknown_category_is_refused_naming_the_choices():
    from lindung.registry import values
    from lindung.registry.models import Category

    with pytest.raises(ValueError, match="Pegawai honorer") as refused:
        values.parse_code("Pegawai honorer", tuple(Category.values), what="kategori", labels=Category.choices)
    assert "non_asn" in str(refused.value)
