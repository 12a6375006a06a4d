"""Region scoping through every door.

A Dumai operator can neither see nor change Siak; a Riau monitor sees both and changes nothing.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from lindung.accounts.models import User
from lindung.core.models import AuditEntry
from lindung.core.scoping import scoped
from lindung.regions.models import Region

pytestmark = pytest.mark.django_db

SIAK_PAGES = ["/wilayah/14.08/", "/wilayah/14.08.06/", "/wilayah/14.08.06.2001/"]


@pytest.mark.parametrize("path", SIAK_PAGES)
def test_a_dumai_operator_gets_404_for_siak_regions_on_pages(dumai_operator, login, path: str) -> None:
    assert login(dumai_operator).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/regions/14.08", "/api/v1/regions/14.08.06/children"])
def test_a_dumai_operator_gets_404_for_siak_regions_in_the_api(dumai_operator, api, path: str) -> None:
    response = api(dumai_operator).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_dumai_operator_gets_404_for_a_siak_account(dumai_operator, siak_village_operator, login) -> None:
    assert login(dumai_operator).get(f"/pengguna/{siak_village_operator.pk}/").status_code == 404


def test_a_refused_write_from_dumai_changes_nothing(dumai_operator, siak_village_operator, login) -> None:
    entries_before = AuditEntry.objects.count()

    response = login(dumai_operator).post(
        f"/pengguna/{siak_village_operator.pk}/",
        {"role": "operator_desa", "regions": "14.72.01.1003", "full_name": "Diambil alih"},
    )

    siak_village_operator.refresh_from_db()
    assert response.status_code == 404
    assert (siak_village_operator.full_name, siak_village_operator.region_codes, siak_village_operator.is_active) != (
        "Diambil alih",
        ("14.72.01.1003",),
        False,
    )
    assert siak_village_operator.region_codes == ("14.08.06.2001",)
    assert AuditEntry.objects.count() == entries_before


def test_the_dumai_operator_sees_only_dumai_under_riau(dumai_operator, login) -> None:
    page = login(dumai_operator).get("/wilayah/14/")

    assert page.status_code == 200
    assert [child.code for child in page.context["children"]] == ["14.72"]


@pytest.mark.parametrize("path", ["/wilayah/14.08/", "/wilayah/14.72/", "/wilayah/14.08.06.2001/"])
def test_the_riau_monitor_sees_both(riau_monitor, login, path: str) -> None:
    assert login(riau_monitor).get(path).status_code == 200


def test_the_riau_monitor_sees_accounts_of_both(riau_monitor, siak_operator, dumai_operator, login) -> None:
    page = login(riau_monitor).get("/pengguna/")

    assert {user.username for user in page.context["page"]} == {"riau", "siak", "dumai"}


def test_the_riau_monitor_changes_nothing(riau_monitor, siak_village_operator, login) -> None:
    client = login(riau_monitor)
    entries_before = AuditEntry.objects.count()

    detail = client.get(f"/pengguna/{siak_village_operator.pk}/")
    refused = client.post(
        f"/pengguna/{siak_village_operator.pk}/", {"role": "operator_desa", "regions": "14.08.06.2002"}
    )
    create = client.get("/pengguna/baru/")

    siak_village_operator.refresh_from_db()
    assert detail.status_code == 200
    assert detail.context["form"] is None
    assert (refused.status_code, create.status_code) == (403, 403)
    assert siak_village_operator.region_codes == ("14.08.06.2001",)
    assert AuditEntry.objects.count() == entries_before


def test_children_counts_only_what_the_user_may_see(siak_operator, login) -> None:
    page = login(siak_operator).get("/wilayah/")

    assert [(c.code, c.child_count) for c in page.context["children"]] == [("14", 1)]


def test_an_admin_sees_every_province(admin_user, login) -> None:
    assert len(login(admin_user).get("/wilayah/").context["children"]) == 38


def test_a_user_without_regions_sees_nothing(db) -> None:
    nobody = User.objects.create(username="tanpa-wilayah", role="pemantau")

    assert scoped(Region.objects.all(), actor=nobody).count() == 0


def test_a_model_without_a_region_path_cannot_be_scoped(admin_user) -> None:
    with pytest.raises(ImproperlyConfigured):
        scoped(AuditEntry.objects.all(), actor=admin_user)  # the log has no region
