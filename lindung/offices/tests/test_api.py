"""/api/v1/offices: the directory, one office's dated areas, the administrator's edits, moves and imports."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.offices.models import Office, ServiceArea
from lindung.offices.tests.factories import riau_offices

pytestmark = pytest.mark.django_db


def test_the_directory_and_one_office_with_its_history(api, siak_operator):
    riau_offices(siak_moves_on=date(2026, 7, 1))
    client = api(siak_operator)

    listing = client.get("/api/v1/offices").json()
    by_code = {office["code"]: office for office in listing}
    assert by_code["kc-pekanbaru"]["serves_today"] == ["14.71"]  # after the move, today being December 2026
    assert by_code["kcp-siak"]["parent"] == "kc-pekanbaru"
    detail = client.get("/api/v1/offices/kcp-siak").json()
    assert detail["areas"] == [
        {"region": "14.08", "region_name": "Kabupaten Siak", "valid_from": "2014-01-01", "valid_to": "2026-07-01"}
    ]
    assert client.get("/api/v1/offices/tidak-ada").status_code == 404


def test_only_the_administrator_edits_moves_and_imports(api, admin_user):
    riau_offices()
    officer = UserFactory.create(username="petugas", role=Role.PETUGAS_CABANG, regions=["14"])
    refused = api(officer).patch("/api/v1/offices/kc-dumai", {"head_name": "X"}, content_type="application/json")
    assert refused.status_code == 403
    assert (
        api(officer)
        .post(
            "/api/v1/offices/kc-dumai/areas",
            {"region": "14.07", "valid_from": "2026-08-01"},
            content_type="application/json",
        )
        .status_code
        == 403
    )

    admin = api(admin_user)
    edited = admin.patch("/api/v1/offices/kc-dumai", {"head_name": "Sri Wahyuni"}, content_type="application/json")
    assert edited.status_code == 200
    assert edited.json()["head_name"] == "Sri Wahyuni"
    moved = admin.post(
        "/api/v1/offices/kc-dumai/areas",
        {"region": "14.07", "valid_from": "2026-08-01"},
        content_type="application/json",
    )
    assert moved.json() == {"changed": True, "region": "14.07", "office": "kc-dumai", "valid_from": "2026-08-01"}
    wrong = admin.post(
        "/api/v1/offices/kc-dumai/areas", {"region": "14", "valid_from": "2026-08-01"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert wrong["Content-Type"] == "application/problem+json"

    text = "kode_kantor;jenis;nama_kantor;kode_wilayah;berlaku_mulai\nkw-x;kanwil;Kanwil X;21;2014-01-01\n"
    imported = admin.post("/api/v1/offices/import", {"file": SimpleUploadedFile("kantor.csv", text.encode())})
    assert imported.status_code == 200
    assert imported.json()["offices_created"] == 1
    assert ServiceArea.objects.get(region_id="21").office == Office.objects.get(code="kw-x")
