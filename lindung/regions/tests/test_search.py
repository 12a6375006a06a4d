"""Name search: case-, accent- and punctuation-insensitive, larger regions first, scoped."""

from __future__ import annotations

import pytest

from lindung.regions.selectors import region_search

pytestmark = pytest.mark.django_db


def test_siak_finds_the_kabupaten_first_then_its_namesakes(admin_user) -> None:
    found = region_search(actor=admin_user, query="siak", limit=50)

    assert found[0].code == "14.08"
    # Kabupaten Siak, its Kecamatan Siak, Siak Hulu (Kampar), Siak Kecil (Bengkalis)
    assert {"14.08", "14.08.01", "14.01.06", "14.03.12"} <= {region.code for region in found}
    assert all("siak" in region.search_name for region in found)


@pytest.mark.parametrize("query", ["dayun", "DAYUN", "  Dayun  ", "dáyún"])
def test_dayun_is_found_whatever_the_case_or_accents(siak_operator, query: str) -> None:
    found = region_search(actor=siak_operator, query=query)

    assert [(r.code, r.path_names) for r in found] == [
        ("14.08.06", "Kabupaten Siak, Riau"),
        ("14.08.06.2001", "Dayun, Kabupaten Siak, Riau"),
    ]


def test_apostrophes_do_not_matter(admin_user) -> None:
    assert [r.name for r in region_search(actor=admin_user, query="regapuu")] == ["Regapu\u2019u"]


def test_search_stays_inside_the_users_regions(dumai_operator) -> None:
    assert region_search(actor=dumai_operator, query="dayun") == []
    assert {r.code[:5] for r in region_search(actor=dumai_operator, query="bukit")} == {"14.72"}


def test_one_letter_is_too_short(admin_user) -> None:
    assert region_search(actor=admin_user, query="s") == []


def test_search_costs_two_queries(admin_user, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        region_search(actor=admin_user, query="siak")
