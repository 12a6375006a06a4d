"""Lists sort by their columns and download as XLSX, keeping their filters; a made-up sort key
falls back to the list's order (issue 20)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from lindung.registry.tests.factories import agreement, sponsor

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_sponsors():
    first = sponsor("Pemerintah Kabupaten Siak")
    second = sponsor("CV Kandis Makmur", kind="company", npwp="013000666091000")
    third = sponsor("Pemerintah Kampung Dayun", kind="pemdes", region="14.08.06.2001")
    agreement(first, number="PKS/B/2026", quota=300)
    agreement(third, number="PKS/A/2026", quota=20, categories=["perangkat_desa"])
    return first, second, third


def names_in(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_the_sponsor_list_sorts_by_a_column_and_back(login, siak_operator, three_sponsors):
    client = login(siak_operator)
    names = [s.name for s in three_sponsors]
    ascending = client.get("/pemberi-kerja/?urut=name").content.decode()
    descending = client.get("/pemberi-kerja/?urut=-name").content.decode()
    assert names_in(ascending, names) == sorted(names)
    assert names_in(descending, names) == sorted(names, reverse=True)
    assert 'aria-sort="ascending"' in ascending
    assert 'href="?urut=-name"' in ascending  # the heading flips the order
    assert client.get("/pemberi-kerja/?urut=password").status_code == 200  # unknown: the default order


def test_the_sponsor_list_downloads_what_it_shows(login, siak_operator, three_sponsors):
    response = login(siak_operator).get("/pemberi-kerja/", {"kind": "pemda", "unduh": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Nama", "Jenis", "Wilayah", "Peserta aktif")
    assert [row[0] for row in rows[1:]] == ["Pemerintah Kabupaten Siak"]  # the filter holds


def test_agreements_sort_by_quota_and_download(login, siak_operator, three_sponsors):
    client = login(siak_operator)
    page = client.get("/perjanjian/?urut=quota").content.decode()
    assert names_in(page, ["PKS/A/2026", "PKS/B/2026"]) == ["PKS/A/2026", "PKS/B/2026"]
    page = client.get("/perjanjian/?urut=-quota").content.decode()
    assert names_in(page, ["PKS/A/2026", "PKS/B/2026"]) == ["PKS/B/2026", "PKS/A/2026"]
    rows = list(
        load_workbook(BytesIO(client.get("/perjanjian/?urut=-quota&unduh=xlsx").content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert [(row[0], row[5]) for row in rows[1:]] == [("PKS/B/2026", 300), ("PKS/A/2026", 20)]


def test_a_download_is_scoped_like_the_list(login, dumai_operator, three_sponsors):
    rows = list(
        load_workbook(BytesIO(login(dumai_operator).get("/pemberi-kerja/?unduh=xlsx").content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[1:] == []  # Dumai sees none of Siak's sponsors


def test_the_claims_queue_and_overdue_invoices_download(login, admin_user, three_sponsors):
    client = login(admin_user)
    for url in ("/klaim/?unduh=xlsx", "/iuran/tagihan/?unduh=xlsx&urut=-due"):
        response = client.get(url)
        assert response.status_code == 200
        assert load_workbook(BytesIO(response.content)).worksheets[0].max_row >= 1


def test_the_user_list_sorts_and_downloads_within_the_actors_regions(login, siak_operator, dumai_operator):
    client = login(siak_operator)
    page = client.get("/pengguna/?urut=-username").content.decode()
    assert 'aria-sort="descending"' in page
    rows = list(
        load_workbook(BytesIO(client.get("/pengguna/?unduh=xlsx").content)).worksheets[0].iter_rows(values_only=True)
    )
    usernames = [row[0] for row in rows[1:]]
    assert "siak" in usernames
    assert "dumai" not in usernames


def test_the_person_list_downloads_with_masked_niks_and_the_download_is_recorded(login, siak_operator):
    from lindung.core.models import AuditEntry
    from lindung.registry.tests.factories import enrol

    member = enrol(sponsor(), 1)
    response = login(siak_operator).get("/peserta/", {"q": "budi", "unduh": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == member.person.name
    assert rows[1][1] == member.person.masked_nik
    assert member.person.nik not in str(rows)
    entry = AuditEntry.objects.get(action="view_personal_data", object_repr="daftar peserta (XLSX)")
    assert entry.actor_username == "siak"
    assert (entry.after or {})["search"] == "budi"


def test_the_unmatched_queue_pages_sorts_by_amount_and_downloads(login, admin_user):
    from datetime import date

    from lindung.contributions.models import Payment, PaymentSource

    for amount in (300, 100, 200):
        Payment.objects.create(
            region_id="14.08",
            paid_on=date(2026, 4, 1),
            amount=amount,
            source=PaymentSource.BANK,
            reference=f"R{amount}",
        )
    client = login(admin_user)
    page = client.get("/iuran/pembayaran/?urut=-amount").content.decode()
    assert names_in(page, ["R100", "R200", "R300"]) == ["R300", "R200", "R100"]
    rows = list(
        load_workbook(BytesIO(client.get("/iuran/pembayaran/?urut=amount&unduh=xlsx").content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert [row[1] for row in rows[1:]] == [100, 200, 300]
