"""Guessing API tokens is not free: wrong tokens from one address are refused after a limit."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_wrong_tokens_from_one_address_are_refused_after_the_limit(settings, siak_operator, api):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    guesser = Client(headers={"Authorization": "Bearer tebakan"}, REMOTE_ADDR="10.0.0.9")
    other = Client(headers={"Authorization": "Bearer tebakan"}, REMOTE_ADDR="10.0.0.10")

    statuses = [guesser.get("/api/v1/persons").status_code for _ in range(5)]

    assert statuses == [401, 401, 401, 429, 429]
    assert "Terlalu banyak" in guesser.get("/api/v1/persons").json()["detail"]
    assert other.get("/api/v1/persons").status_code == 401  # another address is not punished
    assert api(siak_operator).get("/api/v1/persons").status_code == 200
