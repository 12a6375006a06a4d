"""Monitoring per agency office, and documents that name their office: a region moved on a date
keeps its months with the office that served it then; a Kanwil equals the sum of its provinces;
the nation's Kanwil groups add up to the national figure; the invoice and a payout batch name the
office (name, address, head, account) read back from the PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from lindung.accounts import services as account_services
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims import exports as claim_exports
from lindung.claims import payouts
from lindung.claims.tests.test_payouts import approved_jkm
from lindung.contributions import exports as contribution_exports
from lindung.contributions.models import Invoice
from lindung.contributions.selectors import invoice_balance, invoice_lines
from lindung.monitoring import selectors
from lindung.monitoring.offices import kanwil_groups, office_figures
from lindung.monitoring.rollups import refresh_rollups
from lindung.monitoring.selectors import Place
from lindung.monitoring.tests.test_rollups import MONTHS, TODAY, a_region_with_members
from lindung.offices.tests.factories import riau_offices
from lindung.registry.tests.factories import DUMAI, enrol, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db

MOVE = date(2026, 2, 1)  # Siak leaves the Pekanbaru KCP for its own branch: January stays, February goes


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def siak_moved():
    riau = riau_offices(siak_moves_on=MOVE)
    a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    return riau


def test_a_moved_region_leaves_earlier_months_with_the_old_branch(siak_moved):
    riau = siak_moved
    january, february, march = MONTHS
    siak_in = {period: selectors.coverage(Place("14.08", "Siak", 2), period).total for period in MONTHS}
    assert siak_in[january].registered > 0  # the months are not empty

    old_january = office_figures(riau.pekanbaru, january, today=TODAY)
    new_january = office_figures(riau.siak, january, today=TODAY)
    old_february = office_figures(riau.pekanbaru, february, today=TODAY)
    new_march = office_figures(riau.siak, march, today=TODAY)

    assert [row.code for row in old_january.coverage] == ["14.08", "14.71"]
    assert old_january.coverage_total.registered == siak_in[january].registered
    assert new_january.coverage == []
    assert new_january.coverage_total.registered == 0
    assert [row.code for row in old_february.coverage] == ["14.71"]
    assert (new_march.coverage_total.registered, new_march.coverage_total.active) == (
        siak_in[march].registered,
        siak_in[march].active,
    )
    # Money of the year: January's bill with the old branch, February and March with the new.
    by_month = {row.code: row.billed for row in selectors.money(Place("14.08", "Siak", 2), 2026, today=TODAY).months}
    old_money = {row.code: row.billed for row in office_figures(riau.pekanbaru, march, today=TODAY).money}
    new_money = {row.code: row.billed for row in new_march.money}
    assert old_money == {"14.08": by_month["2026-01"]}
    assert new_money == {"14.08": by_month["2026-02"] + by_month["2026-03"]}
    assert by_month["2026-01"] > 0
    assert by_month["2026-02"] > 0


def test_a_kanwil_equals_the_sum_of_its_provinces_and_its_branches(siak_moved):
    riau = siak_moved
    enrol(sponsor("Pemerintah Kota Dumai", region=DUMAI), 40)
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    for period in MONTHS:
        figures = office_figures(riau.kanwil, period, today=TODAY)
        provinces = [selectors.coverage(Place(code, code, 1), period).total for code in ("13", "14")]
        assert [row.code for row in figures.coverage] == ["13", "14"]
        assert figures.coverage_total.registered == sum(p.registered for p in provinces) > 0
        assert figures.coverage_total.active == sum(p.active for p in provinces)
        branches = figures.branches
        placed = sum(b.registered for b in branches) + (
            figures.province_level.registered if figures.province_level else 0
        )
        assert placed == figures.coverage_total.registered
        kanwil_money = office_figures(riau.kanwil, period, today=TODAY).money_total
        riau_money = selectors.money(Place("14", "Riau", 1), 2026, today=TODAY).total
        assert (kanwil_money.billed, kanwil_money.collected) == (riau_money.billed, riau_money.collected)


def test_the_national_page_groups_by_kanwil_and_the_groups_add_up(siak_moved, admin_user, client):
    period = MONTHS[1]
    national = selectors.coverage(Place("", "Indonesia", 0), period)
    groups = kanwil_groups(national.children, period)

    assert [g.code for g in groups] == ["kanwil-sumbarriau", ""]  # every other province: no Kanwil known
    assert (
        sum(g.coverage.registered for g in groups) + (national.unplaced.registered if national.unplaced else 0)
        == national.total.registered
    )
    assert groups[0].coverage.registered == national.total.registered > 0
    client.force_login(admin_user)
    page = client.get(f"/pantau/nasional/?periode={period}").content.decode()
    assert 'data-table="kanwil"' in page
    assert "/pantau/kantor/kanwil-sumbarriau/" in page


def test_office_pages_exports_and_who_may_open_them(siak_moved, admin_user, dumai_operator, client):
    riau = siak_moved
    client.force_login(admin_user)
    page = client.get("/pantau/kantor/kanwil-sumbarriau/?periode=2026-02")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-table="kantor-cabang"' in text
    assert "Kantor Cabang Siak" in text
    workbook = client.get("/pantau/kantor/kc-siak/?periode=2026-02&unduh=xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    report = client.get("/pantau/kantor/kc-siak/laporan.pdf?periode=2026-02")
    words = pdf_text(report.content)
    assert "Kantor Cabang Siak" in words
    assert "Rahmat Hidayat" in words
    assert "Jl. Sultan Syarif Kasim" in words

    client.force_login(dumai_operator)
    assert client.get("/pantau/kantor/kc-siak/?periode=2026-02").status_code == 404
    officer, _password = account_services.user_create(
        actor=admin_user, username="petugas-siak", role=Role.PETUGAS_CABANG, region_codes=[], office=riau.siak
    )
    client.force_login(officer)
    assert client.get("/pantau/kantor/kc-siak/?periode=2026-02").status_code == 200
    assert client.get("/pantau/kantor/kanwil-sumbarriau/?periode=2026-02").status_code == 404


def test_the_invoice_names_the_office_that_serves_its_payer(siak_moved):
    invoice = Invoice.objects.get(sponsor__name="Pemerintah Kabupaten Siak", period="2026-01")
    content = contribution_exports.invoice_pdf(invoice, invoice_balance(invoice), invoice_lines(invoice))
    words = pdf_text(content)
    assert words.startswith("Kantor Cabang Siak")
    assert "Jl. Sultan Syarif Kasim No. 1" in words
    assert "Kepala Kantor Cabang Siak" in words
    assert "Rahmat Hidayat" in words


def test_a_payout_batch_is_made_per_branch_and_names_its_office():
    riau = riau_offices(siak_moves_on=MOVE)
    officers = (
        UserFactory.create(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"]),
        UserFactory.create(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"]),
    )
    siak_claim = approved_jkm(officers)

    outcome = payouts.batch_create(actor=officers[1], office=riau.siak, today=date(2026, 7, 1))
    batch = outcome.batch
    assert batch is not None
    assert batch.office == riau.siak
    assert [p.claim_id for p in batch.payouts.all()] == [siak_claim.pk]
    # Dumai's branch has nothing of Siak's to pay.
    assert payouts.batch_create(actor=officers[1], office=riau.dumai, today=date(2026, 7, 1)).batch is None
    words = pdf_text(claim_exports.batch_pdf(batch, printed_on=date(2026, 7, 1)))
    assert words.startswith("Kantor Cabang Siak")
    assert "Bank Riau Kepri 1234567890" in words
    assert "Rahmat Hidayat" in words
    assert batch.number in words
    assert "Rp42.000.000" in words


def test_the_office_figures_through_the_api(siak_moved, admin_user, dumai_operator, api):
    answer = api(admin_user).get("/api/v1/monitoring/offices/kanwil-sumbarriau?period=2026-02").json()
    assert [row["code"] for row in answer["coverage"]] == ["13", "14"]
    assert answer["coverage_total"]["registered"] == sum(row["registered"] for row in answer["coverage"]) > 0
    assert [row["code"] for row in answer["branches"]] == ["kc-dumai", "kc-pekanbaru", "kc-siak"]
    assert api(dumai_operator).get("/api/v1/monitoring/offices/kc-siak?period=2026-02").status_code == 404
