"""The agency's own figures: uploads with history, bad rows reported, region scoping, and totals at
every level that count each worker once (a region's own figure, else its children's)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.core.models import AuditEntry
from lindung.monitoring.agency import COLUMNS, agency_import, agency_totals
from lindung.monitoring.models import AgencyFigure, AgencyUpload
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
APRIL = Period(2021, 4)
# Kabupaten Siak's own figure (news of April 2021), and Kota Dumai counted only by two kecamatan.
SIAK_ROWS = [
    ["14.08", "2021-04", "PU", "", "", "180000", "150000", "12", "350000000", "40", "1680000000"],
    ["14.08", "2021-04", "BPU", "", "", "66879", "50000", "", "", "", ""],
    # Kecamatan Dayun's own figure: the kabupaten figure above already holds it.
    ["14.08.06", "2021-04", "PU", "", "", "9000", "8000", "", "", "", ""],
]
DUMAI_ROWS = [
    ["14.72.01", "2021-04", "PU", "", "", "20000", "18000", "", "", "3", "126000000"],
    ["14.72.02", "2021-04", "PU", "", "L", "15000", "12000", "", "", "", ""],
    ["14.72.02", "2021-04", "PU", "", "P", "5000", "4000", "", "", "", ""],
]


@pytest.fixture
def branch():
    return UserFactory(username="cabang-riau", role=Role.PETUGAS_CABANG, regions=["14"])


def write(path: Path, rows: list[list[str]], header: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header[: max(len(row) for row in rows)] if rows else header)
        writer.writerows(rows)
    return path


def test_totals_count_a_regions_own_figure_else_its_childrens_at_every_level(branch, tmp_path):
    result = agency_import(
        actor=branch, path=write(tmp_path / "a.csv", SIAK_ROWS + DUMAI_ROWS), source="BPJSTK Riau, April 2021"
    )
    assert (result.figures, result.problems) == (6, [])

    totals = agency_totals(["14.08.06", "14.08", "14.72", "14", ""], APRIL)

    assert (totals["14.08.06"].registered, totals["14.08.06"].active) == (9_000, 8_000)
    # Siak: its own figure (PU + BPU), not its kecamatan's on top: 246,879 registered.
    assert (totals["14.08"].registered, totals["14.08"].active) == (246_879, 200_000)
    assert (totals["14.08"].claims, totals["14.08"].claims_paid) == (52, 2_030_000_000)
    # Dumai: no own figure, so its kecamatan's (one by sex only): 20,000 + 15,000 + 5,000.
    assert (totals["14.72"].registered, totals["14.72"].active) == (40_000, 34_000)
    # Riau and the nation: the kabupaten level, each kabupaten once.
    assert totals["14"].registered == totals[""].registered == 246_879 + 40_000
    assert totals["14"].source == "BPJSTK Riau, April 2021"
    # A month without figures has none: the page says so instead of showing a percentage.
    assert agency_totals(["14.08"], Period(2021, 5)) == {}


def test_a_later_upload_replaces_the_month_and_keeps_the_history(branch, tmp_path):
    agency_import(actor=branch, path=write(tmp_path / "a.csv", SIAK_ROWS), source="Cabang Siak, Mei 2021")
    corrected = [["14.08", "2021-04", "PU", "", "", "181000", "151000"]]
    second = agency_import(actor=branch, path=write(tmp_path / "b.csv", corrected), source="Cabang Siak, revisi")

    assert second.replaced == 1
    assert agency_totals(["14.08"], APRIL)["14.08"].registered == 181_000
    assert AgencyFigure.objects.filter(current=False).count() == 2  # Siak's first two rows, kept
    assert AgencyFigure.objects.filter(region_id="14.08.06", current=True).count() == 1  # another region-month
    assert list(AgencyUpload.objects.order_by("id").values_list("source", "figures", "replaced")) == [
        ("Cabang Siak, Mei 2021", 3, 0),
        ("Cabang Siak, revisi", 1, 1),
    ]
    assert AgencyEntry_count() == 2


def AgencyEntry_count() -> int:
    return AuditEntry.objects.filter(object_type="monitoring.agencyupload").count()


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_is_written(branch, tmp_path):
    rows = [
        ["14.08", "2021-04", "PU", "", "", "180000", "150000"],
        ["99.99", "2021-13", "ABC", "x", "Q", "10", "20"],
        ["14.08", "2021-04", "PU", "", "", "1", "1"],
        ["13.71", "2021-04", "BPU", "", "", "abc", ""],
    ]
    result = agency_import(actor=branch, path=write(tmp_path / "a.csv", rows), source="Cabang")

    assert result.figures == 1
    assert {(p.row, p.column) for p in result.problems} == {
        (3, "kode_wilayah"),
        (3, "bulan"),
        (3, "segmen"),
        (3, "kategori"),
        (3, "jenis_kelamin"),
        (3, "peserta_aktif"),
        (4, "kode_wilayah"),
        (5, "kode_wilayah"),
        (5, "peserta_terdaftar"),
        (5, "peserta_aktif"),
    }
    outside = next(p for p in result.problems if p.row == 5 and p.column == "kode_wilayah")
    assert outside.message == "Ini di luar wilayah Anda."


def test_only_the_branch_uploads_and_only_inside_its_regions(dumai_operator, tmp_path):
    with pytest.raises(PermissionDenied):
        agency_import(actor=dumai_operator, path=write(tmp_path / "a.csv", SIAK_ROWS), source="x")
    UserFactory(username="cabang-dumai", role=Role.PETUGAS_CABANG, regions=["14.72"])
    dumai_branch = User.objects.get(username="cabang-dumai")
    result = agency_import(actor=dumai_branch, path=write(tmp_path / "b.csv", SIAK_ROWS + DUMAI_ROWS), source="x")
    assert result.figures == 3
    assert {p.row for p in result.problems} == {2, 3, 4}


def test_the_coverage_page_and_api_show_the_official_figure_or_say_there_is_none(
    branch, riau_monitor, login, api, tmp_path
):
    from lindung.monitoring.models import Workforce
    from lindung.monitoring.rollups import refresh_rollups

    Workforce.objects.create(region_id="14.08", year=2021, category="pu", count=331_592)
    agency_import(actor=branch, path=write(tmp_path / "a.csv", SIAK_ROWS), source="BPJSTK Cabang Siak, April 2021")
    refresh_rollups(first=Period(2021, 3), last=Period(2021, 5))
    client = login(riau_monitor)

    april = client.get("/pantau/14.08/?periode=2021-04").content.decode()
    may = client.get("/pantau/14.08/?periode=2021-05").content.decode()
    answer = api(riau_monitor).get("/api/v1/monitoring/14.08/coverage?period=2021-04").json()

    # Siak, April 2021: 246,879 of 331,592 workers registered with the agency, 74.5%.
    assert 'id="official-registered">246.879<' in april
    assert 'id="official-percent">74,5<' in april
    assert "BPJSTK Cabang Siak, April 2021" in april
    assert (answer["official"]["registered"], answer["official"]["percent"]) == (246_879, 74.5)
    # May has no agency figure: no official percentage, Lindung's count labelled as Lindung's.
    assert 'id="no-official"' in may
    assert 'id="official-percent"' not in may
    assert "Terdaftar di Lindung" in may
    assert api(riau_monitor).get("/api/v1/monitoring/14.08/coverage?period=2021-05").json()["official"] is None


def test_a_yearly_target_shows_progress_on_the_official_figure_or_says_it_is_lindungs(
    branch, riau_monitor, siak_operator, dumai_operator, login, tmp_path
):
    from lindung.monitoring.models import Workforce
    from lindung.monitoring.rollups import refresh_rollups
    from lindung.monitoring.targets import target_set

    Workforce.objects.create(region_id="14.08", year=2021, category="pu", count=331_592)
    agency_import(actor=branch, path=write(tmp_path / "a.csv", SIAK_ROWS), source="BPJSTK Cabang Siak, April 2021")
    refresh_rollups(first=Period(2021, 4), last=Period(2021, 5))
    with pytest.raises(PermissionDenied):
        target_set(actor=dumai_operator, region_code="14.08", year=2021, percent="80", basis="RPJMD")
    with pytest.raises(Exception, match="paling banyak 100"):
        target_set(actor=siak_operator, region_code="14.08", year=2021, percent="180", basis="RPJMD")
    response = login(siak_operator).post(
        "/pantau/14.08/target/", {"tahun": "2021", "persen": "80,0", "dasar": "RPJMD Kabupaten Siak 2021-2026"}
    )
    assert response.status_code == 302

    april = login(riau_monitor).get("/pantau/14.08/?periode=2021-04").content.decode()
    may = login(riau_monitor).get("/pantau/14.08/?periode=2021-05").content.decode()
    assert "Target 2021: 80,0% dari angkatan kerja (RPJMD Kabupaten Siak 2021-2026)." in april
    assert "Tercapai menurut BPJS Ketenagakerjaan: 74,5%; 5,5 poin lagi." in april
    assert "hanya dari peserta Lindung" in may
    assert AuditEntry.objects.filter(object_type="monitoring.coveragetarget").count() == 1


def test_the_api_takes_a_file_and_lists_the_uploads_of_the_callers_regions(branch, dumai_operator, api, tmp_path):
    path = write(tmp_path / "a.csv", [*SIAK_ROWS, ["14.08", "2021-13", "PU", "", "", "1", "1"]])
    with path.open("rb") as handle:
        answer = api(branch).post("/api/v1/monitoring/agency-figures", {"source": "Cabang Siak", "file": handle})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["figures"], body["replaced"]) == (3, 0)
    assert body["problems"] == [{"row": 5, "column": "bulan", "message": "Tulis bulan sebagai 2021-04."}]
    with path.open("rb") as handle:
        refused = api(dumai_operator).post("/api/v1/monitoring/agency-figures", {"source": "x", "file": handle})
    assert refused.status_code == 403
    assert [u["source"] for u in api(branch).get("/api/v1/monitoring/agency-uploads").json()] == ["Cabang Siak"]
    assert api(dumai_operator).get("/api/v1/monitoring/agency-uploads").json() == []


def test_the_workforce_counts_a_regions_own_figure_else_its_childrens_at_every_level():
    from lindung.monitoring.models import Workforce
    from lindung.monitoring.selectors import workforce_of

    # Sumatera Selatan loaded as a province; Riau only by kabupaten, and Siak also by one kecamatan.
    for region, count in (("16", 4_470_000), ("14.08", 331_592), ("14.72", 150_000), ("14.08.06", 20_000)):
        Workforce.objects.create(region_id=region, year=2022, category="pu", count=count)

    totals = {code: sum(figures.values()) for code, figures in workforce_of(["", "14", "14.08", "16"], 2022).items()}

    assert totals == {"": 4_470_000 + 331_592 + 150_000, "14": 481_592, "14.08": 331_592, "16": 4_470_000}


def test_money_ranking_and_the_coverage_map_use_the_agencys_figures_and_say_when_they_are_lindungs(
    branch, riau_monitor, login, api, tmp_path
):
    from lindung.monitoring.models import Workforce
    from lindung.monitoring.rollups import refresh_rollups

    for code, count in (("14.08", 331_592), ("14.72", 150_000), ("14.71", 600_000)):
        Workforce.objects.create(region_id=code, year=2021, category="pu", count=count)
    # Siak's own April figure (with claims); Dumai only through its kecamatan; Pekanbaru none.
    agency_import(actor=branch, path=write(tmp_path / "a.csv", SIAK_ROWS + DUMAI_ROWS), source="BPJSTK Riau")
    refresh_rollups(first=Period(2021, 4), last=Period(2021, 4))
    client = login(riau_monitor)

    money = client.get("/pantau/14/keuangan/?tahun=2021").content.decode()
    # Riau's claims per the agency in 2021: Siak's 52 claims (Rp2.03 billion) and Dumai's 3 (Rp126 million).
    assert 'id="official-claims-paid">55 · Rp2.156.000.000<' in money
    assert "Klaim dibayar melalui Lindung" in money
    assert 'id="no-official-claims"' in client.get("/pantau/14/keuangan/?tahun=2022").content.decode()
    answer = api(riau_monitor).get("/api/v1/monitoring/14/money?year=2021").json()
    assert answer["official_claims"]["count"] == 55
    assert answer["official_claims"]["by_program"] == {"jkk": [12, 350_000_000], "jkm": [43, 1_806_000_000]}

    ranking = api(riau_monitor).get("/api/v1/monitoring/14/ranking?period=2021-04").json()["regions"]
    by_code = {row["code"]: row for row in ranking}
    assert by_code["14.08"]["scores"]["coverage"] == 74.5  # 246,879 / 331,592 per the agency
    assert by_code["14.08"]["coverage_counted_by"] == "agency"
    assert by_code["14.72"]["scores"]["coverage"] == 26.7  # 40,000 / 150,000
    assert by_code["14.71"]["coverage_counted_by"] == "lindung"

    page = client.get("/pantau/14/?periode=2021-04").content.decode()
    tiles = page[page.index('id="coverage-tiles"') :]
    assert tiles.index("Siak") < tiles.index("Dumai") < tiles.index("Pekanbaru")
    assert "tile-good" in tiles  # Siak, 74.5%
    assert "tile-mid" in tiles  # Dumai, 26.7%
    assert "0,0%*" in tiles  # Pekanbaru: Lindung only, marked
    assert 'id="coverage-tiles"' in client.get("/pantau/14/peringkat/?periode=2021-04").content.decode()
    assert "baru dimuat untuk 2 dari" in page  # Siak and Dumai of Riau's kabupaten/kota: the total understates
