"""Claims paid outside Lindung: one by form, many by file, never twice, exempt from today's checks."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims.history import PaidClaim, PaidHeir, import_paid_claims, record_paid_outside, template_csv
from lindung.claims.models import Claim, ClaimStatus, Payout, PayoutStatus
from lindung.registry.models import Membership
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
COLUMNS = ["nik", "jenis_klaim", "manfaat_jkk", "tanggal_kejadian", "tanggal_bayar", "jumlah", "pengaju", "ahli_waris"]


@pytest.fixture
def officer():
    return UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])


def siak_members(count: int) -> list[Membership]:
    siak = sponsor()
    return [enrol(siak, serial, starts_on="2018-01-01", today=date(2018, 1, 1)) for serial in range(900, 900 + count)]


def history_file(path: Path, members: list[Membership]) -> Path:
    """Siak's 2019-2020 history as the branch would send it: 2 JKK and 16 JKM in 2019, 1 JKK death
    and 14 JKM in 2020 (33 claims)."""
    rows = []
    plan = [("jkk", "pengobatan", 2019)] * 2 + [("jkm", "", 2019)] * 16 + [("jkk", "meninggal", 2020)]
    plan += [("jkm", "", 2020)] * 14
    for index, ((claim_type, kind, year), membership) in enumerate(zip(plan, members, strict=True)):
        event = date(year, 1 + index % 11, 3)
        amount = 24_000_000 if claim_type == "jkm" else 3_450_000
        heirs = f"Istri {index}:istri:{amount}" if claim_type == "jkm" else ""
        rows.append(
            [
                membership.person.nik,
                claim_type.upper() if index % 2 else claim_type,
                kind,
                event.strftime("%d-%m-%Y"),
                date(year, 1 + index % 11, 28).isoformat(),
                f"{amount:,}".replace(",", "."),
                "",
                heirs,
            ]
        )
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def test_a_history_file_of_33_paid_claims_is_recorded_once(officer, tmp_path):
    members = siak_members(33)
    path = history_file(tmp_path / "riwayat.csv", members)

    outcome = import_paid_claims(actor=officer, path=path, today=date(2026, 7, 1))
    again = import_paid_claims(actor=officer, path=path, today=date(2026, 7, 1))

    assert (len(outcome.created), outcome.duplicates, outcome.problems) == (33, 0, [])
    assert (len(again.created), again.duplicates, again.problems) == (0, 33, [])
    claims = Claim.objects.filter(paid_outside=True)
    assert claims.count() == 33
    assert set(claims.values_list("status", flat=True)) == {ClaimStatus.PAID}
    assert sum(Payout.objects.filter(status=PayoutStatus.CONFIRMED).values_list("amount", flat=True)) == (
        30 * 24_000_000 + 3 * 3_450_000
    )
    # A JKM paid outside Lindung is a death too: the member is recorded as deceased.
    jkm = claims.filter(claim_type="jkm").first()
    assert jkm is not None
    assert jkm.person.died_on == jkm.event_date
    assert jkm.heirs.get().share_source == "surat_ahli_waris"


def test_bad_rows_are_reported_by_row_and_column_and_the_good_ones_kept(officer, tmp_path):
    (good,) = siak_members(1)
    path = tmp_path / "riwayat.csv"
    path.write_text(
        ";".join(COLUMNS)
        + "\n"
        + f"{good.person.nik};jkm;;03-02-2020;28-02-2020;24.000.000;;Siti:istri:20000000\n"
        + f"{good.person.nik};jkk;pengobatan;03-02-2020;01-02-2020;1.000.000;;\n"
        + "1408019999999999;jkm;;03-02-2020;28-02-2020;24.000.000;;\n"
        + f"{good.person.nik};kecelakaan;;03-13-2020;28-02-2020;abc;;\n"
        + f"{good.person.nik};jkk;cacat;04-02-2020;28-02-2020;5.000.000;;\n"
    )
    outcome = import_paid_claims(actor=officer, path=path, today=date(2026, 7, 1))

    assert len(outcome.created) == 1
    assert {(p["row"], p["column"]) for p in outcome.problems} == {
        (2, "ahli_waris"),
        (3, "tanggal_bayar"),
        (4, "nik"),
        (5, "jenis_klaim"),
        (5, "tanggal_kejadian"),
        (5, "jumlah"),
    }


def test_a_paid_claim_is_exempt_from_todays_checks_and_refused_twice(officer):
    (membership,) = siak_members(1)
    paid = PaidClaim(
        claim_type="jkk", jkk_kind="medical", event_date=date(2019, 3, 1), paid_on=date(2019, 4, 1), amount=1_250_000
    )
    claim = record_paid_outside(actor=officer, membership=membership, paid=paid, today=date(2026, 7, 1))
    # Seven years after the accident: no lapse, no coverage check, only the note that it was paid outside.
    assert [finding["code"] for finding in claim.assessment["findings"]] == ["paid_outside"]
    with pytest.raises(ValidationError, match="Sudah tercatat"):
        record_paid_outside(actor=officer, membership=membership, paid=paid, today=date(2026, 7, 1))
    with pytest.raises(ValidationError, match="harus sama"):
        record_paid_outside(
            actor=officer,
            membership=membership,
            paid=PaidClaim(
                claim_type="jkm",
                event_date=date(2019, 5, 1),
                paid_on=date(2019, 6, 1),
                amount=24_000_000,
                heirs=(PaidHeir(name="Siti", relation="spouse", amount=20_000_000),),
            ),
            today=date(2026, 7, 1),
        )


def test_the_template_has_every_column():
    header = template_csv().splitlines()[0].split(";")
    assert header[:6] == ["nik", "jenis_klaim", "manfaat_jkk", "tanggal_kejadian", "tanggal_bayar", "jumlah"]


def test_the_command_records_a_file_and_says_what_it_did(officer, tmp_path, capsys):
    from django.core.management import call_command

    members = siak_members(33)
    path = history_file(tmp_path / "riwayat.csv", members)
    call_command("import_paid_claims", str(path), "--pengguna", officer.username)
    call_command("import_paid_claims", str(path), "--pengguna", officer.username)

    output = capsys.readouterr().out.splitlines()
    assert output == [
        "33 klaim dicatat, 0 sudah ada di Lindung, 0 masalah.",
        "0 klaim dicatat, 33 sudah ada di Lindung, 0 masalah.",
    ]
