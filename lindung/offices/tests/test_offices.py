"""Offices and their dated service areas: moves, users who follow their office, the read-only Kanwil,
the office file (import twice changes nothing; one bad row changes nothing), pages and CLI."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from lindung.accounts import services as account_services
from lindung.accounts.models import User
from lindung.accounts.roles import Capability, Role
from lindung.accounts.tests.factories import UserFactory
from lindung.core.models import AuditEntry
from lindung.offices import imports, selectors, services
from lindung.offices.models import Office, ServiceArea
from lindung.offices.tests.factories import riau_offices

pytestmark = pytest.mark.django_db

MOVE = date(2026, 7, 1)


def office_code_on(region_code: str, day: date) -> str | None:
    office = selectors.serving_office(region_code, day)
    return office.code if office else None


def test_a_move_closes_the_old_office_the_day_the_new_one_starts():
    riau = riau_offices(siak_moves_on=MOVE)

    assert selectors.serving_office("14.08", date(2026, 6, 30)) == riau.kcp_siak
    assert selectors.serving_office("14.08", MOVE) == riau.siak
    # A village, a kecamatan: their kabupaten's office; a province: its Kanwil.
    assert selectors.serving_office("14.08.05.2001", date(2026, 1, 1)) == riau.kcp_siak
    assert selectors.serving_office("14", MOVE) == riau.kanwil
    rows = list(
        ServiceArea.objects.filter(region_id="14.08").order_by("valid_from").values_list("office__code", "valid_to")
    )
    assert rows == [("kcp-siak", MOVE), ("kc-siak", None)]
    # The branch answers for its KCP: Pekanbaru served Siak until the move, not after.
    assert riau.pekanbaru.area_codes(date(2026, 6, 30)) == ("14.08", "14.71")
    assert riau.pekanbaru.area_codes(MOVE) == ("14.71",)
    assert riau.siak.area_codes(MOVE) == ("14.08",)


def test_moving_back_between_two_dates_keeps_the_later_move():
    riau = riau_offices(siak_moves_on=MOVE)

    services.area_assign(actor=None, office=riau.dumai, region_code="14.08", valid_from=date(2026, 3, 1))

    rows = list(
        ServiceArea.objects.filter(region_id="14.08")
        .order_by("valid_from")
        .values_list("office__code", "valid_from", "valid_to")
    )
    assert rows == [
        ("kcp-siak", date(2014, 1, 1), date(2026, 3, 1)),
        ("kc-dumai", date(2026, 3, 1), MOVE),
        ("kc-siak", MOVE, None),
    ]
    assert services.area_assign(actor=None, office=riau.dumai, region_code="14.08", valid_from=date(2026, 4, 1)) is None


def test_an_office_serves_only_regions_of_its_level():
    riau = riau_offices()
    with pytest.raises(ValidationError) as branch_error:
        services.area_assign(actor=None, office=riau.siak, region_code="14", valid_from=MOVE)
    assert "region" in branch_error.value.message_dict
    with pytest.raises(ValidationError):
        services.area_assign(actor=None, office=riau.kanwil, region_code="14.08", valid_from=MOVE)
    with pytest.raises(ValidationError) as parent_error:
        services.office_save(actor=None, code="kcp-x", kind="kcp", name="KCP X", parent=riau.kanwil)
    assert "parent" in parent_error.value.message_dict


def test_only_an_administrator_changes_offices_and_every_change_is_audited(admin_user):
    riau = riau_offices()
    officer = UserFactory.create(username="petugas", role=Role.PETUGAS_CABANG, regions=["14"])
    with pytest.raises(PermissionDenied):
        services.area_assign(actor=officer, office=riau.dumai, region_code="14.08", valid_from=MOVE)
    before = AuditEntry.objects.count()

    services.office_save(
        actor=admin_user,
        code="kc-dumai",
        kind="cabang",
        parent=riau.kanwil,
        name="Kantor Cabang Dumai",
        head_name="Sri",
    )
    services.area_assign(actor=admin_user, office=riau.dumai, region_code="14.07", valid_from=MOVE)

    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.object_type, e.action) for e in entries] == [
        ("offices.office", "update"),
        ("offices.servicearea", "create"),
    ]
    assert (entries[0].before or {})["head_name"] == ""
    assert (entries[0].after or {})["head_name"] == "Sri"
    assert entries[0].actor_username == "admin"


def test_a_branch_officer_sees_exactly_the_branch_area_and_follows_a_move(admin_user):
    riau = riau_offices(siak_moves_on=MOVE)
    officer, _password = account_services.user_create(
        actor=admin_user, username="petugas-pku", role=Role.PETUGAS_CABANG, region_codes=[], office=riau.pekanbaru
    )
    assert not officer.region_assignments.exists()  # nothing typed by hand

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a: date(2026, 6, 30))
        assert User.objects.get(pk=officer.pk).region_codes == ("14.08", "14.71")
        patch.setattr("django.utils.timezone.localdate", lambda *a: MOVE)
        assert User.objects.get(pk=officer.pk).region_codes == ("14.71",)
    # Hand-entered regions are refused for a branch officer, and one without an office too.
    with pytest.raises(ValidationError) as typed:
        account_services.user_create(
            actor=admin_user, username="x1", role=Role.PETUGAS_CABANG, region_codes=["14"], office=riau.siak
        )
    assert "regions" in typed.value.message_dict
    with pytest.raises(ValidationError) as missing:
        account_services.user_create(actor=admin_user, username="x2", role=Role.PETUGAS_CABANG, region_codes=["14"])
    assert "office" in missing.value.message_dict


def test_a_kanwil_user_sees_all_its_provinces_and_can_write_nothing(admin_user):
    riau = riau_offices()
    staff, _password = account_services.user_create(
        actor=admin_user, username="kanwil", role=Role.PETUGAS_CABANG, region_codes=[], office=riau.kanwil
    )
    staff = User.objects.get(pk=staff.pk)

    assert staff.region_codes == ("13", "14")
    assert staff.read_only
    readable = {c for c in Capability if staff.can(c)}
    assert readable == {
        Capability.VIEW_REGIONS,
        Capability.VIEW_USERS,
        Capability.VIEW_SPONSORS,
        Capability.VIEW_CONTRIBUTIONS,
        Capability.VIEW_CLAIMS,
        Capability.VIEW_MONITORING,
    }
    # A government operator belongs to no office.
    with pytest.raises(ValidationError) as refused:
        account_services.user_create(
            actor=admin_user, username="x3", role=Role.OPERATOR_PEMDA, region_codes=[], office=riau.siak
        )
    assert "office" in refused.value.message_dict


def test_the_kanwil_user_is_refused_every_write_page(admin_user, client):
    riau = riau_offices()
    staff, _password = account_services.user_create(
        actor=admin_user, username="kanwil", role=Role.PETUGAS_CABANG, region_codes=[], office=riau.kanwil
    )
    client.force_login(staff)
    assert client.get("/pantau/14/").status_code == 200
    assert client.get("/pantau/13/").status_code == 200
    assert client.get("/pantau/15/").status_code == 404
    for url in ("/iuran/pembayaran/", "/unggah/", "/klaim/baru/", "/sasaran/"):
        assert client.get(url).status_code in (403, 404), url
    assert client.post("/kantor/kc-siak/wilayah/", {"region": "14.72", "valid_from": "2026-08-01"}).status_code == 403


SAMPLE = """kode_kantor;jenis;nama_kantor;kode_induk;alamat;kepala;kode_wilayah;berlaku_mulai
kw-a;kanwil;Kanwil A;;Jl. A;Ani;14;2014-01-01
kc-b;cabang;Cabang B;kw-a;Jl. B;;14.08;2014-01-01
kc-b;;;;;;14.72;2014-01-01
kc-c;cabang;Cabang C;kw-a;;;14.08;2026-07-01
"""


def write(tmp_path: Path, text: str, name: str = "kantor.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_office_file_loads_once_and_a_second_import_changes_nothing(tmp_path):
    path = write(tmp_path, SAMPLE)

    first = imports.offices_import(actor=None, path=path)
    audit_after_first = AuditEntry.objects.count()
    second = imports.offices_import(actor=None, path=path)

    assert (first.offices_created, first.areas_changed) == (3, 4)
    assert (second.offices_created, second.offices_changed, second.areas_changed) == (0, 0, 0)
    assert AuditEntry.objects.count() == audit_after_first
    assert office_code_on("14.08", date(2026, 6, 30)) == "kc-b"
    assert office_code_on("14.08", date(2026, 7, 1)) == "kc-c"
    assert Office.objects.get(code="kw-a").head_name == "Ani"
    # Exported and imported back: still nothing changes.
    exported = tmp_path / "kantor.xlsx"
    exported.write_bytes(imports.offices_workbook())
    again = imports.offices_import(actor=None, path=exported)
    assert (again.offices_created, again.offices_changed, again.areas_changed) == (0, 0, 0)


@pytest.mark.parametrize(
    ("bad_line", "said"),
    [
        ("kc-d;cabang;Cabang D;kw-zz;;;14.05;2014-01-01", "kw-zz"),
        ("kc-d;cabang;Cabang D;kw-a;;;99.99;2014-01-01", "99.99"),
        ("kc-d;cabang;Cabang D;kw-a;;;14.05;kemarin", "berlaku_mulai"),
        ("kc-d;gudang;Cabang D;kw-a;;;14.05;2014-01-01", "jenis"),
        ("kc-b;cabang;Cabang Lain;kw-a;;;14.05;2014-01-01", "nama_kantor"),
        ("kc-d;cabang;Cabang D;kw-a;;;14;2014-01-01", "Riau bukan"),
    ],
)
def test_one_bad_row_names_itself_and_changes_nothing(tmp_path, bad_line, said):
    path = write(tmp_path, SAMPLE + bad_line + "\n")
    with pytest.raises(ValidationError) as refused:
        imports.offices_import(actor=None, path=path)
    text = " ".join(refused.value.messages)
    assert "Baris 6" in text, text
    assert said in text, text
    assert Office.objects.count() == 0
    assert ServiceArea.objects.count() == 0


def test_the_shipped_office_file_covers_every_kabupaten_of_riau_and_sumbagsel(capsys):
    call_command("offices", "import", "--default")
    out = capsys.readouterr().out
    assert "kantor baru" in out
    from lindung.regions.models import Region

    on = date(2026, 12, 1)
    for province in ("14", "15", "16", "17", "18", "19"):
        for regency in Region.objects.filter(parent_id=province).values_list("code", flat=True):
            office = selectors.serving_office(regency, on)
            assert office is not None, regency
            assert office.kind != "kanwil", regency
    assert office_code_on("14.08", date(2025, 12, 31)) == "kcp-siak"
    assert office_code_on("14.08", date(2026, 1, 1)) == "kc-siak"
    assert office_code_on("16", on) == "kanwil-sumbagsel"


def test_cli_move_list_export_and_bad_input(tmp_path, capsys):
    riau_offices()
    call_command("offices", "move", "14.07", "kc-dumai", "2026-08-01")
    assert "melayani 14.07 mulai 01-08-2026" in capsys.readouterr().out
    call_command("offices", "list")
    assert "kc-dumai" in capsys.readouterr().out
    call_command("offices", "export", str(tmp_path / "k.xlsx"))
    assert (tmp_path / "k.xlsx").stat().st_size > 0
    with pytest.raises(CommandError) as unknown:
        call_command("offices", "move", "14.07", "kc-tidak-ada", "2026-08-01")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as wrong_level:
        call_command("offices", "move", "14", "kc-dumai", "2026-08-01")
    assert wrong_level.value.returncode == 2
    bad = write(tmp_path, SAMPLE + "kc-d;cabang;Cabang D;kw-zz;;;14.05;2014-01-01\n")
    with pytest.raises(CommandError) as refused:
        call_command("offices", "import", str(bad), stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert "Baris 6" in str(refused.value)


def test_pages_list_detail_edit_and_a_confirmed_move(admin_user, client):
    riau_offices()
    client.force_login(admin_user)
    listing = client.get("/kantor/").content.decode()
    assert "Kantor Wilayah Sumbar Riau" in listing
    assert "Kantor Cabang Perintis Siak" in listing
    detail = client.get("/kantor/kc-siak/").content.decode()
    assert "Rahmat Hidayat" in detail
    assert "1234567890" in detail

    checked = client.post("/kantor/kc-dumai/wilayah/", {"region": "14.07", "valid_from": "2026-08-01"})
    assert "area-confirm" in checked.content.decode()
    assert not ServiceArea.objects.filter(region_id="14.07").exists()  # nothing before confirmation
    client.post("/kantor/kc-dumai/wilayah/", {"region": "14.07", "valid_from": "2026-08-01", "confirm": "1"})
    assert ServiceArea.objects.get(region_id="14.07").office.code == "kc-dumai"

    edited = client.post(
        "/kantor/kc-dumai/ubah/", {"name": "Kantor Cabang Dumai", "head_name": "Sri Wahyuni", "active": "on"}
    )
    assert edited.status_code == 302
    assert Office.objects.get(code="kc-dumai").head_name == "Sri Wahyuni"
    refused = client.post("/kantor/kc-dumai/ubah/", {"name": "", "active": "on"})
    assert refused.status_code == 200
    assert "kc-dumai" in refused.content.decode()


def test_the_user_page_gives_an_officer_an_office_instead_of_regions(admin_user, client):
    riau_offices()
    client.force_login(admin_user)
    form = client.get("/pengguna/baru/").content.decode()
    assert 'name="office"' in form
    assert "kc-siak" in form

    client.post(
        "/pengguna/baru/",
        {
            "username": "petugas-siak",
            "role": Role.PETUGAS_CABANG,
            "office": "kc-siak",
            "password": "Kata-sandi-panjang-2026",
        },
    )
    officer = User.objects.get(username="petugas-siak")
    assert officer.office is not None
    assert officer.office.code == "kc-siak"
    refused = client.post("/pengguna/baru/", {"username": "tanpa-kantor", "role": Role.PETUGAS_CABANG, "regions": "14"})
    assert "Petugas cabang bekerja di sebuah kantor" in refused.content.decode()
    assert not User.objects.filter(username="tanpa-kantor").exists()


def test_the_offices_a_user_oversees_are_found_in_two_queries(django_assert_max_num_queries, siak_operator):
    riau = riau_offices(siak_moves_on=MOVE)
    riau_reader = UserFactory.create(username="pemantau-riau", role=Role.PEMANTAU, regions=["14"])
    day = date(2026, 6, 30)  # Siak still with the Pekanbaru KCP
    for user in (riau_reader, siak_operator):
        with django_assert_max_num_queries(3):
            found = selectors.offices_overseen(user, day)
        assert found == [o for o in selectors.office_list() if selectors.may_oversee(user, o, day)]
    assert [o.code for o in selectors.offices_overseen(siak_operator, day)] == ["kcp-siak"]
    assert [o.code for o in selectors.offices_overseen(siak_operator, MOVE)] == ["kc-siak"]
    # The Kanwil also serves Sumatera Barat (13): a reader of Riau alone does not oversee it.
    assert riau.kanwil not in selectors.offices_overseen(riau_reader, day)
