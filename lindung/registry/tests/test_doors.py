"""Pages, API and CLI of the registry: every door is region-scoped and says what is wrong."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.conftest import load_regions_if_missing
from lindung.core.models import AuditAction, AuditEntry
from lindung.registry import services
from lindung.registry.models import Agreement, AgreementStatus, ImportBatch, Membership, MembershipVersion, Person
from lindung.registry.tests.factories import DUMAI, agreement, enrol, person_values, sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions():
    """A Siak member (with an agreement and an upload) and a Dumai one."""
    siak, dumai = sponsor(), sponsor("Pemerintah Kota Dumai", region=DUMAI)
    pks = agreement(siak)
    siak_member = enrol(siak, 1)
    dumai_member = enrol(dumai, 2, category="pekerja_rentan", segment="bpu", risk_class="")
    batch = ImportBatch.objects.create(sponsor=siak, file_name="x.csv", stored_path="/nonexistent.csv")
    return {
        "siak": siak,
        "dumai": dumai,
        "pks": pks,
        "siak_member": siak_member,
        "dumai_member": dumai_member,
        "batch": batch,
    }


def test_every_page_of_a_siak_record_is_404_for_dumai_and_200_for_siak(
    two_regions, login, siak_operator, dumai_operator
):
    urls = [
        f"/peserta/{two_regions['siak_member'].person_id}/",
        f"/pemberi-kerja/{two_regions['siak'].pk}/",
        f"/perjanjian/{two_regions['pks'].pk}/",
        f"/impor/{two_regions['batch'].pk}/",
    ]
    assert [login(siak_operator).get(url).status_code for url in urls] == [200, 200, 200, 200]
    assert [login(dumai_operator).get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert login(dumai_operator).post(f"/peserta/{two_regions['siak_member'].person_id}/nik/").status_code == 404


def test_every_endpoint_of_a_siak_record_is_404_for_dumai(two_regions, api, siak_operator, dumai_operator):
    urls = [
        f"/api/v1/persons/{two_regions['siak_member'].person_id}",
        f"/api/v1/memberships/{two_regions['siak_member'].pk}",
        f"/api/v1/sponsors/{two_regions['siak'].pk}",
        f"/api/v1/agreements/{two_regions['pks'].pk}",
        f"/api/v1/imports/{two_regions['batch'].pk}",
    ]
    assert [api(siak_operator).get(url).status_code for url in urls] == [200, 200, 200, 200, 200]
    assert [api(dumai_operator).get(url).status_code for url in urls] == [404, 404, 404, 404, 404]


def test_lists_hold_only_the_users_regions(two_regions, login, api, dumai_operator, riau_monitor):
    names = [p["name"] for p in api(dumai_operator).get("/api/v1/persons").json()["items"]]
    assert names == [two_regions["dumai_member"].person.name]
    assert [s["name"] for s in api(dumai_operator).get("/api/v1/sponsors").json()["items"]] == ["Pemerintah Kota Dumai"]
    assert len(api(riau_monitor).get("/api/v1/sponsors").json()["items"]) == 2
    html = login(dumai_operator).get("/peserta/").content.decode()
    assert two_regions["dumai_member"].person.name in html
    assert two_regions["siak_member"].person.name not in html


def test_a_monitor_never_sees_persons(two_regions, login, api, riau_monitor):
    assert login(riau_monitor).get("/peserta/").status_code == 403
    assert api(riau_monitor).get("/api/v1/persons").status_code == 403
    assert login(riau_monitor).get(f"/pemberi-kerja/{two_regions['siak'].pk}/").status_code == 200


def test_lists_mask_the_nik_and_unmasking_is_audited(two_regions, login, siak_operator):
    person = two_regions["siak_member"].person
    client = login(siak_operator)
    listing = client.get("/peserta/").content.decode()
    assert person.masked_nik in listing
    assert person.nik not in listing
    detail = client.get(f"/peserta/{person.pk}/").content.decode()
    assert person.nik not in detail

    revealed = client.post(f"/peserta/{person.pk}/nik/", HTTP_HX_REQUEST="true").content.decode()

    assert person.nik in revealed
    looks = AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA, object_id=str(person.pk))
    assert [entry.after for entry in looks.order_by("id")] == [
        {"fields": ["birth_date", "name", "phone", "relatives", "sex", "village"]},
        {"fields": ["nik"]},
    ]


def test_enrolment_form_shows_errors_by_field_and_keeps_the_input(two_regions, login, siak_operator):
    values = person_values(5, sex="P") | {"nik": person_values(5)["nik"], "sponsor": str(two_regions["siak"].pk)}
    response = login(siak_operator).post("/peserta/daftar/", values)
    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == [
        "Jenis kelamin tidak cocok dengan NIK: NIK ini milik laki-laki (pada perempuan tanggal lahir ditambah 40)."
    ]
    assert response.context["form"]["name"].value() == "Budi Santoso 5"
    assert Person.objects.count() == 2


def test_api_enrolment_and_a_change_of_wage_as_a_new_version(two_regions, api, siak_operator):
    client = api(siak_operator)
    body = person_values(7) | {"sponsor_id": two_regions["siak"].pk}
    created = client.post("/api/v1/memberships", body, content_type="application/json")
    assert created.status_code == 201
    membership_id = created.json()["id"]

    changed = client.post(
        f"/api/v1/memberships/{membership_id}/versions",
        {"effective_from": "2026-07-01", "changes": {"wage": "3.500.000"}},
        content_type="application/json",
    )

    assert changed.status_code == 201
    versions = MembershipVersion.objects.filter(membership_id=membership_id).order_by("effective_from")
    assert [(v.effective_from, v.effective_to, v.wage) for v in versions] == [
        (date(2026, 1, 1), date(2026, 6, 30), 3_000_000),
        (date(2026, 7, 1), None, 3_500_000),
    ]
    refused = client.post("/api/v1/memberships", body, content_type="application/json")
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in refused.json()["errors"]] == ["nik"]


def test_no_two_overlapping_memberships_with_one_sponsor(two_regions):
    """The service refuses; the set-based check in the writer refuses a row that slips past."""
    from lindung.registry.writer import OverlapError, refuse_overlaps

    member = two_regions["siak_member"]
    Membership.objects.create(
        person=member.person, sponsor=member.sponsor, region_id="14.08", province_code="14", starts_on=date(2026, 6, 1)
    )
    with pytest.raises(OverlapError):
        refuse_overlaps([member.person_id], member.sponsor_id)


@pytest.mark.parametrize(("next_start", "overlaps"), [(date(2025, 12, 31), True), (date(2026, 1, 1), False)])
def test_memberships_that_meet_do_not_overlap_and_one_shared_day_does(two_regions, next_start, overlaps):
    from lindung.registry.writer import OverlapError, refuse_overlaps

    member = two_regions["siak_member"]
    Membership.objects.filter(pk=member.pk).update(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    Membership.objects.create(
        person=member.person, sponsor=member.sponsor, region_id="14.08", province_code="14", starts_on=next_start
    )
    refuse_overlaps([member.person_id], None)  # self-paying memberships are another family: never a clash
    if overlaps:
        with pytest.raises(OverlapError):
            refuse_overlaps([member.person_id], member.sponsor_id)
    else:
        refuse_overlaps([member.person_id], member.sponsor_id)


def test_agreements_renew_with_copied_terms_and_list_those_ending_soon(two_regions, api, siak_operator):
    pks = two_regions["pks"]
    renewal = services.agreement_renew(actor=None, agreement=pks, number="PKS/1/2027")
    assert (renewal.status, renewal.previous_id, renewal.starts_on, renewal.ends_on) == (
        AgreementStatus.DRAFT,
        pks.pk,
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    assert (renewal.programs, renewal.categories, renewal.quota, renewal.budget_ceiling) == (
        pks.programs,
        pks.categories,
        pks.quota,
        pks.budget_ceiling,
    )

    from lindung.registry.selectors import agreement_list

    soon = agreement_list(actor=siak_operator, ending_within=90, today=date(2026, 10, 2))
    assert [a.number for a in soon] == ["PKS/1/2026"]
    assert list(agreement_list(actor=siak_operator, ending_within=90, today=date(2026, 10, 1))) == []
    assert api(siak_operator).get("/api/v1/agreements?ending_within=400").status_code == 422
    assert services.agreements_expire(today=date(2027, 1, 1)) == 1
    assert Agreement.objects.get(pk=pks.pk).status == AgreementStatus.EXPIRED


def test_a_draft_cannot_be_terminated_and_nothing_changes(two_regions):
    draft = agreement(
        two_regions["dumai"], number="PKS/DUMAI/2026", activate=False, segment="bpu", categories=["pekerja_rentan"]
    )
    with pytest.raises(Exception, match="Draf"):
        services.agreement_terminate(actor=None, agreement=draft, ended_on=date(2026, 6, 30))
    assert Agreement.objects.get(pk=draft.pk).status == AgreementStatus.DRAFT


def test_template_download_is_a_workbook_with_the_columns(login, siak_operator):
    response = login(siak_operator).get("/impor/templat.xlsx")
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == ["nik", "nama", "tanggal_lahir", "jenis_kelamin"]
    assert sheet["A2"].number_format == "@"


def test_cli_dry_run_then_import_prints_a_summary(tmp_path, capsys):
    siak = sponsor()
    path = tmp_path / "p.csv"
    values = person_values(9)
    path.write_text(
        "nik,nama,tanggal_lahir,jenis_kelamin,segmen,kategori,upah,kelas_risiko,tanggal_mulai\n"
        f"{values['nik']},{values['name']},{values['birth_date']},L,pu,non_asn,3000000,1,2026-01-01\n"
        f"123,Salah,1990-01-01,L,pu,non_asn,3000000,1,2026-01-01\n"
    )
    call_command("import_members", str(path), "--sponsor", str(siak.pk), "--dry-run")
    assert Person.objects.count() == 0
    call_command("import_members", str(path), "--sponsor", str(siak.pk))
    out = capsys.readouterr().out
    assert "Uji coba, tidak ada yang ditulis. 2 baris: 1 valid, 1 galat" in out
    assert "Selesai. 2 baris: 1 valid, 1 galat, 0 peringatan; 1 orang baru, 1 kepesertaan baru" in out
    assert Person.objects.count() == 1
    assert (tmp_path / "p-galat.xlsx").exists()


def test_cli_unknown_sponsor_is_exit_code_2(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("nik\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_members", str(path), "--sponsor", "999999")
    assert refused.value.returncode == 2


@pytest.mark.django_db(transaction=True)
def test_the_real_database_queue_runs_the_check(tmp_path, settings):
    """With the production backend, the upload is only queued; `db_worker` picks it up and checks it."""
    load_regions_if_missing()  # a transactional test before this one may have emptied the tables
    siak_operator = UserFactory.create(username="siak", role=Role.OPERATOR_PEMDA, regions=["14.08"])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from lindung.registry.batches import import_upload

    siak = sponsor()
    values = person_values(3)
    content = io.BytesIO(
        (
            "nik,nama,tanggal_lahir,jenis_kelamin,segmen,kategori,upah,kelas_risiko,tanggal_mulai\n"
            f"{values['nik']},Ani,{values['birth_date']},L,pu,non_asn,3000000,1,2026-01-01\n"
        ).encode()
    )
    batch = import_upload(actor=siak_operator, sponsor=siak, agreement=None, name="q.csv", content=content)
    assert ImportBatch.objects.get(pk=batch.pk).status == "queued"

    call_command("db_worker", "--batch", "--no-startup-delay")

    checked = ImportBatch.objects.get(pk=batch.pk)
    assert (checked.status, checked.summary["valid"]) == ("checked", 1)
    assert json.loads(json.dumps(checked.summary))["new_persons"] == 1
