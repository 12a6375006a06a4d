"""In a real browser: a JKM claim from intake, with its documents, to a bank transfer batch, as two
officers (one takes it in and verifies, the other checks the documents, approves and sends)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import PASSWORD, UserFactory
from lindung.claims.models import PayoutStatus
from lindung.conftest import load_regions_if_missing
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def upload(page, kind: str, path: Path) -> None:
    page.locator("#id_kind").select_option(kind)
    page.get_by_label("Berkas (PDF, JPG atau PNG, paling besar 5 MB)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah").click()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_jkm_claim_from_intake_with_documents_to_a_payout_batch(page, tmp_path: Path, width) -> None:
    from playwright.sync_api import expect

    from lindung.browser import follow_nav

    load_regions_if_missing()
    UserFactory(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"], full_name="Verifikator Cabang")
    UserFactory(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"], full_name="Penyetuju Cabang")
    member = enrol(sponsor(), 1, wage="3.000.000", programs="jkk,jkm", starts_on="2024-01-01", today=date(2024, 1, 1))
    member.person.relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1991, 1, 1))
    certificate = tmp_path / "akta-kematian.pdf"
    certificate.write_bytes(b"%PDF-1.4\n% akta\n%%EOF\n")
    card = tmp_path / "kartu.pdf"
    card.write_bytes(b"%PDF-1.4\n% kartu\n%%EOF\n")
    questions: list[str] = []

    def answer_yes(dialog) -> None:  # every confirmation is answered yes, and remembered
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer_yes)
    page.set_viewport_size({"width": width, "height": 900})

    log_in(page, "verifikator")
    follow_nav(page, "Klaim")
    page.get_by_role("button", name="Klaim baru").click()
    page.get_by_label("Jenis klaim").select_option("jkm")
    expect(page.get_by_label("Manfaat JKK")).to_be_hidden()  # JKK fields are not asked for a death
    expect(page.get_by_label("Tanggal pengajuan")).to_be_visible()
    page.get_by_label("Tanggal kejadian").fill("2026-02-03")
    page.get_by_label("NIK peserta").fill(member.person.nik)
    expect(page.locator("#member-name")).to_contain_text(member.person.name)
    page.get_by_label("Pengaju klaim").fill("Siti Aminah")
    page.get_by_role("button", name="Ajukan klaim").click()

    expect(page.locator("#claim-status")).to_have_text("Diajukan")
    expect(page.locator("#heirs")).to_contain_text("Siti Aminah")
    upload(page, "akta_kematian", certificate)
    expect(page.locator("#checklist")).to_contain_text("diterima, perlu diperiksa")
    upload(page, "kartu", card)
    upload(page, "ktp", card)  # the same file again: recognised
    expect(page.get_by_role("status").filter(has_text="sudah diunggah ke klaim ini")).to_be_visible()
    expect(page.get_by_role("button", name="Verifikasi")).to_be_disabled()
    claim_url = page.url
    page.locator(".nav-user summary").click()  # the account menu
    page.get_by_role("button", name="Keluar").click()

    # The second officer checks the file: accepts the two scans, waives the rest with a reason.
    log_in(page, "penyetuju")
    page.goto(claim_url)
    page.get_by_role("button", name="Nyatakan akta-kematian.pdf sesuai").click()
    expect(page.get_by_role("button", name="Nyatakan akta-kematian.pdf sesuai")).to_have_count(0)
    page.get_by_role("button", name="Nyatakan kartu.pdf sesuai").click()
    expect(page.locator("#uploads")).not_to_contain_text("Diterima, belum diperiksa")
    expect(page.locator("#checklist")).to_contain_text("✔ sesuai")
    waiver = page.locator("#waive")
    remaining = (
        "KTP peserta dan ahli waris",
        "Kartu keluarga (KK)",
        "Surat keterangan ahli waris",
        "Surat keterangan kerja",
        "Buku tabungan ahli waris",
        "Buku nikah (ahli waris adalah pasangan)",
    )
    for label in remaining:
        waiver.locator("summary").click()
        waiver.get_by_label("Dokumen").select_option(label=label)
        waiver.get_by_label("Alasan tidak diperlukan").fill("Diperiksa asli di loket cabang Siak")
        waiver.get_by_role("button", name="Kecualikan").click()
        expect(page.locator("#checklist")).to_contain_text(f"{label}✔ dikecualikan")
    expect(page.locator("#checklist")).not_to_contain_text("belum ada")
    page.locator("#shares-form summary").click()
    page.get_by_label("Bank").first.fill("BRK Syariah")
    page.get_by_label("Rekening").first.fill("8100 2233 44")
    page.get_by_role("button", name="Simpan bagian dan rekening").click()
    expect(page.locator("#heirs")).to_contain_text("8100223344")
    page.locator(".nav-user summary").click()  # the account menu
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "verifikator")
    page.goto(claim_url)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.locator("#claim-status")).to_have_text("Diverifikasi")
    assert questions[-1] == "Verifikasi klaim ini? Dokumen dan fakta dianggap sudah diperiksa."
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.locator(".nav-user summary").click()  # the account menu
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "penyetuju")
    page.goto(claim_url)
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#claim-status")).to_have_text("Disetujui")
    expect(page.locator("#benefit-total")).to_have_text("Rp42.000.000")
    expect(page.locator("#payouts")).to_contain_text("Menunggu dikirim")
    page.get_by_role("link", name="Kirim pembayaran yang menunggu dalam batch transfer bank").click()
    expect(page.locator("#waiting")).to_contain_text("Siti Aminah")
    page.get_by_role("button", name="Buat batch transfer").click()
    expect(page.locator("#batches")).to_contain_text("BYR/2026/000001")
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh berkas").click()
    content = Path(download.value.path()).read_text()
    assert "Siti Aminah;BRK Syariah;8100223344;42000000" in content
    assert content.splitlines()[-1].startswith("TOTAL;1;42000000;")
    # A second batch finds nothing; the file again needs a reason.
    expect(page.locator("#waiting")).to_contain_text("Belum ada pembayaran yang siap dikirim")
    page.goto(claim_url)
    expect(page.locator("#payouts")).to_contain_text("Dikirim ke bank")
    assert member.person.claims.get().payouts.get().status == PayoutStatus.SENT
    expect(page.locator("#timeline li")).to_have_count(3)
