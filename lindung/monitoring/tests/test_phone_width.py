"""At a phone's width (390 px) no page of the main flows scrolls sideways: wide tables scroll inside
their own box, the header folds behind "Menu". At a laptop's 1366 px the header is one row (issue 20)."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.claims.models import ClaimType
from lindung.claims.services import claim_submit
from lindung.conftest import load_regions_if_missing
from lindung.contributions.models import Invoice
from lindung.contributions.services import billing_run
from lindung.registry.tests.factories import agreement, enrol, sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How far past the viewport a page may reach: none (a rounding pixel at most).
SLACK = 1


def log_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/")


def main_flow_pages() -> list[str]:
    """A person with a membership, a sponsor with an invoice, an agreement and a claim in Siak."""
    pemkab = sponsor()
    pks = agreement(pemkab, number="PKS/PONSEL/2026")
    member = enrol(pemkab, 1, wage="3.000.000", programs="jkk,jkm", starts_on="2024-01-01", today=date(2024, 1, 1))
    billing_run(actor=None, period="2026-03", today=date(2026, 4, 20))
    claim = claim_submit(
        actor=None,
        membership=member,
        claim_type=ClaimType.JKM,
        event_date=date(2026, 4, 3),
        claimant_name="Siti Aminah",
        today=date(2026, 4, 10),
    )
    invoice = Invoice.objects.get(sponsor=pemkab)
    return [
        "/",
        "/peserta/",
        f"/peserta/{member.person_id}/",
        f"/iuran/peserta/{member.person_id}/",
        "/pemberi-kerja/",
        f"/pemberi-kerja/{pemkab.pk}/",
        f"/iuran/pemberi-kerja/{pemkab.pk}/",
        f"/iuran/tagihan/{invoice.pk}/",
        "/iuran/tagihan/",
        "/perjanjian/",
        f"/perjanjian/{pks.pk}/",
        "/klaim/",
        f"/klaim/{claim.pk}/",
        "/impor/",
        "/iuran/pembayaran/",
        "/pantau/14.08/",
        "/pantau/14.08/keuangan/",
        "/pantau/14.08/komitmen/",
        "/pantau/14.08/desa/",
        "/pantau/14/peringkat/",
        "/wilayah/14.08/",
        "/simulasi/",
    ]


def test_no_page_of_the_main_flows_scrolls_sideways_on_a_phone(page) -> None:
    load_regions_if_missing()
    UserFactory(username="cabang", role=Role.PETUGAS_CABANG, regions=["14"], full_name="Petugas Cabang Siak")
    pages = main_flow_pages()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "cabang")
    too_wide, crumbled = {}, {}
    for url in pages:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390 + SLACK:
            too_wide[url] = width
        # ... and not by squeezing tables until their headings break letter by letter
        tallest_heading = page.evaluate(
            "Math.max(0, ...[...document.querySelectorAll('main thead th')]"
            ".map(th => th.getBoundingClientRect().height))"
        )
        if tallest_heading > 80:
            crumbled[url] = page.evaluate(
                "[...document.querySelectorAll('main thead th')].filter(th => th.getBoundingClientRect().height > 80)"
                ".map(th => th.innerText)"
            )
    assert too_wide == {}
    assert crumbled == {}


def test_the_header_folds_behind_menu_on_a_phone_and_is_one_row_on_a_laptop(page) -> None:
    from playwright.sync_api import expect

    load_regions_if_missing()
    UserFactory(username="admin-lebar", role=Role.ADMIN, regions=[], full_name="Administrator Lindung Nasional")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "admin-lebar")
    links = page.locator("#main-menu")
    expect(links).to_be_hidden()
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 844 / 6  # not half the screen: a row for the brand, menu and account
    page.get_by_role("button", name="Menu").click()
    expect(links).to_be_visible()
    page.get_by_role("link", name="Pemantauan", exact=True).click()
    expect(page).to_have_url("/pantau/nasional/")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    tops = page.evaluate(
        "[...document.querySelectorAll('.site-header nav > ul > li')]"
        ".filter(li => li.offsetParent !== null).map(li => Math.round(li.getBoundingClientRect().top))"
    )
    assert max(tops) - min(tops) <= 8, tops  # every item on one row
