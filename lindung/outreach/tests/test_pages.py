"""Target list pages (issue 22): scoped to the uploader's regions, NIK masked on every page, full
NIKs only in the download, which is audited; deletion on request removes every entry."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from lindung.core.models import AuditAction, AuditEntry
from lindung.outreach.models import TargetEntry, TargetList
from lindung.outreach.tests.helpers import upload, write_list
from lindung.registry.nik import make_nik

pytestmark = pytest.mark.django_db

BORN = date(1988, 3, 4)


def small_list(tmp_path, name="dtks.xlsx"):
    rows = [
        [make_nik("14.08.06", BORN, "L", serial), f"14080601010000{serial:02d}", f"Warga {serial}",
         BORN.strftime("%d-%m-%Y"), "L", "14.08.06.2001", "", "", 1, "Miskin", "Bekerja", "Petani"]
        for serial in range(1, 6)
    ]  # fmt: skip
    return write_list(tmp_path / name, rows)


def test_a_dumai_operator_can_neither_see_nor_match_nor_upload_for_siak(tmp_path, siak_operator, dumai_operator, login):
    siak_list, _created = upload(siak_operator, small_list(tmp_path))
    dumai = login(dumai_operator)

    assert siak_list.name not in dumai.get("/sasaran/").content.decode()
    assert dumai.get(f"/sasaran/{siak_list.pk}/").status_code == 404
    assert dumai.get(f"/sasaran/{siak_list.pk}/entri/").status_code == 404
    assert dumai.get(f"/sasaran/{siak_list.pk}/unduh/").status_code == 404
    assert dumai.post(f"/sasaran/{siak_list.pk}/cocokkan/").status_code == 404
    assert dumai.post(f"/sasaran/{siak_list.pk}/hapus/").status_code == 404
    with pytest.raises(PermissionDenied):
        upload(dumai_operator, small_list(tmp_path, "lagi.xlsx"))
    assert TargetList.objects.count() == 1


def test_pages_mask_the_nik_and_the_download_is_audited(tmp_path, siak_operator, login):
    target_list, _created = upload(siak_operator, small_list(tmp_path))
    siak = login(siak_operator)
    nik = TargetEntry.objects.filter(target_list=target_list).earliest("source_row").nik

    detail = siak.get(f"/sasaran/{target_list.pk}/").content.decode()
    assert "Belum terdaftar" in detail
    entries = siak.get(f"/sasaran/{target_list.pk}/entri/?kelas=belum_terdaftar").content.decode()
    assert f"{nik[:4]}********{nik[-4:]}" in entries
    assert nik not in entries
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).exists()

    response = siak.get(f"/sasaran/{target_list.pk}/unduh/?kelas=belum_terdaftar")
    assert response.status_code == 200
    path = tmp_path / "unduhan.xlsx"
    path.write_bytes(response.content)
    sheet = load_workbook(path).worksheets[0]
    niks = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(niks) == 5
    assert nik in niks
    viewed = AuditEntry.objects.get(action=AuditAction.VIEW_PERSONAL_DATA)
    assert (viewed.actor_id, viewed.object_id) == (siak_operator.pk, str(target_list.pk))


def test_a_monitor_without_the_capability_is_refused(tmp_path, siak_operator, riau_monitor, login):
    target_list, _created = upload(siak_operator, small_list(tmp_path))
    monitor = login(riau_monitor)
    assert monitor.get("/sasaran/").status_code == 403
    assert monitor.get(f"/sasaran/{target_list.pk}/").status_code == 403


def test_delete_on_request_removes_the_list_and_its_entries_and_is_audited(tmp_path, siak_operator, login):
    target_list, _created = upload(siak_operator, small_list(tmp_path))
    assert TargetEntry.objects.count() == 5
    response = login(siak_operator).post(f"/sasaran/{target_list.pk}/hapus/")
    assert response.status_code == 302
    assert not TargetList.objects.exists()
    assert not TargetEntry.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(target_list.pk)).exists()


def test_lists_past_their_retention_are_purged(tmp_path, siak_operator, settings):
    from lindung.outreach.services import target_lists_purge

    target_list, _created = upload(siak_operator, small_list(tmp_path))
    assert target_lists_purge(today=target_list.delete_after) == 0
    assert target_lists_purge(today=date.fromordinal(target_list.delete_after.toordinal() + 1)) == 1
    assert not TargetEntry.objects.exists()


def test_uploading_through_the_page(tmp_path, siak_operator, login, django_capture_on_commit_callbacks):
    path = small_list(tmp_path)
    client = login(siak_operator)
    with path.open("rb") as file, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sasaran/",
            {"file": file, "region": "14.08", "source": "dtks", "source_date": "2026-06-30", "name": "DTKS Siak"},
        )
    target_list = TargetList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sasaran/{target_list.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "DTKS Siak" in page
    assert 'id="to-protect"' in page

    refused = client.post("/sasaran/", {"region": "14.08", "source": "dtks", "source_date": "2999-01-01"})
    assert refused.status_code == 200
    assert TargetList.objects.count() == 1


def test_matching_again_from_the_page_runs_in_the_background_and_keeps_the_figures(
    tmp_path, siak_operator, login, django_capture_on_commit_callbacks
):
    target_list, _created = upload(siak_operator, small_list(tmp_path))
    assert target_list.summary["figures"]["classes"]["belum_terdaftar"] == [5, 5]
    # The page reads the kept figures: entries changed behind its back do not show until matched again.
    TargetEntry.objects.filter(target_list=target_list).update(outcome="terdaftar")
    client = login(siak_operator)
    page = client.get(f"/sasaran/{target_list.pk}/").content.decode()
    assert 'data-class="belum_terdaftar"><th scope="row">Belum terdaftar</th><td class="number">5<' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sasaran/{target_list.pk}/cocokkan/")
    assert response.status_code == 302
    target_list.refresh_from_db()
    assert target_list.status == "selesai"
    assert target_list.summary["figures"]["classes"]["belum_terdaftar"] == [5, 5]
    assert len(target_list.summary["history"]) == 1  # one point per day
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(target_list.pk)).exists()
