"""The public simulation page: no login, Indonesian first, the breakdown, errors by field, a 12-month budget."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_anyone_can_open_the_page_in_indonesian() -> None:
    response = Client().get("/simulasi/")

    assert response.status_code == 200
    assert "<h1>Simulasi iuran & manfaat</h1>" in response.content.decode()


def test_a_pu_contribution_shows_items_legal_basis_and_due_date() -> None:
    html = (
        Client()
        .get(
            "/simulasi/",
            {"hitung": "1", "period": "2024-05", "segment": "pu", "wage": "10500000", "risk_class": "1"},
        )
        .content.decode()
    )

    assert 'id="total">Rp956.469<' in html
    assert 'id="due-date">18-06-2024<' in html
    assert "PP 45/2015; penyesuaian batas upah 2024" in html
    assert "Kelas risiko 1" in html


def test_htmx_gets_only_the_result() -> None:
    response = Client().get(
        "/simulasi/",
        {"hitung": "1", "period": "2026-06", "segment": "bpu", "income": "1000000"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="hasil"')
    assert 'id="total">Rp8.400<' in html


def test_a_budget_for_5000_workers_follows_the_relief_month_by_month() -> None:
    # BPU 1,000,000, other sectors: PP 50/2025 halves Jun-Dec 2026 (8,400), then 16,800 Jan-May 2027.
    html = (
        Client()
        .get(
            "/simulasi/",
            {"hitung": "1", "period": "2026-06", "segment": "bpu", "income": "1000000", "members": "5000"},
        )
        .content.decode()
    )

    assert 'id="plan-total">Rp714.000.000<' in html  # (7 x 8,400 + 5 x 16,800) x 5,000


def test_bad_input_names_the_field_in_indonesian_and_keeps_the_values() -> None:
    html = (
        Client()
        .get("/simulasi/", {"hitung": "1", "period": "2024-05", "segment": "pu", "wage": "-5", "risk_class": "1"})
        .content.decode()
    )

    assert "<strong>Upah</strong>: Tidak boleh negatif." in html
    assert 'name="wage" value="-5"' in html


def test_the_page_speaks_english_when_chosen() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(
        "/simulasi/", {"tab": "manfaat", "hitung": "1", "program": "jkm", "event_date": "2020-06-15"}
    ).content.decode()

    assert "<h1>Contribution & benefit simulation</h1>" in html
    assert 'id="total">Rp42,000,000<' in html
    assert "fixed amount Rp20,000,000" in html


def test_budget_months_that_use_an_unconfirmed_jp_cap_are_marked() -> None:
    html = (
        Client()
        .get(
            "/simulasi/",
            {
                "hitung": "1",
                "period": "2025-01",
                "segment": "pu",
                "wage": "12000000",
                "programs": "jp",
                "members": "10",
            },
        )
        .content.decode()
    )

    marked = [line.split("</td>")[0] for line in html.split("<tr><td>")[1:] if "(belum terkonfirmasi)" in line]
    assert [line[:7] for line in marked] == [f"2025-{month:02d}" for month in range(3, 13)]
