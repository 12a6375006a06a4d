"""The API shell: bearer tokens, problem+json errors naming the field, a valid OpenAPI 3.1 schema."""

from __future__ import annotations

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer lnd_not-a-real-token"}, {"Authorization": "Basic x"}]
)
def test_without_a_valid_token_the_answer_is_401_problem_json(headers: dict[str, str]) -> None:
    response = Client(headers=headers).get("/api/v1/regions/14")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/regions/search?q=s", "q"),
        ("/api/v1/regions/search", "q"),
        ("/api/v1/regions/search?q=siak&limit=1000", "limit"),
        ("/api/v1/regions/search?q=siak&limit=banyak", "limit"),
        ("/api/v1/regions/14.8", "code"),
        ("/api/v1/regions/14.08.6/children", "code"),
    ],
)
def test_a_bad_parameter_is_422_problem_json_naming_the_field(siak_operator, api, path: str, field: str) -> None:
    response = api(siak_operator).get(path)

    body = response.json()
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["detail"].startswith(f"{field}: ")
    assert body["title"] == "Permintaan tidak valid"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/regions/search?q=s", "Paling sedikit 2 karakter."),
        ("/api/v1/regions/search", "Parameter ini wajib diisi."),
        ("/api/v1/regions/search?q=siak&limit=1000", "Paling banyak 100."),
        ("/api/v1/regions/search?q=siak&limit=banyak", "Harus bilangan bulat."),
        ("/api/v1/regions/14.8", "Format salah."),
    ],
)
def test_parameter_errors_are_explained_in_indonesian(siak_operator, api, path: str, message: str) -> None:
    assert api(siak_operator).get(path).json()["errors"][0]["message"] == message


def test_the_openapi_schema_is_valid_3_1_and_public() -> None:
    response = Client().get("/api/v1/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.1")
    validate(schema)
    assert {"/api/v1/regions/{code}", "/api/v1/regions/{code}/children", "/api/v1/regions/search"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_docs_page_loads_its_assets_locally() -> None:
    html = Client().get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_get_a_region_by_code(siak_operator, api) -> None:
    body = api(siak_operator).get("/api/v1/regions/14.08").json()

    assert body == {
        "code": "14.08",
        "name": "Kabupaten Siak",
        "level": 2,
        "kind": "kabupaten",
        "local_kind": "",
        "parent_code": "14",
        "postal_code": "",
    }


def test_children_of_dayun_with_a_query_budget(siak_operator, api, django_assert_max_num_queries) -> None:
    client = api(siak_operator)

    # token lookup, token touch, assignments, the region, its children: no query per child
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/regions/14.08.06/children").json()

    assert len(body) == 11
    assert body[0] == {
        "code": "14.08.06.2001",
        "name": "Dayun",
        "level": 4,
        "kind": "desa",
        "local_kind": "",
        "parent_code": "14.08.06",
        "postal_code": body[0]["postal_code"],
        "child_count": 0,
    }


def test_provinces_for_a_scoped_user_are_only_the_enclosing_one(siak_operator, api) -> None:
    body = api(siak_operator).get("/api/v1/regions/").json()

    assert [(p["code"], p["child_count"]) for p in body] == [("14", 1)]


def test_search_in_the_api(siak_operator, api) -> None:
    body = api(siak_operator).get("/api/v1/regions/search?q=Dayun").json()

    assert [(r["code"], r["path"]) for r in body] == [
        ("14.08.06", "Kabupaten Siak, Riau"),
        ("14.08.06.2001", "Dayun, Kabupaten Siak, Riau"),
    ]
