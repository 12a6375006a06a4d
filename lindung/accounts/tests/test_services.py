"""Who may create and change which accounts, and what the audit log keeps of it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lindung.accounts import services
from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int, int]:
    from lindung.accounts.models import RegionAssignment

    return User.objects.count(), RegionAssignment.objects.count(), AuditEntry.objects.count()


def test_a_pemda_operator_creates_a_village_operator_in_its_kabupaten(siak_operator) -> None:
    user, _password = services.user_create(
        actor=siak_operator, username="op-dayun", role=Role.OPERATOR_DESA, region_codes=["14.08.06.2001"]
    )

    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert user.region_codes == ("14.08.06.2001",)
    assert (entry.actor, entry.action, entry.before) == (siak_operator, "create", None)
    assert entry.after == {
        "username": "op-dayun",
        "full_name": "",
        "role": "operator_desa",
        "is_active": True,
        "office_code": "",
        "region_codes": ["14.08.06.2001"],
    }


@pytest.mark.parametrize(
    ("role", "regions"),
    [
        (Role.OPERATOR_DESA, ["14.72.01.1003"]),  # a Dumai kelurahan: outside Siak
        (Role.PEMANTAU, ["14.08"]),  # a role a Pemda operator does not give
        (Role.ADMIN, []),
    ],
)
def test_a_pemda_operator_cannot_create_outside_its_reach(siak_operator, role: str, regions: list[str]) -> None:
    before = _state()

    with pytest.raises(PermissionDenied):
        services.user_create(actor=siak_operator, username="x", role=role, region_codes=regions)

    assert _state() == before


def test_a_monitor_creates_nothing(riau_monitor) -> None:
    before = _state()

    with pytest.raises(PermissionDenied):
        services.user_create(actor=riau_monitor, username="x", role=Role.OPERATOR_DESA, region_codes=["14.08.06.2001"])

    assert _state() == before


def test_an_update_writes_exactly_one_entry_with_before_and_after(siak_operator, siak_village_operator) -> None:
    entries_before = AuditEntry.objects.count()

    services.user_update(
        actor=siak_operator, user=siak_village_operator, region_codes=["14.08.06.2002"], is_active=False
    )

    assert AuditEntry.objects.count() == entries_before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "update"
    assert (entry.actor_username, entry.object_id) == ("siak", str(siak_village_operator.pk))
    before, after = entry.before or {}, entry.after or {}
    assert before["region_codes"] == ["14.08.06.2001"]
    assert after["region_codes"] == ["14.08.06.2002"]
    assert (before["is_active"], after["is_active"]) == (True, False)
    assert entry.changed_fields == ["is_active", "region_codes"]


def test_an_update_that_changes_nothing_writes_no_entry(siak_operator, siak_village_operator) -> None:
    entries_before = AuditEntry.objects.count()

    services.user_update(actor=siak_operator, user=siak_village_operator, is_active=True)

    assert AuditEntry.objects.count() == entries_before


def test_moving_an_account_out_of_ones_own_regions_is_refused(siak_operator, siak_village_operator) -> None:
    before = _state()

    with pytest.raises(PermissionDenied):
        services.user_update(actor=siak_operator, user=siak_village_operator, region_codes=["14.72.01.1003"])

    siak_village_operator.refresh_from_db()
    assert siak_village_operator.region_codes == ("14.08.06.2001",)
    assert _state() == before


def test_a_village_operator_must_serve_villages(admin_user) -> None:
    with pytest.raises(ValidationError) as refused:
        services.user_create(actor=admin_user, username="x", role=Role.OPERATOR_DESA, region_codes=["14.08"])

    assert list(refused.value.message_dict) == ["regions"]


def test_a_revoked_token_stops_working(siak_operator, api) -> None:
    token, raw = services.api_token_create(actor=siak_operator, user=siak_operator)
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200

    services.api_token_revoke(actor=siak_operator, token=token)

    assert client.get("/api/v1/me").status_code == 401
