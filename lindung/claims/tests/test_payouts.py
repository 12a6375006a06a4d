"""Payouts sent once: numbered batches of the ready payouts, the bank's answer, re-issue of a failed
payout into a new batch, and a file that is never exported twice without an audited reason."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from itertools import count
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims import payouts
from lindung.claims.models import ClaimStatus, ClaimType, Payout, PayoutStatus
from lindung.claims.services import claim_approve, claim_pay, claim_submit, claim_verify
from lindung.claims.tests.factories import complete_file
from lindung.core.models import AuditEntry
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
SERIALS = count(700)
TODAY = date(2026, 7, 1)


@pytest.fixture
def officers():
    return (
        UserFactory(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"]),
        UserFactory(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"]),
    )


def approved_jkm(officers, *, heirs=("Siti Aminah",), account: str = "0123 4567 89"):
    """An approved JKM claim (42,000,000) with one spouse heir, or with none (paid to the claimant)."""
    verifier, approver = officers
    membership = enrol(sponsor(), next(SERIALS), wage="3.000.000", programs="jkk,jkm", starts_on="2020-01-01")
    for name in heirs:
        membership.person.relatives.create(relation="spouse", name=name, birth_date=date(1990, 1, 1))
    claim = claim_submit(
        actor=None,
        membership=membership,
        claim_type=ClaimType.JKM,
        event_date=date(2026, 5, 20),
        claimant_name="Rahmat",
        payee_bank="BRI" if account else "",
        payee_account=account,
        today=TODAY,
    )
    for heir in claim.heirs.all():
        payouts.heir_account_set(actor=approver, heir=heir, bank="BRI" if account else "", account=account)
    complete_file(claim)
    claim_verify(actor=verifier, claim=claim, today=TODAY)
    return claim_approve(actor=approver, claim=claim, today=TODAY)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_batch_holds_the_ready_payouts_once_with_count_total_and_checksum(officers):
    _verifier, approver = officers
    first = approved_jkm(officers)
    second = approved_jkm(officers, heirs=("Dewi",))
    without_account = approved_jkm(officers, heirs=("Rina",), account="")

    outcome = payouts.batch_create(actor=approver, region_code="14", today=TODAY)
    batch = outcome.batch
    assert batch is not None
    assert (batch.number, batch.count, batch.total) == ("BYR/2026/000001", 2, 84_000_000)
    assert [payout.claim_id for payout in outcome.not_ready] == [without_account.pk]
    assert Payout.objects.get(claim=without_account).status == PayoutStatus.WAITING

    text = payouts.transfer_file(batch)
    rows = rows_of(text)
    assert rows[0] == ["no", "id_pembayaran", "nama_penerima", "bank", "rekening_tujuan", "jumlah", "berita"]
    assert [row[2:6] for row in rows[1:3]] == [
        ["Siti Aminah", "BRI", "0123456789", "42000000"],
        ["Dewi", "BRI", "0123456789", "42000000"],
    ]
    assert rows[1][6] == f"BYR/2026/000001 {first.number}"
    assert rows[2][6] == f"BYR/2026/000001 {second.number}"
    body, trailer = text.rsplit("TOTAL;", 1)
    assert trailer == f"2;84000000;{hashlib.sha256(body.encode()).hexdigest()}\r\n"
    assert batch.checksum == hashlib.sha256(body.encode()).hexdigest()

    # A second export finds nothing new to send.
    assert payouts.batch_create(actor=approver, region_code="14", today=TODAY).batch is None
    # A payout without an account is not paid by hand either.
    with pytest.raises(ValidationError, match="belum memiliki bank atau rekening"):
        claim_pay(actor=approver, claim=without_account, reference="TRF-9", paid_on=TODAY, today=TODAY)


def test_downloading_a_batch_again_needs_a_reason_and_is_audited(officers):
    _verifier, approver = officers
    approved_jkm(officers)
    batch = payouts.batch_create(actor=approver, region_code="14", today=TODAY).batch
    assert batch is not None
    with pytest.raises(ValidationError, match="10 karakter"):
        payouts.batch_reissue(actor=approver, batch=batch, reason="hilang")
    again = payouts.batch_reissue(actor=approver, batch=batch, reason="Berkas hilang saat diunggah ke internet banking")
    assert again == payouts.transfer_file(batch)  # the very same file: the bank sees the same batch number
    batch.refresh_from_db()
    assert batch.reissues == 1
    entry = AuditEntry.objects.filter(object_type="claims.payoutbatch", after__reissue=1).get()
    assert (entry.after or {})["reason"] == "Berkas hilang saat diunggah ke internet banking"


def _return_file(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "jawaban.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_pembayaran", "status", "referensi", "tanggal", "alasan"])
        writer.writerows(rows)
    return path


def test_the_banks_answer_pays_or_fails_and_a_failed_payout_is_reissued_into_a_new_batch(officers, tmp_path):
    _verifier, approver = officers
    paid = approved_jkm(officers)
    failing = approved_jkm(officers, heirs=("Dewi",))
    batch = payouts.batch_create(actor=approver, region_code="14", today=TODAY).batch
    assert batch is not None
    ok, bad = (Payout.objects.get(claim=paid), Payout.objects.get(claim=failing))
    answer = _return_file(
        tmp_path,
        [
            [str(ok.pk), "berhasil", "FT26070100123", "02-07-2026", ""],
            [str(bad.pk), "gagal", "", "", "Rekening tidak aktif"],
            ["999999", "berhasil", "X", "", ""],
            [str(ok.pk), "berhasil", "again", "", ""],
        ],
    )
    outcome = payouts.bank_return_apply(actor=approver, batch=batch, path=answer)

    assert (outcome.confirmed, outcome.failed) == (1, 1)
    assert [(p["row"], p["column"]) for p in outcome.problems] == [(4, "id_pembayaran"), (5, "id_pembayaran")]
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert (ok.status, ok.reference, ok.paid_on) == (PayoutStatus.CONFIRMED, "FT26070100123", date(2026, 7, 2))
    assert (bad.status, bad.failure_reason) == (PayoutStatus.FAILED, "Rekening tidak aktif")
    paid.refresh_from_db()
    failing.refresh_from_db()
    assert (paid.status, failing.status) == (ClaimStatus.PAID, ClaimStatus.APPROVED)

    with pytest.raises(ValidationError):
        payouts.payout_reissue(actor=approver, payout=bad, payee="Dewi", bank="BNI", account="", reason="Rekening baru")
    again = payouts.payout_reissue(
        actor=approver,
        payout=bad,
        payee="Dewi",
        bank="BNI",
        account="9876543210",
        reason="Rekening baru dari ahli waris",
    )
    with pytest.raises(ValidationError, match="satu kali"):
        payouts.payout_reissue(
            actor=approver, payout=bad, payee="Dewi", bank="BNI", account="1", reason="lagi lagi lagi"
        )
    second = payouts.batch_create(actor=approver, region_code="14", today=TODAY).batch
    assert second is not None
    assert (second.number, list(second.payouts.values_list("pk", flat=True))) == ("BYR/2026/000002", [again.pk])
    assert rows_of(payouts.transfer_file(second))[1][3:5] == ["BNI", "9876543210"]

    payouts.payout_confirm(actor=approver, payout=again, reference="FT26070300009", paid_on=date(2026, 7, 3))
    failing.refresh_from_db()
    assert failing.status == ClaimStatus.PAID
    assert list(failing.payouts.values_list("status", flat=True)) == [PayoutStatus.FAILED, PayoutStatus.CONFIRMED]


def test_paying_by_hand_records_the_transfer_reference(officers):
    _verifier, approver = officers
    claim = approved_jkm(officers)
    with pytest.raises(ValidationError, match="referensi"):
        claim_pay(actor=approver, claim=claim, reference=" ", paid_on=TODAY, today=TODAY)
    claim = claim_pay(actor=approver, claim=claim, reference="FT123", paid_on=TODAY, today=TODAY)
    assert claim.status == ClaimStatus.PAID
    assert list(claim.payouts.values_list("reference", "paid_on", "status")) == [
        ("FT123", TODAY, PayoutStatus.CONFIRMED)
    ]
    # Paid by hand, it is no longer waiting: no batch will ever hold it.
    assert payouts.batch_create(actor=approver, region_code="14", today=TODAY).batch is None


def test_the_return_file_is_applied_from_the_payouts_page(officers, login, tmp_path):
    _verifier, approver = officers
    claim = approved_jkm(officers)
    client = login(approver)
    client.post("/klaim/pembayaran/batch/", {"region": "14"})
    batch = claim.payouts.get().batch
    assert batch is not None
    payout = claim.payouts.get()
    answer = _return_file(tmp_path, [[str(payout.pk), "berhasil", "FT777", "05-07-2026", ""]])
    with answer.open("rb") as handle:
        response = client.post(f"/klaim/pembayaran/batch/{batch.pk}/jawaban-bank/", {"file": handle})
    assert response.status_code == 302
    payout.refresh_from_db()
    claim.refresh_from_db()
    assert (payout.status, payout.reference, claim.status) == (PayoutStatus.CONFIRMED, "FT777", ClaimStatus.PAID)
