"""Paid before Lindung: a sponsor's billing start and the agency's payment history before it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.contributions.coverage import Status, covered_on, membership_months
from lindung.contributions.models import BillingStart, Invoice, PriorPayment, PriorPaymentImport
from lindung.contributions.prior import billing_start_set, prior_import, template_csv
from lindung.contributions.services import billing_run
from lindung.core.models import AuditEntry
from lindung.registry.tests.factories import DUMAI, enrol, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 1)
START = Period(2026, 1)


@pytest.fixture
def officer() -> User:
    UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])
    return User.objects.get(username="cabang-siak")


def months(first: Period, last: Period) -> list[str]:
    found = []
    while first <= last:
        found.append(str(first))
        first = first.shifted(1)
    return found


def history_file(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bulan", "tanggal_bayar", "peserta", "jumlah_dibayar"])
        writer.writerows(rows)
    return path


def paid_since_2019(path: Path, skip: tuple[str, ...] = ()) -> Path:
    rows = [
        [month, f"{month}-10", "2", "33.600"]
        for month in months(Period(2019, 1), START.shifted(-1))
        if month not in skip
    ]
    return history_file(path, rows)


def rentan_member(payer, serial: int = 1):
    """A BPU worker the Pemda pays for since January 2019 (pekerja rentan, APBD)."""
    return enrol(
        payer,
        serial,
        segment="bpu",
        category="pekerja_rentan",
        wage="1.000.000",
        risk_class="",
        funding="apbd",
        starts_on="2019-01-01",
        today=date(2019, 1, 2),
    )


def test_months_paid_before_lindung_protect_a_bpu_member_and_an_unrecorded_month_does_not(officer, tmp_path):
    payer = sponsor()
    member = rentan_member(payer)
    billing_start_set(actor=officer, sponsor=payer, bills_from=START, note="Lindung dipasang Januari 2026")
    outcome = prior_import(
        actor=officer, sponsor=payer, path=paid_since_2019(tmp_path / "r.csv", skip=("2021-03",)), source="Cabang Siak"
    )
    assert (outcome.months, outcome.replaced, outcome.problems) == (83, 0, [])

    timeline = {str(m.period): m for m in membership_months(member, today=TODAY)}
    june_2020 = timeline["2020-06"]
    assert (june_2020.covered, june_2020.status, june_2020.paid_on) == (
        True,
        Status.PAID_BEFORE_LINDUNG,
        date(2020, 6, 10),
    )
    assert "Cabang Siak" in june_2020.reason
    march_2021 = timeline["2021-03"]
    assert (march_2021.covered, march_2021.status) == (False, Status.NOT_RECORDED)
    # From the billing start on, Lindung's own ledger decides: not billed yet, so not protected (BPU).
    assert (timeline["2026-01"].covered, timeline["2026-01"].status) == (False, Status.NOT_BILLED)
    # Four unrecorded months in a row before Lindung do not end a membership (the lapse rule is Lindung's ledger).
    assert Status.LAPSED not in {m.status for m in timeline.values()}

    answer = covered_on(member.person.memberships.all(), date(2020, 6, 15), today=TODAY)
    assert (answer.covered, answer.status) == (True, Status.PAID_BEFORE_LINDUNG)


def test_a_pu_month_without_a_record_is_protected_by_the_employers_duty(officer, tmp_path):
    payer = sponsor()
    member = enrol(payer, 3, starts_on="2019-01-01", today=date(2019, 1, 2))
    billing_start_set(actor=officer, sponsor=payer, bills_from=START)
    prior_import(actor=officer, sponsor=payer, path=paid_since_2019(tmp_path / "p.csv", skip=("2020-06",)), source="X")
    timeline = {str(m.period): m for m in membership_months(member, today=TODAY)}
    assert (timeline["2020-06"].covered, timeline["2020-06"].status) == (True, Status.NOT_RECORDED)
    assert "kewajiban pemberi kerja" in timeline["2020-06"].reason
    assert timeline["2020-07"].status == Status.PAID_BEFORE_LINDUNG


def test_billing_skips_the_months_before_the_billing_start(officer):
    payer = sponsor()
    enrol(payer, 1, starts_on="2025-06-01", today=date(2025, 6, 2))
    other = sponsor("Pemerintah Provinsi Riau", region="14")
    enrol(other, 2, starts_on="2025-06-01", today=date(2025, 6, 2))
    billing_start_set(actor=officer, sponsor=payer, bills_from=START)

    billing_run(actor=None, period="2025-12", today=TODAY)
    assert list(Invoice.objects.filter(period="2025-12").values_list("sponsor_id", flat=True)) == [other.pk]
    billing_run(actor=None, period="2026-01", today=TODAY)
    assert set(Invoice.objects.filter(period="2026-01").values_list("sponsor_id", flat=True)) == {payer.pk, other.pk}


def test_the_billing_start_cannot_move_past_a_month_lindung_billed(officer):
    payer = sponsor()
    enrol(payer, 1, starts_on="2025-06-01", today=date(2025, 6, 2))
    billing_run(actor=None, period="2025-11", today=TODAY)
    number = Invoice.objects.get(period="2025-11").number
    with pytest.raises(ValidationError) as refused:
        billing_start_set(actor=officer, sponsor=payer, bills_from=START)
    assert refused.value.message_dict["bills_from"] == [
        f"Lindung sudah menagih 2025-11 untuk pemberi kerja ini (tagihan {number}): "
        "bulan mulai penagihan tidak boleh sesudah bulan itu."
    ]
    billing_start_set(actor=officer, sponsor=payer, bills_from=Period(2025, 11))  # that month itself is fine


def test_bad_rows_are_reported_by_row_and_column_and_a_later_file_replaces_its_months(officer, tmp_path):
    payer = sponsor()
    rentan_member(payer)
    with pytest.raises(ValidationError, match="bulan mulai penagihan"):
        prior_import(actor=officer, sponsor=payer, path=paid_since_2019(tmp_path / "a.csv"), source="X")
    billing_start_set(actor=officer, sponsor=payer, bills_from=START)
    rows = [
        ["2020-05", "10-06-2020", "2", "33.600"],
        ["2026-02", "", "", ""],  # Lindung bills it
        ["2019-13", "", "", ""],
        ["2020-06", "kemarin", "dua", ""],
        ["2020-07", "", "", ""],
        ["2020-07", "", "", ""],  # twice
    ]
    outcome = prior_import(actor=officer, sponsor=payer, path=history_file(tmp_path / "b.csv", rows), source="Cabang")
    assert [(p.row, p.column) for p in outcome.problems] == [
        (3, "bulan"),
        (4, "bulan"),
        (5, "tanggal_bayar"),
        (5, "peserta"),
        (7, "bulan"),
    ]
    assert "2026-01" in outcome.problems[0].message
    assert sorted(PriorPayment.objects.values_list("period", "amount")) == [("2020-05", 33_600), ("2020-07", None)]

    again = history_file(tmp_path / "c.csv", [["2020-05", "", "3", "50.400"]])
    second = prior_import(actor=officer, sponsor=payer, path=again, source="Cabang, koreksi")
    assert (second.months, second.replaced) == (1, 1)
    may = PriorPayment.objects.get(period="2020-05")
    assert (may.amount, may.members, may.imported.source) == (50_400, 3, "Cabang, koreksi")
    assert PriorPaymentImport.objects.count() == 2  # both files kept
    assert AuditEntry.objects.filter(object_type="contributions.priorpaymentimport").count() == 2
    assert AuditEntry.objects.filter(object_type="contributions.billingstart").count() == 1


def test_only_the_branch_of_the_sponsors_region_records_history(tmp_path):
    payer = sponsor()
    UserFactory(username="cabang-dumai", role=Role.PETUGAS_CABANG, regions=[DUMAI])
    UserFactory(username="pemda-siak", role=Role.OPERATOR_PEMDA, regions=["14.08"])
    for username in ("cabang-dumai", "pemda-siak"):
        with pytest.raises(PermissionDenied):
            billing_start_set(actor=User.objects.get(username=username), sponsor=payer, bills_from=START)


def test_the_page_sets_the_start_loads_a_file_and_lists_the_months(officer, client, tmp_path):
    payer = sponsor()
    rentan_member(payer)
    client.force_login(officer)
    url = f"/iuran/pemberi-kerja/{payer.pk}/riwayat/"
    client.post(url, {"bills_from": "2026-01", "note": "Mulai Lindung"})
    with paid_since_2019(tmp_path / "h.csv").open("rb") as handle:
        response = client.post(url, {"sumber": "Cabang Siak", "berkas": handle}, follow=True)
    page = response.content.decode()
    assert "84 bulan dicatat dibayar sebelum Lindung" in page
    assert 'id="months-paid">84<' in page
    assert 'id="months-missing">0<' in page
    assert "Rp2.822.400" in page  # 84 × 33.600
    statement = client.get(f"/iuran/pemberi-kerja/{payer.pk}/").content.decode()
    assert "Lindung menagih mulai 2026-01" in statement

    monitor = UserFactory(username="pemantau", role=Role.PEMANTAU, regions=["14"])
    client.force_login(monitor)
    read_only = client.get(url).content.decode()
    assert 'id="months-paid">84<' in read_only
    assert 'id="history-form"' not in read_only
    assert 'id="start-form"' not in read_only
    assert client.post(url, {"bills_from": "2025-01"}).status_code == 302
    assert BillingStart.objects.get(sponsor=payer).bills_from == "2026-01"  # refused, unchanged


def test_the_template_has_the_columns():
    header = template_csv().splitlines()[0]
    assert header.split(";") == ["bulan", "tanggal_bayar", "peserta", "jumlah_dibayar"]


def test_the_command_sets_the_start_and_loads_the_file(officer, tmp_path, capsys):
    payer = sponsor()
    path = paid_since_2019(tmp_path / "cmd.csv")
    call_command(
        "import_payment_history",
        str(path),
        "--pemberi-kerja",
        str(payer.pk),
        "--tagih-mulai",
        "2026-01",
        "--sumber",
        "Cabang Siak",
        "--pengguna",
        officer.username,
    )
    out = capsys.readouterr().out
    assert "2026-01" in out
    assert "84" in out
    assert PriorPayment.objects.filter(sponsor=payer).count() == 84


def test_the_api_sets_the_start_takes_a_file_and_reads_the_history(officer, api, tmp_path):
    payer = sponsor()
    rentan_member(payer)
    client = api(officer)
    base = f"/api/v1/sponsors/{payer.pk}"
    refused = client.put(f"{base}/billing-start", {"bills_from": "2026-13"}, content_type="application/json")
    assert refused.status_code in (400, 422)
    assert "TTTT-BB" in refused.content.decode()
    answer = client.put(f"{base}/billing-start", {"bills_from": "2026-01"}, content_type="application/json").json()
    assert answer["bills_from"] == "2026-01"
    assert len(answer["months_without_record"]) == 84
    rows = [["2019-01", "", "1", "16800"], ["2026-03", "", "", ""]]
    with history_file(tmp_path / "api.csv", rows).open("rb") as handle:
        loaded = client.post(f"{base}/history", {"source": "Cabang Siak", "file": handle}).json()
    assert (loaded["months"], loaded["replaced"]) == (1, 0)
    assert [(p["row"], p["column"]) for p in loaded["problems"]] == [(3, "bulan")]
    history = client.get(f"{base}/history").json()
    assert history["months_paid"] == [
        {"period": "2019-01", "paid_on": None, "members": 1, "amount": 16_800, "source": "Cabang Siak"}
    ]
    assert len(history["months_without_record"]) == 83

    UserFactory(username="cabang-dumai", role=Role.PETUGAS_CABANG, regions=[DUMAI])
    outsider = api(User.objects.get(username="cabang-dumai"))
    assert outsider.get(f"{base}/history").status_code == 404
