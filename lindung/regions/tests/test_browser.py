"""A Siak operator logs in, drills Riau -> Kabupaten Siak -> Kecamatan Dayun -> a kampung, then switches to English."""

from __future__ import annotations

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import SIAK, load_regions_if_missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def siak_operator_in_live_db() -> None:
    load_regions_if_missing()  # a transactional test before this one may have emptied the tables
    UserFactory(username="siak", role=Role.OPERATOR_PEMDA, regions=[SIAK], full_name="Operator Pemkab Siak")


def test_siak_operator_drills_down_to_a_kampung_and_switches_to_english(page, siak_operator_in_live_db) -> None:
    from playwright.sync_api import expect

    page.goto("/masuk/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("siak")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Selamat datang, Operator Pemkab Siak")).to_be_visible()

    page.get_by_role("link", name="Wilayah", exact=True).click()
    expect(page.locator("#children tbody tr")).to_have_count(1)  # only Riau, the province around Siak
    page.get_by_role("link", name="Riau", exact=True).click()
    expect(page.get_by_role("heading", name="Riau")).to_be_visible()
    expect(page.locator("#children tbody tr")).to_have_count(1)  # Siak, not Dumai
    page.get_by_role("link", name="Kabupaten Siak").click()
    expect(page.locator("#children tbody tr")).to_have_count(14)
    page.get_by_role("link", name="Dayun", exact=True).click()
    expect(page.get_by_role("heading", name="Dayun")).to_be_visible()
    expect(page.locator("#children tbody tr")).to_have_count(11)
    page.get_by_role("link", name="Banjar Seminai").click()
    expect(page.get_by_role("heading", name="Banjar Seminai")).to_be_visible()
    expect(page.get_by_text("Desa · kode")).to_be_visible()
    expect(page.locator(".breadcrumb")).to_contain_text("Riau")
    expect(page.locator(".breadcrumb")).to_contain_text("Kabupaten Siak")

    # HTMX live search, scoped: Dumai's regions are not offered to a Siak operator
    page.get_by_placeholder("Cari wilayah menurut nama").fill("dayun")
    expect(page.locator("#search-results li")).to_have_count(2)

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Banjar Seminai")).to_be_visible()
    expect(page.get_by_text("Village (desa) · code")).to_be_visible()
    page.locator(".nav-user summary").click()  # the account menu: role and log out
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Regions", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
