"""Headless Debian Chromium for browser tests, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil

CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    # The machine has no internet: without these Chromium keeps dialling Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def follow_nav(page: object, name: str) -> None:
    """Click a main navigation link by its name, opening the folded menu first on a phone."""
    menu = page.get_by_role("button", name="Menu")  # type: ignore[attr-defined]
    if menu.is_visible():
        menu.click()
    page.get_by_role("link", name=name, exact=True).click()  # type: ignore[attr-defined]
