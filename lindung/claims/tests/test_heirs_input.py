"""Heirs set by an officer: only the member's own family can be linked, and bad input is a 422 by field."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.claims.models import ClaimHeir, ClaimType
from lindung.claims.services import claim_submit
from lindung.claims.tests.test_pages import branch, member  # noqa: F401 (fixtures)
from lindung.core.models import AuditEntry
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(member, branch):  # noqa: F811
    return claim_submit(
        actor=branch[0], membership=member, claim_type=ClaimType.JKM, event_date=date(2026, 2, 3), claimant_name="Siti"
    )


def _heirs(claim):
    return list(ClaimHeir.objects.filter(claim=claim).values_list("name", "relation", "relative_id"))


@pytest.mark.parametrize(
    ("heir", "field"),
    [
        ({"relation": "spouse"}, "heirs.0.name"),
        ({"name": "Siti", "relation": "abc"}, "heirs.0.relation"),
        ({"name": "Siti", "relation": "spouse", "relative": "abc"}, "heirs.0.relative"),
        ({"name": "Siti", "relation": "spouse", "relative": 999999}, "heirs.0.relative"),
    ],
)
def test_a_bad_heir_is_a_422_naming_the_field_and_nothing_changes(claim, branch, api, heir, field):  # noqa: F811
    client = api(branch[0])
    before, audits = _heirs(claim), AuditEntry.objects.count()

    answer = client.put(
        f"/api/v1/claims/{claim.pk}/heirs", {"heirs": [heir], "reason": "koreksi"}, content_type="application/json"
    )

    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in answer.json()["errors"]]
    assert _heirs(claim) == before
    assert AuditEntry.objects.count() == audits


def test_another_persons_relative_cannot_be_made_an_heir(claim, branch, api):  # noqa: F811
    stranger = enrol(
        sponsor("Pemerintah Kampung Lain", kind="pemdes", region="14.08.06.2002"), 2, category="perangkat_desa"
    )
    relative = stranger.person.relatives.create(relation="spouse", name="Orang Lain", birth_date=date(1990, 1, 1))
    client = api(branch[0])

    answer = client.put(
        f"/api/v1/claims/{claim.pk}/heirs",
        {"heirs": [{"name": "Orang Lain", "relation": "spouse", "relative": relative.pk}], "reason": "x"},
        content_type="application/json",
    )

    assert answer.status_code == 422
    assert "Bukan anggota keluarga" in answer.json()["detail"]
    assert relative.pk not in [row[2] for row in _heirs(claim)]


def test_bank_and_account_changes_are_audited_with_before_and_after(claim, branch, api, member):  # noqa: F811
    spouse = member.person.relatives.get()
    client = api(branch[0])
    body = {
        "heirs": [
            {"name": "Siti Aminah", "relation": "spouse", "relative": spouse.pk, "bank": "BRI", "account": "123"}
        ],
        "reason": "rekening baru",
    }

    assert client.put(f"/api/v1/claims/{claim.pk}/heirs", body, content_type="application/json").status_code == 200

    entry = AuditEntry.objects.filter(object_type="claims.claim", object_id=str(claim.pk)).latest("id")
    assert (entry.after or {})["heirs"] == [
        {"name": "Siti Aminah", "relation": "spouse", "relative_id": spouse.pk, "bank": "BRI", "account": "123"}
    ]
    assert "bank" in (entry.before or {})["heirs"][0]


def test_a_monitor_is_refused_before_learning_that_an_npwp_exists(riau_monitor, api):
    sponsor("PT Sawit Siak Lestari", kind="company", npwp="013000666091000")
    answer = api(riau_monitor).post(
        "/api/v1/sponsors",
        {"kind": "company", "name": "PT Baru", "region": "14.08", "npwp": "013000666091000"},
        content_type="application/json",
    )

    assert answer.status_code == 403
    assert "NPWP" not in answer.content.decode()
