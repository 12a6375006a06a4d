"""The home page is a worklist: what needs each role now, each item a count and a link (issue 20)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims.models import ClaimType
from lindung.claims.services import claim_submit
from lindung.contributions.models import Payment, PaymentSource
from lindung.contributions.services import billing_run
from lindung.monitoring.worklist import worklist
from lindung.registry.models import Agreement
from lindung.registry.tests.factories import agreement, enrol, self_paying_bpu, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
serials = count(500)


@pytest.fixture
def branch():
    return UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])


@pytest.fixture
def siak_work():
    return make_siak_work()


def make_siak_work():
    """In Siak: an agreement ending in a month and over its quota, an invoice two months overdue,
    a self-payer three months unpaid, a payment nobody matched and a claim waiting for verification."""
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    siak = sponsor()
    pks = agreement(siak, number="PKS/AKHIR", starts_on=year_ago, ends_on=today + timedelta(days=30), quota=100)
    members = [enrol(siak, next(serials), starts_on=year_ago.isoformat(), today=year_ago) for _ in range(2)]
    type(members[0]).objects.filter(pk__in=[m.pk for m in members]).update(agreement=pks)
    Agreement.objects.filter(pk=pks.pk).update(quota=1)
    self_paying_bpu(next(serials), starts_on=year_ago.isoformat())
    this_month = Period(today.year, today.month)
    for back in (3, 2, 1):
        billing_run(actor=None, period=str(this_month.shifted(-back)), today=today)
    Payment.objects.create(region_id="14.08", paid_on=today, amount=5, source=PaymentSource.BANK, reference="?")
    claim_submit(
        actor=None, membership=members[0], claim_type=ClaimType.JKM, event_date=today, claimant_name="Siti", today=today
    )
    return siak


def counts(user):
    return {item.key: item.count for item in worklist(user, timezone.localdate())}


def test_a_branch_officer_sees_every_kind_of_work_in_its_regions(branch, siak_work):
    mine = counts(branch)
    assert mine["agreements_ending"] == 1
    assert mine["agreements_over_quota"] == 1
    assert mine["invoices_overdue"] >= 4  # the sponsor's 3 months and the self-payer's
    assert mine["bpu_lapsing"] == 1
    assert mine["payments_unmatched"] == 1
    assert mine["claims_diajukan"] == 1
    assert "claims_diverifikasi" not in mine  # nothing waits there: no empty lines


def test_other_roles_see_only_what_they_can_act_on(siak_work, siak_operator, dumai_operator, riau_monitor):
    pemda = counts(siak_operator)
    assert "payments_unmatched" not in pemda  # the branch matches payments
    assert pemda["claims_open"] == 1  # the Pemda follows the claims it sent
    assert "claims_diajukan" not in pemda
    assert counts(dumai_operator).keys().isdisjoint({"agreements_ending", "invoices_overdue", "claims_open"})
    monitor = counts(riau_monitor)
    assert "claims_open" not in monitor
    assert "uploads_checked" not in monitor
    assert monitor["invoices_overdue"] >= 4


def test_the_home_page_lists_the_items_with_links_and_counts(login, branch, siak_work):
    page = login(branch).get("/").content.decode()
    assert 'id="worklist"' in page
    assert "/perjanjian/?ending=1" in page
    assert "/perjanjian/?penuh=1" in page
    assert "/iuran/tagihan/" in page
    assert "/klaim/?status=diajukan" in page
    overdue = login(branch).get("/iuran/tagihan/").content.decode()
    assert "PKS" not in overdue
    assert overdue.count("/iuran/tagihan/") >= 4
    assert "PKS/AKHIR" in login(branch).get("/perjanjian/?penuh=1").content.decode()


def test_a_user_with_nothing_waiting_is_told_so(login, dumai_operator):
    page = login(dumai_operator).get("/").content.decode()
    assert 'id="worklist-empty"' in page


def test_the_worklist_costs_the_same_for_few_items_or_many(queries, login, branch, siak_work):
    client = login(branch)

    def home():
        assert client.get("/").status_code == 200

    def grow():
        for _ in range(5):
            enrol(siak_work, next(serials))
        Payment.objects.create(region_id="14.08", paid_on=timezone.localdate(), amount=7, source="bank")

    queries.flat(home, grow=grow, budget=30)


def test_villages_without_a_protected_official_are_counted_with_the_villages_page(branch, siak_work):
    from lindung.regions.models import Region, RegionKind

    desa = Region.objects.filter(code__startswith="14.08.", level=4, kind=RegionKind.DESA).count()
    item = next(i for i in worklist(branch, timezone.localdate()) if i.key == "villages_14.08")
    assert 0 < item.count <= desa
    assert item.url == "/pantau/14.08/desa/"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_each_role_opens_its_worklist_and_follows_an_item_in_the_browser(page, width):
    """In Chromium, at a laptop's and a phone's width: every role's home page is its worklist, and
    the first item leads to the page that lists that work."""
    from playwright.sync_api import expect

    from lindung.accounts.tests.factories import PASSWORD
    from lindung.conftest import load_regions_if_missing

    load_regions_if_missing()
    accounts = {
        "admin-w": (Role.ADMIN, []),
        "cabang-w": (Role.PETUGAS_CABANG, ["14.08"]),
        "siak-w": (Role.OPERATOR_PEMDA, ["14.08"]),
        "desa-w": (Role.OPERATOR_DESA, ["14.08.06.2001"]),
        "riau-w": (Role.PEMANTAU, ["14"]),
    }
    for username, (role, regions) in accounts.items():
        UserFactory(username=username, role=role, regions=regions)
    assert make_siak_work().pk
    page.set_viewport_size({"width": width, "height": 900})
    for username in accounts:
        page.context.clear_cookies()
        page.goto("/masuk/")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.locator("input[name=password]").press("Enter")
        expect(page.get_by_role("heading", name="Yang perlu Anda tangani sekarang")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, username
        items = page.locator("#worklist li a")
        if username == "desa-w":
            continue  # a village operator's list may hold nothing: the page says so, or lists it
        assert items.count() > 0, username
        href = items.first.get_attribute("href")
        items.first.click()
        page.wait_for_load_state()
        assert page.url.endswith(href), (username, page.url, href)
        expect(page.locator("main h1").first).to_be_visible()
