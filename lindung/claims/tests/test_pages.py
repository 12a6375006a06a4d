"""Claims pages, documents, exports and API: scoped, audited, and the same figures everywhere."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.claims.documents import document_upload
from lindung.claims.models import Claim, ClaimStatus, ClaimType
from lindung.claims.services import claim_approve, claim_correct, claim_pay, claim_submit, claim_verify
from lindung.claims.tests.factories import complete_file, with_accounts
from lindung.core.models import AuditAction, AuditEntry
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def branch():
    return (
        UserFactory(username="verifikator", role=Role.PETUGAS_CABANG, regions=["14"]),
        UserFactory(username="penyetuju", role=Role.PETUGAS_CABANG, regions=["14"]),
    )


@pytest.fixture
def member():
    membership = enrol(
        sponsor(), 1, wage="3.000.000", programs="jkk,jkm", starts_on="2024-01-01", today=date(2024, 1, 1)
    )
    membership.person.relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1991, 1, 1))
    return membership


def approved_claim(member, branch):
    verifier, approver = branch
    claim = claim_submit(
        actor=verifier, membership=member, claim_type=ClaimType.JKM, event_date=date(2026, 2, 3), claimant_name="Siti"
    )
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim)
    return claim_approve(actor=approver, claim=claim)


def paid_claim(member, branch):
    verifier, approver = branch
    claim = claim_submit(
        actor=verifier, membership=member, claim_type=ClaimType.JKM, event_date=date(2026, 2, 3), claimant_name="Siti"
    )
    complete_file(claim)
    with_accounts(claim)
    claim_verify(actor=verifier, claim=claim)
    claim_approve(actor=approver, claim=claim)
    return claim_pay(actor=approver, claim=claim, reference="TRF-001", paid_on=date(2026, 3, 1))


def test_intake_by_nik_then_the_detail_page_shows_eligibility_heirs_and_the_checklist(member, branch, login):
    client = login(branch[0])
    response = client.post(
        "/klaim/baru/",
        {"nik": member.person.nik, "claim_type": "jkm", "event_date": "2026-02-03", "claimant_name": "Siti Aminah"},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    page = client.get(f"/klaim/{claim.pk}/").content.decode()
    assert "Siti Aminah" in page
    assert "Akta kematian" in page or "Death certificate" in page
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA, object_id=str(claim.pk)).exists()
    unknown = client.post(
        "/klaim/baru/",
        {"nik": "1408000000000000", "claim_type": "jkm", "event_date": "2026-02-03", "claimant_name": "X"},
    )
    assert "Tidak ada peserta" in unknown.content.decode()


def test_documents_are_checked_by_content_and_served_only_in_scope(member, branch, login, dumai_operator):
    verifier, _approver = branch
    claim = claim_submit(
        actor=verifier, membership=member, claim_type=ClaimType.JKM, event_date=date(2026, 2, 3), claimant_name="Siti"
    )
    with pytest.raises(ValidationError):
        document_upload(
            actor=verifier, claim=claim, kind="akta_kematian", name="akta.pdf", content=io.BytesIO(b"MZ...")
        )
    document = document_upload(
        actor=verifier, claim=claim, kind="akta_kematian", name="akta.pdf", content=io.BytesIO(PDF)
    )
    response = login(verifier).get(f"/klaim/{claim.pk}/dokumen/{document.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert login(dumai_operator).get(f"/klaim/{claim.pk}/dokumen/{document.pk}/").status_code in (403, 404)


def test_the_payout_register_and_the_transfer_file_list_the_payouts(member, branch, login):
    paid_claim(member, branch)
    client = login(branch[0])
    sheet = load_workbook(io.BytesIO(client.get("/klaim/pembayaran.xlsx").content))["Pembayaran klaim"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3:] == ("Siti Aminah", "BRI", "012345670000", 42_000_000, "Dibayar", None, "TRF-001")
    # The old everything-since-2019 transfer file is gone: the batch page makes it, once.
    assert client.get("/klaim/pembayaran.csv").url == "/klaim/pembayaran/"


def test_a_paid_claim_is_corrected_by_a_new_linked_claim(member, branch):
    claim = paid_claim(member, branch)
    correction = claim_correct(
        actor=branch[0], claim=claim, reason="Tanggal meninggal salah", event_date=date(2026, 2, 4)
    )
    assert (correction.corrects_id, correction.status, correction.event_date) == (
        claim.pk,
        "diajukan",
        date(2026, 2, 4),
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID


def test_the_api_walks_a_claim_and_refuses_other_regions(member, branch, api, dumai_operator):
    verifier, approver = branch
    created = api(verifier).post(
        "/api/v1/claims",
        {"nik": member.person.nik, "claim_type": "jkm", "event_date": "2026-02-03", "claimant_name": "Siti"},
        content_type="application/json",
    )
    assert created.status_code == 201
    claim_id = created.json()["id"]
    refused = api(verifier).post(f"/api/v1/claims/{claim_id}/verify")
    assert refused.status_code == 422
    assert "Akta kematian" in str(refused.json())
    for kind in created.json()["documents_missing"]:
        waived = api(approver).post(
            f"/api/v1/claims/{claim_id}/waivers",
            {"kind": kind, "reason": "Diperiksa langsung di kantor cabang"},
            content_type="application/json",
        )
        assert waived.status_code == 200
    assert api(verifier).post(f"/api/v1/claims/{claim_id}/verify").json()["status"] == "diverifikasi"
    assert api(verifier).post(f"/api/v1/claims/{claim_id}/approve").status_code == 403
    approved = api(approver).post(f"/api/v1/claims/{claim_id}/approve").json()
    assert (approved["status"], approved["total"]) == ("disetujui", 42_000_000)
    assert api(dumai_operator).get(f"/api/v1/claims/{claim_id}").status_code == 404


def test_the_queue_shows_open_claims_until_the_filter_asks_for_all(member, branch, login):
    claim = paid_claim(member, branch)
    client = login(branch[0])
    assert claim.number not in client.get("/klaim/").content.decode()
    everything = client.get("/klaim/", {"saring": "1"}).content.decode()
    assert claim.number in everything
    assert (
        client.get("/klaim/", {"saring": "1", "status": "dibayar", "type": "jkk"}).content.decode().count("KLM/") == 0
    )


def test_a_scholarship_is_taken_in_on_the_page_with_each_childs_guardian_account(branch, login):
    membership = enrol(
        sponsor(), 2, wage="3.000.000", programs="jkk,jkm", starts_on="2015-01-01", today=date(2015, 1, 1)
    )
    child = membership.person.relatives.create(relation="child", name="Adi", birth_date=date(2014, 1, 1))
    client = login(branch[0])
    lookup = client.post(
        "/klaim/peserta/", {"nik": membership.person.nik, "event_date": "2026-02-03", "claim_type": "beasiswa"}
    )
    assert f'name="child_{child.pk}"' in lookup.content.decode()

    fields = {
        "nik": membership.person.nik,
        "claim_type": "beasiswa",
        "event_date": "2026-02-03",
        "school_year": "2026",
        "claimant_name": "Siti",
    }
    refused = client.post("/klaim/baru/", fields)
    assert "Pilih paling sedikit satu anak" in refused.content.decode()
    created = client.post(
        "/klaim/baru/",
        fields
        | {
            f"child_{child.pk}": "1",
            f"level_{child.pk}": "smp",
            f"guardian_{child.pk}": "Siti",
            f"bank_{child.pk}": "BRI",
            f"account_{child.pk}": "555",
        },
    )
    claim = Claim.objects.get(claim_type=ClaimType.SCHOLARSHIP)
    assert created.url == f"/klaim/{claim.pk}/"
    assert claim.children == [
        {"relative": child.pk, "level": "smp", "guardian": "Siti", "bank": "BRI", "account": "555"}
    ]
