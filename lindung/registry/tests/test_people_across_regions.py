"""One person, many regions: what an operator of another region learns or changes through her NIK.

The attack of issue 16: Dumai's operator uploads a file (and posts one enrolment) with the NIK of
a person Siak registered, hoping to read her name and her sponsors and to overwrite her contact data.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.core.models import AuditEntry
from lindung.regions.models import Region
from lindung.registry.batches import import_confirm, import_upload
from lindung.registry.models import ImportBatch, ImportStatus, Membership, Person
from lindung.registry.tests.factories import DAYUN_VILLAGE, DUMAI, enrol, person_values, sponsor

pytestmark = pytest.mark.django_db
SIAK_NAME, SIAK_SPONSOR = "Budi Santoso 1", "Pemerintah Kampung Dayun"


@pytest.fixture
def siak_person():
    """A Siak village's worker, living in Kampung Dayun, with the phone Siak registered."""
    village = sponsor(SIAK_SPONSOR, kind="pemdes", region=DAYUN_VILLAGE)
    membership = enrol(village, 1, phone="081211112222", category="perangkat_desa")
    return membership.person


def _dumai_village() -> str:
    return Region.objects.filter(regency_code=DUMAI, level=4).values_list("code", flat=True)[0]


def _file(values: dict[str, object], *, name: str, phone: str, village: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nik", "nama", "tanggal_lahir", "jenis_kelamin", "segmen", "kategori", "upah",
                     "kelas_risiko", "tanggal_mulai", "telepon", "desa_domisili"])  # fmt: skip
    writer.writerow([values["nik"], name, values["birth_date"], "L", "pu", "non_asn", "3000000", "1",
                     "2026-01-01", phone, village])  # fmt: skip
    return out.getvalue().encode()


def _person_state(person: Person) -> tuple[str, str | None, str]:
    person.refresh_from_db()
    return person.phone, person.village_id, person.name


def test_an_upload_by_another_region_tells_only_that_the_nik_is_registered_and_changes_nothing_of_her(
    siak_person, dumai_operator, api, django_capture_on_commit_callbacks
):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)
    before = _person_state(siak_person)
    person_audits = AuditEntry.objects.filter(object_type="registry.person").count()
    content = _file(person_values(1), name="Nama Palsu", phone="089999999999", village=_dumai_village())

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = api(dumai_operator).post(
            "/api/v1/imports", {"sponsor_id": dumai.pk, "file": SimpleUploadedFile("x.csv", content)}
        )
    assert uploaded.status_code == 202
    checked = api(dumai_operator).get(f"/api/v1/imports/{uploaded.json()['id']}").json()

    told = " ".join(error["message"] for error in checked["errors"])
    assert checked["status"] == ImportStatus.CHECKED
    assert "NIK ini sudah terdaftar" in told
    assert "Nomor HP dan alamat tidak diubah" in told
    assert SIAK_NAME.upper() not in told.upper()
    assert SIAK_SPONSOR not in told

    with django_capture_on_commit_callbacks(execute=True):
        assert api(dumai_operator).post(f"/api/v1/imports/{checked['id']}/confirm").status_code == 202
    assert ImportBatch.objects.get(pk=checked["id"]).status == ImportStatus.DONE
    assert _person_state(siak_person) == before
    assert AuditEntry.objects.filter(object_type="registry.person").count() == person_audits


def test_an_enrolment_by_nik_from_another_region_keeps_her_data_and_shows_only_its_own_membership(
    siak_person, dumai_operator, api
):
    dumai = sponsor("Pemerintah Kota Dumai", region=DUMAI)
    before = _person_state(siak_person)
    body = person_values(1) | {"sponsor_id": dumai.pk, "phone": "089999999999", "village": _dumai_village()}

    created = api(dumai_operator).post("/api/v1/memberships", body, content_type="application/json")

    assert created.status_code == 201
    assert _person_state(siak_person) == before
    seen = api(dumai_operator).get(f"/api/v1/persons/{siak_person.pk}").json()
    assert [m["sponsor_id"] for m in seen["memberships"]] == [dumai.pk]
    timeline = api(dumai_operator).get(f"/api/v1/persons/{siak_person.pk}/coverage/timeline").json()
    assert [line["membership_id"] for line in timeline] == [created.json()["id"]]
    coverage = api(dumai_operator).get(f"/api/v1/persons/{siak_person.pk}/coverage?date=2026-02-10").json()
    assert coverage["membership_id"] in (None, created.json()["id"])
    assert Membership.objects.filter(person=siak_person).count() == 2


def test_her_own_region_changes_her_contact_data_and_the_change_is_audited_with_before_and_after(
    tmp_path, siak_person, siak_operator, django_capture_on_commit_callbacks
):
    siak = sponsor()
    content = _file(person_values(1), name=SIAK_NAME, phone="081377778888", village=siak_person.village_id)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_upload(
            actor=siak_operator,
            sponsor=siak,
            agreement=None,
            name="y.csv",
            content=SimpleUploadedFile("y.csv", content),
        )
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(actor=siak_operator, batch=batch)

    assert _person_state(siak_person)[0] == "+6281377778888"
    entry = AuditEntry.objects.get(object_type="registry.person", object_id=str(siak_person.pk), action="update")
    assert entry.actor_username == "siak"
    assert (entry.before or {})["phone"] == "+6281211112222"
    assert (entry.after or {})["phone"] == "+6281377778888"
    actions = list(
        AuditEntry.objects.filter(object_type="registry.importbatch", object_id=str(batch.pk))
        .order_by("id")
        .values_list("action", "actor_username")
    )
    assert actions == [("create", "siak"), ("update", "siak"), ("load", "siak")]


def test_the_confirmer_not_the_uploader_is_the_actor_of_the_write(
    siak_person, siak_operator, django_capture_on_commit_callbacks
):
    from lindung.accounts.roles import Role
    from lindung.accounts.tests.factories import UserFactory

    branch = UserFactory.create(username="cabang", role=Role.PETUGAS_CABANG, regions=["14"])
    siak = sponsor()
    content = _file(person_values(2), name="Budi Santoso 2", phone="", village="")
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_upload(
            actor=siak_operator,
            sponsor=siak,
            agreement=None,
            name="z.csv",
            content=SimpleUploadedFile("z.csv", content),
        )
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(actor=branch, batch=batch)

    load = AuditEntry.objects.get(object_type="registry.importbatch", object_id=str(batch.pk), action="load")
    assert load.actor_username == "cabang"
    assert ImportBatch.objects.get(pk=batch.pk).confirmed_by == branch
