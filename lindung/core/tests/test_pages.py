"""The web shell: CSP everywhere, no CDN, navigation by role, Indonesian first, English on request, lockout."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

PAGES = ["/", "/wilayah/", "/wilayah/14/", "/wilayah/cari/?q=siak", "/pengguna/", "/jejak-audit/"]


def _nav_labels(html: str) -> list[str]:
    """The main links, then those under "Lainnya" (the brand link holds <strong>, not text)."""
    nav = html.split('<nav aria-label="Navigasi utama">')[1].split('<ul class="nav-account">')[0]
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize("path", [*PAGES, "/masuk/", "/api/v1/docs", "/tidak-ada/", "Simulasi"])
def test_every_page_carries_a_content_security_policy(admin_user, login, path: str) -> None:
    response = login(admin_user).get(path)

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_another_host(admin_user, login, path: str) -> None:
    html = login(admin_user).get(path).content.decode()

    external = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert external == []
    assert "<style" not in html
    assert " style=" not in html


def test_the_front_end_packages_are_served_locally() -> None:
    for asset in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/pico/pico.min.css", "/static/lindung/app.css"):
        assert Client().get(asset).status_code == 200, asset


REGISTRY = ["Peserta", "Pemberi kerja", "Perjanjian", "Unggah"]
MONEY = ["Pembayaran", "Klaim", "Pemantauan"]
# Under "Lainnya" (More): pages used now and then, so the header stays one row.
MORE_MONEY = ["Rencana anggaran", "Kotak masuk", "Tagihan lewat jatuh tempo"]
# Who plans and enrols also works the social-affairs office's lists of the poor (issue 22).
MORE_PLANNER = ["Rencana anggaran", "Daftar sasaran", "Kotak masuk", "Tagihan lewat jatuh tempo"]


@pytest.mark.parametrize(
    ("who", "labels"),
    [
        (
            "admin_user",
            ["Beranda", "Wilayah", *REGISTRY, *MONEY, *MORE_PLANNER, "Kantor", "Pengguna", "Jejak audit", "Simulasi"],
        ),
        ("siak_operator", ["Beranda", "Wilayah", *REGISTRY, *MONEY, *MORE_PLANNER, "Kantor", "Pengguna", "Simulasi"]),
        # A monitor sees sponsors, agreements and budgets, never the persons' records nor payments.
        (
            "riau_monitor",
            [
                "Beranda",
                "Wilayah",
                "Pemberi kerja",
                "Perjanjian",
                "Pemantauan",
                *MORE_MONEY,
                "Kantor",
                "Pengguna",
                "Simulasi",
            ],
        ),
        # A village plans its budget but does not handle payments.
        ("siak_village_operator", ["Beranda", "Wilayah", *REGISTRY, "Pemantauan", *MORE_MONEY, "Kantor", "Simulasi"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(who: str, labels: list[str], request, login) -> None:
    html = login(request.getfixturevalue(who)).get("/").content.decode()

    assert _nav_labels(html) == labels


def test_a_village_operator_is_refused_the_user_pages(siak_village_operator, login) -> None:
    assert login(siak_village_operator).get("/pengguna/").status_code == 403


def test_pages_need_a_login() -> None:
    response = Client().get("/wilayah/14/")

    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/wilayah/14/"


def test_indonesian_by_default_even_for_an_english_browser() -> None:
    html = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get("/masuk/").content.decode()

    assert "<h1>Masuk</h1>" in html
    assert '<html lang="id"' in html


def test_english_when_chosen(siak_operator, login) -> None:
    client = login(siak_operator)

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/wilayah/14/"})
    page = client.get("/wilayah/14/").content.decode()

    assert switched.status_code == 302
    assert "Regions of Indonesia" not in page  # a region page, in English:
    assert ">Log out<" in page
    assert "Sub-regions" in page


def test_the_indonesian_catalogue_is_complete() -> None:
    po = (settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text()
    untranslated = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n\n', po)

    assert untranslated == []
    assert "#, fuzzy" not in po
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"


def test_both_catalogues_are_compiled() -> None:
    for language in ("id", "en"):
        assert (settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo").exists()


def test_login_and_logout(siak_operator) -> None:
    client = Client()

    logged_in = client.post("/masuk/", {"username": "siak", "password": "kata-sandi-uji-2026"})
    home = client.get("/")
    logged_out = client.post("/keluar/")

    assert (logged_in.status_code, logged_in["Location"]) == (302, "/")
    assert "Selamat datang" in home.content.decode()
    assert (logged_out.status_code, logged_out["Location"]) == (302, "/masuk/")


def test_a_wrong_password_is_explained_in_indonesian(siak_operator) -> None:
    html = Client().post("/masuk/", {"username": "siak", "password": "salah"}).content.decode()

    assert "Nama pengguna atau kata sandi salah" in html


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(siak_operator) -> None:
    client = Client()
    for _attempt in range(5):
        client.post("/masuk/", {"username": "siak", "password": "salah"})

    locked = client.post("/masuk/", {"username": "siak", "password": "kata-sandi-uji-2026"})

    assert locked.status_code == 429
    assert "dikunci selama 15 menit" in locked.content.decode()
    assert client.get("/").status_code == 302  # still not logged in
