"""Monitoring pages, exports, the PDF report, the API and the ranking weights, with region scoping."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lindung.monitoring.models import RankingWeight
from lindung.monitoring.rollups import refresh_rollups
from lindung.monitoring.tests.test_rollups import TODAY, a_region_with_members
from lindung.registry.tests.factories import DAYUN_VILLAGE, SIAK
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures() -> None:
    a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)


def test_the_coverage_page_drills_down_and_its_xlsx_has_the_same_numbers(figures, riau_monitor, login):
    client = login(riau_monitor)

    page = client.get("/pantau/14.08/?periode=2026-01")
    download = client.get("/pantau/14.08/?periode=2026-01&unduh=xlsx")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="registered">6<' in html
    assert 'id="active">4<' in html
    assert 'href="/pantau/14.08.06/?periode=2026-01"' in html
    sheet = load_workbook(BytesIO(download.content))["wilayah"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    table = page.context["tables"][0]
    assert [list(rows[row[0]]) for row in table.rows] == table.rows
    assert rows["Dayun"][1:3] == (3, 1)
    assert rows["Total"][1:3] == (6, 4)


def test_a_monitor_sees_only_their_regions(figures, riau_monitor, dumai_operator, login, api):
    assert login(riau_monitor).get("/pantau/").url == "/pantau/14/"
    assert login(riau_monitor).get("/pantau/13/").status_code == 404
    assert login(riau_monitor).get("/pantau/nasional/").status_code == 404
    assert login(dumai_operator).get("/pantau/14.08/").status_code == 404
    assert api(dumai_operator).get("/api/v1/monitoring/14.08/coverage").status_code == 404
    answer = api(riau_monitor).get("/api/v1/monitoring/14.08/coverage?period=2026-01").json()
    assert (answer["total"]["registered"], answer["total"]["active"]) == (6, 4)
    villages = api(riau_monitor).get("/api/v1/monitoring/14.08/villages?period=2026-02").json()
    assert [v["code"] for v in villages if v["officials"]] == [DAYUN_VILLAGE]


def test_village_money_commitment_and_ranking_pages_and_the_pdf_report(figures, riau_monitor, login):
    client = login(riau_monitor)

    villages = client.get("/pantau/14.08/desa/?periode=2026-01")
    money = client.get("/pantau/14/keuangan/?tahun=2026")
    commitment = client.get("/pantau/14.08/komitmen/")
    ranking = client.get("/pantau/14/peringkat/?periode=2026-01")
    report = client.get("/pantau/14.08/laporan.pdf?periode=2026-01")

    assert villages.status_code == money.status_code == commitment.status_code == ranking.status_code == 200
    assert f'data-village="{DAYUN_VILLAGE}"' in villages.content.decode()
    billed = money.context["figures"].total.billed
    assert billed > 0
    assert money.context["figures"].children[0].billed == billed
    assert "Kabupaten Siak" in ranking.content.decode()
    assert report["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(report.content)).pages)
    assert "Laporan pemantauan Kabupaten Siak 2026-01" in text
    assert "Desa tanpa perangkat terlindungi" in text


def test_only_an_administrator_sets_the_ranking_weights_and_bad_ones_change_nothing(
    figures, riau_monitor, admin_user, login
):
    refused = login(riau_monitor).post(
        "/pantau/14/peringkat/bobot/", {"coverage": "10", "budget": "0", "compliance": "0"}
    )
    bad = login(admin_user).post("/pantau/14/peringkat/bobot/", {"coverage": "abc", "budget": "0", "compliance": "0"})
    assert refused.status_code == 403
    assert bad.status_code == 302
    assert not RankingWeight.objects.exists()

    login(admin_user).post("/pantau/14/peringkat/bobot/", {"coverage": "100", "budget": "0", "compliance": "0"})

    page = login(riau_monitor).get("/pantau/14/peringkat/?periode=2026-01")
    assert dict(RankingWeight.objects.values_list("indicator", "weight")) == {
        "coverage": 100,
        "budget": 0,
        "compliance": 0,
    }
    rows = page.context["table"].rows
    assert all(row[-2] == row[2] for row in rows)  # the index (before "counted by") is the coverage score alone


def test_a_page_without_rollups_says_how_to_build_them(riau_monitor, login):
    page = login(riau_monitor).get(f"/pantau/{SIAK}/")
    assert "refresh_rollups" in page.content.decode()


def test_claims_paid_outside_lindung_count_in_the_money_page_and_the_members_history(riau_monitor, login, tmp_path):
    from django.urls import reverse

    from lindung.accounts.models import User
    from lindung.accounts.roles import Role
    from lindung.accounts.tests.factories import UserFactory
    from lindung.claims.history import import_paid_claims
    from lindung.claims.tests.test_history import history_file, siak_members

    UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])
    officer = User.objects.get(username="cabang-siak")
    members = siak_members(33)
    # The figures reach back to 2019; the imports then keep them exact as they write.
    refresh_rollups(first=Period(2019, 1), today=TODAY)
    import_paid_claims(actor=officer, path=history_file(tmp_path / "riwayat.csv", members), today=TODAY)
    import_paid_claims(actor=officer, path=history_file(tmp_path / "lagi.csv", members), today=TODAY)
    client = login(riau_monitor)

    money_2019 = client.get("/pantau/14.08/keuangan/?tahun=2019").context["figures"].total
    money_2020 = client.get("/pantau/14.08/keuangan/?tahun=2020").context["figures"].total

    # 2019: 2 JKK (3,450,000) and 16 JKM (24,000,000); 2020: 1 JKK death and 14 JKM.
    assert (money_2019.claims, money_2019.claims_paid) == (18, 2 * 3_450_000 + 16 * 24_000_000)
    assert (money_2020.claims, money_2020.claims_paid) == (15, 3_450_000 + 14 * 24_000_000)
    person_page = login(officer).get(reverse("registry:person_detail", args=[members[2].person_id]))
    assert person_page.status_code == 200
    assert "dibayar di luar Lindung" in person_page.content.decode()


def test_the_charts_name_their_bars_axis_unit_and_values(login, admin_user):
    """A bar chart says what it counts and in which unit, names every bar, and writes each value
    for print and for screen readers; age groups come youngest first (issue 20)."""
    from lindung.monitoring.charts import bars

    chart = bars([("Siak", 120), ("Dumai", 60), ("Kosong", None)])
    assert [bar.width for bar in chart.bars] == [340.0, 170.0, 0.0]
    assert [tick.value for tick in chart.ticks] == [0, 60, 120]
    from django.template.loader import render_to_string

    html = render_to_string(
        "monitoring/_bars.html", {"chart": chart, "label": "Peserta aktif", "unit_label": "orang", "id": "t"}
    )
    assert "<strong>Peserta aktif</strong> <small>(orang)</small>" in html
    assert ">Siak</text>" in html
    assert "<li>Dumai: 60</li>" in html
    assert 'aria-describedby="t-values"' in html
