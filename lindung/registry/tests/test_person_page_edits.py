"""From the person's page: correct her name, phone and address; change or end a membership. Through
the services, audited, and only by the region that keeps her (issue 20)."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.core.models import AuditEntry
from lindung.registry.models import Membership, Person
from lindung.registry.tests.factories import DUMAI, enrol, sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    """A worker living in Kampung Dayun (Siak), enrolled by Pemkab Siak."""
    return enrol(sponsor(), 1, village="14.08.06.2001", phone="081234567890")


def test_the_region_that_keeps_her_corrects_her_name_phone_and_address(login, siak_operator, member):
    client = login(siak_operator)
    page = client.get(f"/peserta/{member.person_id}/").content.decode()
    assert f"/peserta/{member.person_id}/ubah/" in page
    response = client.post(
        f"/peserta/{member.person_id}/ubah/",
        {"name": "Budi  Santoso Putra", "phone": "0812 9999 0000", "village": "Banjar Seminai (14.08.06.2002)"},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=member.person_id)
    assert (person.name, person.phone, person.village_id) == ("Budi Santoso Putra", "+6281299990000", "14.08.06.2002")
    entry = AuditEntry.objects.filter(object_type="registry.person", object_id=str(person.pk), action="update").get()
    assert (entry.before or {})["village_id"] == "14.08.06.2001"
    assert (entry.after or {})["village_id"] == "14.08.06.2002"


def test_a_bad_phone_or_unknown_village_is_refused_naming_the_field(login, siak_operator, member):
    client = login(siak_operator)
    page = client.post(
        f"/peserta/{member.person_id}/ubah/", {"name": "Budi", "phone": "12", "village": "14.08.06.9999"}
    ).content.decode()
    assert "Nomor telepon tidak sah: 12." in page
    assert "14.08.06.9999" in page
    assert Person.objects.get(pk=member.person_id).phone == "+6281234567890"


def test_another_region_where_she_also_works_cannot_change_her(login, dumai_operator, member):
    dumai_job = enrol(sponsor("PT Pelabuhan Dumai", kind="company", region=DUMAI, npwp="013000666091000"), 1)
    assert dumai_job.person_id == member.person_id  # one person, two regions
    client = login(dumai_operator)
    page = client.get(f"/peserta/{member.person_id}/").content.decode()
    assert f"/peserta/{member.person_id}/ubah/" not in page
    assert client.get(f"/peserta/{member.person_id}/ubah/").status_code == 403
    refused = client.post(f"/peserta/{member.person_id}/ubah/", {"name": "X", "phone": "", "village": ""})
    assert refused.status_code == 403
    assert Person.objects.get(pk=member.person_id).name == member.person.name
    # ... nor end the Siak membership, which it does not see
    ended = client.post(
        f"/peserta/{member.person_id}/kepesertaan/{member.pk}/akhiri/", {f"akhiri-{member.pk}-ends_on": "2026-06-30"}
    )
    assert ended.status_code == 404
    assert Membership.objects.get(pk=member.pk).ends_on is None


def test_a_membership_is_ended_and_changed_from_the_persons_page(login, siak_operator, member):
    client = login(siak_operator)
    changed = client.post(
        f"/peserta/{member.person_id}/kepesertaan/{member.pk}/ubah/",
        {f"ubah-{member.pk}-effective_from": "2026-05-01", f"ubah-{member.pk}-wage": "3.500.000"},
    )
    assert changed.status_code == 302
    assert member.versions.get(effective_to__isnull=True).wage == 3_500_000
    ended = client.post(
        f"/peserta/{member.person_id}/kepesertaan/{member.pk}/akhiri/", {f"akhiri-{member.pk}-ends_on": "2026-06-30"}
    )
    assert ended.status_code == 302
    assert Membership.objects.get(pk=member.pk).ends_on == date(2026, 6, 30)
    page = client.get(f"/peserta/{member.person_id}/").content.decode()
    assert "30-06-2026" in page
    assert AuditEntry.objects.filter(object_type="registry.membership", object_id=str(member.pk)).count() >= 3


def test_an_end_before_the_start_is_refused_with_the_reason(login, siak_operator, member):
    client = login(siak_operator)
    response = client.post(
        f"/peserta/{member.person_id}/kepesertaan/{member.pk}/akhiri/",
        {f"akhiri-{member.pk}-ends_on": "2020-01-01"},
        follow=True,
    )
    assert "Sebelum tanggal mulai" in response.content.decode()
    assert Membership.objects.get(pk=member.pk).ends_on is None


def test_the_village_picker_offers_villages_by_name_in_scope(login, siak_operator):
    client = login(siak_operator)
    options = client.get("/wilayah/pilihan/", {"field": "village", "village": "seminai", "tingkat": "4"}).content
    assert b'value="Banjar Seminai (14.08.06.2002)"' in options
    outside = client.get("/wilayah/pilihan/", {"field": "village", "village": "purnama", "tingkat": "4"}).content
    assert b"14.72" not in outside  # Dumai's villages are not offered to Siak


def test_the_edit_form_offers_the_village_picker(login, siak_operator, member):
    page = login(siak_operator).get(f"/peserta/{member.person_id}/ubah/").content.decode()
    assert 'list="id_village-options"' in page
    assert '<datalist id="id_village-options">' in page
    assert "/wilayah/pilihan/?field=village&amp;tingkat=4" in page
