"""Account pages: a refused change comes back on the form with what was typed."""

from __future__ import annotations

import pytest

from lindung.accounts.models import User
from lindung.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_region_outside_ones_own_is_explained_on_the_form_and_the_input_kept(siak_operator, login) -> None:
    entries = AuditEntry.objects.count()

    page = login(siak_operator).post(
        "/pengguna/baru/", {"username": "op-dumai", "role": "operator_desa", "regions": "14.72.01.1003"}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Anda hanya boleh mengelola akun di dalam wilayah Anda sendiri." in html
    assert 'value="op-dumai"' in html
    assert not User.objects.filter(username="op-dumai").exists()
    assert AuditEntry.objects.count() == entries


def test_an_unknown_region_is_shown_on_its_field(siak_operator, login) -> None:
    page = login(siak_operator).post(
        "/pengguna/baru/", {"username": "op-x", "role": "operator_desa", "regions": "14.08.06.9999"}
    )

    assert page.context["form"].errors["regions"] == ["Wilayah tidak dikenal: 14.08.06.9999."]


def test_creating_then_changing_a_village_operator(siak_operator, login) -> None:
    client = login(siak_operator)

    created = client.post(
        "/pengguna/baru/", {"username": "op-dayun", "role": "operator_desa", "regions": "14.08.06.2001"}
    )
    user = User.objects.get(username="op-dayun")
    changed = client.post(
        f"/pengguna/{user.pk}/",
        {
            "role": "operator_desa",
            "regions": "14.08.06.2002",
            "full_name": "Operator Banjar Seminai",
            "is_active": "on",
        },
    )

    user.refresh_from_db()
    assert (created.status_code, created["Location"]) == (302, f"/pengguna/{user.pk}/")
    assert changed.status_code == 302
    assert (user.full_name, user.region_codes, user.is_active) == ("Operator Banjar Seminai", ("14.08.06.2002",), True)
