"""axe-core (npm, node_modules, never a CDN) checks the main pages inside the browser: no serious or
critical accessibility violation, at a laptop's and a phone's width (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.conftest import load_regions_if_missing
from lindung.monitoring.tests.test_phone_width import main_flow_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def violations(page) -> list[str]:
    """axe's serious and critical findings on the page: rule, impact and the first offending element.

    Checked once the page has settled: a part HTMX loads after the page (a person's coverage) fades
    in, and half-faded text would be judged for its contrast."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")
    page.wait_for_timeout(400)  # Pico's and HTMX's transitions end
    page.evaluate(AXE.read_text())  # evaluated by the browser's debugger: the page's CSP does not apply
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "best-practice"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, where: v.nodes[0].target.join(" ")}));
        }"""
    )
    return [f"{v['id']} ({v['impact']}) at {v['where']}" for v in found if v["impact"] in SERIOUS]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_main_pages_have_no_serious_accessibility_violation(page, width) -> None:
    load_regions_if_missing()
    UserFactory(username="cabang", role=Role.PETUGAS_CABANG, regions=["14"], full_name="Petugas Cabang Siak")
    pages = main_flow_pages()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/masuk/")
    assert violations(page) == []
    page.get_by_label("Nama pengguna").fill("cabang")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/")
    found = {}
    for url in pages:
        page.goto(url)
        problems = violations(page)
        if problems:
            found[url] = problems
    assert found == {}
