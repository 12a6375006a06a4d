"""/api/v1/target-lists (issue 22): the same as the pages, scoped to the token's user."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.core.models import AuditAction, AuditEntry
from lindung.outreach.models import TargetList
from lindung.outreach.tests.helpers import write_list
from lindung.registry.nik import make_nik

pytestmark = pytest.mark.django_db
BORN = date(1992, 4, 21)


def dtks(tmp_path):
    rows = [
        [make_nik("14.08.06", BORN, "L", serial), "", f"Warga {serial}", BORN.strftime("%d-%m-%Y"), "L",
         "14.08.06.2001", "", "", 1 + serial % 2, "", "", ""]
        for serial in range(1, 5)
    ]  # fmt: skip
    return write_list(tmp_path / "dtks.xlsx", rows)


def test_upload_read_count_cost_and_export_through_the_api(
    tmp_path, siak_operator, dumai_operator, api, django_capture_on_commit_callbacks
):
    client = api(siak_operator)
    with dtks(tmp_path).open("rb") as file, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/target-lists", {"file": file, "region": "14.08", "source": "dtks", "source_date": "2026-06-30"}
        )
    assert response.status_code == 202, response.content
    list_id = response.json()["id"]
    detail = client.get(f"/api/v1/target-lists/{list_id}").json()
    assert detail["status"] == "selesai"
    assert detail["counts"]["belum_terdaftar"] == 4

    entries = client.get(f"/api/v1/target-lists/{list_id}/entries").json()
    assert entries["count"] == 4
    assert all("********" in item["masked_nik"] for item in entries["items"])
    groups = client.get(f"/api/v1/target-lists/{list_id}/breakdown?per=decile").json()
    deciles = {group["key"]: group for group in groups}
    assert deciles["1"]["to_protect"]["people"] == 2

    cost = client.post(
        f"/api/v1/target-lists/{list_id}/cost",
        {"deciles": [1], "start": "2027-01", "months": 12, "programs": ["jkk", "jkm"]},
        content_type="application/json",
    ).json()
    assert cost["people"] == 2
    assert cost["total"] == sum(row["total"] for row in cost["rows"]) > 0

    export = client.get(f"/api/v1/target-lists/{list_id}/export?result=belum_terdaftar")
    assert export.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA, object_id=str(list_id)).count() == 1

    # Another region's token sees nothing of it.
    dumai = api(dumai_operator)
    assert dumai.get(f"/api/v1/target-lists/{list_id}").status_code == 404
    assert dumai.get("/api/v1/target-lists").json()["count"] == 0
    assert dumai.delete(f"/api/v1/target-lists/{list_id}").status_code == 404

    assert client.delete(f"/api/v1/target-lists/{list_id}").status_code == 204
    assert not TargetList.objects.exists()
