"""A full NIK never travels in a URL: the search posts it, GET refuses it, the API takes it in a body."""

from __future__ import annotations

import pytest

from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db


def test_the_search_form_posts_and_finds_by_full_nik(siak_operator, login):
    member = enrol(sponsor(), 1)
    client = login(siak_operator)
    page = client.get("/peserta/").content.decode()

    assert 'method="post" role="search"' in page
    found = client.post("/peserta/", {"q": member.person.nik})
    assert found.status_code == 200
    body = found.content.decode()
    assert member.person.name in body
    assert member.person.nik not in body.replace(f'value="{member.person.nik}"', "")  # only in the box


def test_a_full_nik_in_the_url_is_not_searched(siak_operator, login):
    member = enrol(sponsor(), 1)
    answer = login(siak_operator).get(f"/peserta/?q={member.person.nik}", follow=True)

    assert answer.redirect_chain == [("/peserta/", 302)]
    assert "kotak pencarian" in answer.content.decode()
    assert member.person.nik not in answer.content.decode()


def test_the_api_takes_a_full_nik_only_in_a_body(siak_operator, api):
    member = enrol(sponsor(), 1)
    client = api(siak_operator)

    refused = client.get(f"/api/v1/persons?q={member.person.nik}")
    found = client.post("/api/v1/persons/search", {"q": member.person.nik}, content_type="application/json")

    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["q"]
    assert found.status_code == 200
    assert [item["id"] for item in found.json()["items"]] == [member.person_id]
