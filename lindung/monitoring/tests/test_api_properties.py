"""Schemathesis over the whole API: whatever a client sends, no 500 and no answer outside the schema.

Every operation of /api/v1/openapi.json gets at most 25 generated requests (fixed seed), sent
with the token of a regional operator (Siak) and of a branch officer, against a database holding
a sponsor, an agreement, a member and a claim, so that ids can hit real rows.
"""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from config.wsgi import application
from lindung.accounts.roles import Role
from lindung.accounts.services import api_token_create
from lindung.accounts.tests.factories import UserFactory
from lindung.claims.models import ClaimType
from lindung.claims.services import claim_submit
from lindung.registry.tests.factories import agreement, enrol, sponsor

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """Schemathesis calls the WSGI application itself, whose request signals close the database
    connection (PostgreSQL then loses the test's transaction); Django's test client disconnects
    them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=[Role.OPERATOR_PEMDA, Role.PETUGAS_CABANG])
def token(request) -> str:
    region = "14.08" if request.param == Role.OPERATOR_PEMDA else "14"
    user = UserFactory.create(username=f"fuzz-{request.param}", role=request.param, regions=[region])
    siak = sponsor()
    agreement(siak)
    member = enrol(siak, 1, starts_on="2024-01-01", today=date(2024, 1, 1))
    member.person.relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1991, 1, 1))
    claim_submit(
        actor=None, membership=member, claim_type=ClaimType.JKM, event_date=date(2026, 2, 3), claimant_name="Siti"
    )
    _token, raw = api_token_create(actor=None, user=user, name="schemathesis")
    return raw


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_answer_outside_the_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
