"""The audit log: append-only, written in the writer's transaction, browsable and filterable by admins."""

from __future__ import annotations

import pytest
from django.db import transaction

from lindung.accounts import services
from lindung.accounts.models import User
from lindung.core.audit import AuditOutsideTransactionError, audit_personal_data_viewed, audit_record
from lindung.core.models import AppendOnlyError, AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(admin_user, siak_village_operator) -> AuditEntry:
    services.user_update(actor=admin_user, user=siak_village_operator, full_name="Kepala Urusan Umum")
    return AuditEntry.objects.latest("id")


def test_an_entry_cannot_be_changed(entry: AuditEntry) -> None:
    entry.action = AuditAction.DELETE

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "update"


def test_an_entry_cannot_be_deleted(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="delete")

    assert AuditEntry.objects.filter(pk=entry.pk, action="update").exists()


@pytest.mark.django_db(transaction=True)  # a plain test already runs inside an atomic block
def test_an_entry_must_share_the_writers_transaction() -> None:
    admin_user = User.objects.create(username="admin-tx", role="admin")
    count = AuditEntry.objects.count()

    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=admin_user, action=AuditAction.UPDATE, target=admin_user)

    assert AuditEntry.objects.count() == count


def test_a_failed_write_leaves_no_entry(admin_user, siak_village_operator) -> None:
    count = AuditEntry.objects.count()

    def a_request_that_fails_after_the_service() -> None:
        with transaction.atomic():
            services.user_update(actor=admin_user, user=siak_village_operator, full_name="Batal")
            raise RuntimeError("the request failed after the service")

    with pytest.raises(RuntimeError):
        a_request_that_fails_after_the_service()

    siak_village_operator.refresh_from_db()
    assert AuditEntry.objects.count() == count
    assert siak_village_operator.full_name != "Batal"


def test_admins_browse_and_filter_the_log(admin_user, entry: AuditEntry, login) -> None:
    client = login(admin_user)

    everything = client.get("/jejak-audit/")
    filtered = client.get(
        "/jejak-audit/", {"action": "update", "object_type": "accounts.user", "actor_username": "admin"}
    )
    nothing = client.get("/jejak-audit/", {"action": "view_personal_data"})

    assert everything.status_code == 200
    assert [e.pk for e in filtered.context["page"]] == [entry.pk]
    assert list(nothing.context["page"]) == []
    assert "Kepala Urusan Umum" in filtered.content.decode()


def test_a_bad_date_range_is_explained(admin_user, login) -> None:
    page = login(admin_user).get("/jejak-audit/", {"date_from": "2026-11-20", "date_to": "2026-11-01"})

    assert "Tanggal akhir sebelum tanggal awal." in page.content.decode()


def test_the_htmx_filter_answers_with_the_results_fragment(admin_user, entry: AuditEntry, login) -> None:
    fragment = login(admin_user).get("/jejak-audit/", {"action": "update"}, headers={"HX-Request": "true"})

    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="audit-results">')
    assert "<html" not in html


@pytest.mark.parametrize("who", ["siak_operator", "riau_monitor", "siak_village_operator"])
def test_only_admins_read_the_log(who: str, request, login) -> None:
    assert login(request.getfixturevalue(who)).get("/jejak-audit/").status_code == 403


def test_seeing_unmasked_personal_data_is_recorded_without_the_data(siak_operator, siak_village_operator) -> None:
    entry = audit_personal_data_viewed(actor=siak_operator, target=siak_village_operator, fields=["nik", "birth_date"])

    assert (entry.action, entry.actor_username, entry.object_type) == ("view_personal_data", "siak", "accounts.user")
    assert entry.after == {"fields": ["birth_date", "nik"]}
    assert AuditEntry.objects.filter(action="view_personal_data").count() == 1


def test_the_audit_log_downloads_with_its_filters(admin_user, login):
    from io import BytesIO

    from openpyxl import load_workbook

    from lindung.core.audit import audit_record
    from lindung.core.models import AuditAction

    with transaction.atomic():
        audit_record(
            actor=admin_user,
            action=AuditAction.UPDATE,
            object_type="accounts.user",
            object_id="9",
            object_repr="x",
            before={"regions": ["14"]},
            after={"regions": ["14", "13"]},
        )
    response = login(admin_user).get("/jejak-audit/", {"action": "update", "unduh": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Waktu", "Pelaku", "Tindakan")
    assert rows[1][4] == "regions: 14 -> 14, 13"
