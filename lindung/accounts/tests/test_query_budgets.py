"""Query budgets: the user list, the audit log and the region browser cost the same for few rows or many."""

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.core.audit import audit_record
from lindung.core.models import AuditAction

pytestmark = pytest.mark.django_db


def more_users_and_entries():
    from django.db import transaction

    for number in range(10):
        user = UserFactory.create(username=f"operator-{number}", role=Role.OPERATOR_PEMDA, regions=["14.08"])
        with transaction.atomic():
            audit_record(actor=user, action=AuditAction.UPDATE, target=user, after={"n": number})


@pytest.mark.parametrize(
    "url",
    ["/pengguna/", "/jejak-audit/", "/wilayah/", "/wilayah/14/", "/api/v1/regions/", "/api/v1/regions/14/children"],
)
def test_admin_lists(queries, login, admin_user, url):
    client = login(admin_user)
    queries.flat(lambda: client.get(url), grow=more_users_and_entries, budget=10)
