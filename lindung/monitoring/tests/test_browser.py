"""In a real browser: a Riau monitor drills from Riau to Kabupaten Siak's villages and downloads the report."""

from __future__ import annotations

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import RIAU, load_regions_if_missing
from lindung.monitoring.rollups import refresh_rollups
from lindung.monitoring.tests.test_rollups import TODAY, a_region_with_members
from lindung.registry.tests.factories import DAYUN_VILLAGE
from lindung.rules.periods import Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_a_riau_monitor_drills_down_to_siak_villages_and_downloads_the_report(page, width) -> None:
    from playwright.sync_api import expect

    from lindung.browser import follow_nav

    load_regions_if_missing()
    UserFactory(username="riau", role=Role.PEMANTAU, regions=[RIAU], full_name="Pemantau Riau")
    a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)

    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill("riau")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    follow_nav(page, "Pemantauan")
    expect(page.get_by_role("heading", name="Riau")).to_be_visible()
    page.get_by_label("Bulan", exact=True).select_option("2026-01")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#registered")).to_have_text("6")

    page.get_by_role("link", name="Kabupaten Siak", exact=True).click()
    expect(page.get_by_role("heading", name="Kabupaten Siak")).to_be_visible()
    expect(page.locator("#active")).to_have_text("4")
    page.get_by_role("link", name="Desa", exact=True).click()
    # January: the kampung's officials are registered, but their Pemdes has not paid.
    expect(page.locator(f'[data-village="{DAYUN_VILLAGE}"]')).to_contain_text("terdaftar, iuran belum dibayar")
    expect(page.locator("#villages-protected")).to_have_text("0")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    with page.expect_download() as report:
        page.get_by_role("button", name="Laporan wilayah (PDF)").click()
    assert report.value.suggested_filename == "laporan-14.08-2026-01.pdf"
