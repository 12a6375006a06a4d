"""The guided flow (issue 22): a selection becomes a draft agreement and an enrolment batch; after
the registry's check and confirmation, the agreement's activation and the first contribution paid,
the list's "protected now" rises by exactly the people enrolled."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.contributions.models import Invoice
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.services import billing_run
from lindung.outreach import services as outreach
from lindung.outreach.models import TargetClass
from lindung.outreach.protect import protect_selection
from lindung.outreach.selection import Selection
from lindung.outreach.tests.helpers import upload, write_list
from lindung.registry import batches
from lindung.registry import services as registry
from lindung.registry.models import AgreementStatus, ImportStatus, Membership
from lindung.registry.nik import make_nik
from lindung.registry.tests.factories import sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_MONTH = Period(TODAY.year, TODAY.month).shifted(-1)


@pytest.fixture
def branch_officer() -> User:
    UserFactory(username="cabang-siak", role=Role.PETUGAS_CABANG, regions=["14.08"])
    return User.objects.get(username="cabang-siak")


def poor_list(tmp_path, officer):
    rows = []
    for serial in range(1, 6):
        born = date(1980, 3, serial)
        decile = 1 if serial <= 3 else 4
        nik = make_nik("14.08.06", born, "P", serial)
        written = born.strftime("%d-%m-%Y")
        rows.append([nik, f"1408060101{serial:06d}", f"Ibu Rentan {serial}", written, "P", "14.08.06.2001", "", "",
                     decile, "Miskin", "Bekerja", "Petani"])  # fmt: skip
    target_list, _created = upload(officer, write_list(tmp_path / "dtks.xlsx", rows))
    return target_list


def test_from_selection_to_protection(tmp_path, branch_officer):
    target_list = poor_list(tmp_path, branch_officer)
    pemkab = sponsor()
    chosen = Selection(classes=(TargetClass.NOT_REGISTERED,), deciles=(1,))
    starts = LAST_MONTH.first_day
    with TestCase.captureOnCommitCallbacks(execute=True):
        protection = protect_selection(
            actor=branch_officer, target_list=target_list, chosen=chosen, sponsor=pemkab, number="PKS/RENTAN/1",
            starts_on=starts, ends_on=LAST_MONTH.shifted(11).day(31), programs=["jkk", "jkm"], on=TODAY,
        )  # fmt: skip
    agreement, batch = protection.agreement, protection.batch
    assert (agreement.status, agreement.segment, agreement.categories) == (
        AgreementStatus.DRAFT,
        "bpu",
        ["pekerja_rentan"],
    )
    assert agreement.quota == protection.people == 3
    assert agreement.budget_ceiling == protection.cost > 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert batch.summary["valid"] == 3

    with TestCase.captureOnCommitCallbacks(execute=True):
        batches.import_confirm(actor=branch_officer, batch=batch)
    registry.agreement_activate(actor=branch_officer, agreement=agreement)
    assert Membership.objects.filter(agreement=agreement).count() == 3

    # Enrolled but nothing paid yet: registered, not protected.
    counts = outreach.target_list_rematch(actor=branch_officer, target_list=target_list)
    assert (counts[TargetClass.REGISTERED], counts[TargetClass.PROTECTED], counts[TargetClass.NOT_REGISTERED]) == (
        3,
        0,
        2,
    )

    billing_run(actor=None, period=str(LAST_MONTH), today=TODAY)
    invoice = Invoice.objects.get(sponsor=pemkab, period=str(LAST_MONTH))
    payment_record(actor=None, payer=Payer(sponsor=pemkab), paid_on=TODAY, amount=invoice.total)
    counts = outreach.target_list_rematch(actor=branch_officer, target_list=target_list)
    assert (counts[TargetClass.PROTECTED], counts[TargetClass.REGISTERED], counts[TargetClass.NOT_REGISTERED]) == (
        3,
        0,
        2,
    )


def test_the_flow_refuses_who_cannot_sign_and_what_cannot_be_enrolled(tmp_path, branch_officer, siak_operator):
    target_list = poor_list(tmp_path, branch_officer)
    pemkab = sponsor()
    terms: dict[str, Any] = {"sponsor": pemkab, "number": "PKS/X", "starts_on": LAST_MONTH.first_day,
             "ends_on": LAST_MONTH.shifted(11).day(31), "programs": ["jkk", "jkm"], "on": TODAY}  # fmt: skip
    with pytest.raises(PermissionDenied):  # a Pemda operator does not sign agreements: the branch does
        protect_selection(actor=siak_operator, target_list=target_list, chosen=Selection(), **terms)
    with pytest.raises(ValidationError):
        protect_selection(
            actor=branch_officer, target_list=target_list, chosen=Selection(classes=(TargetClass.PROTECTED,)), **terms
        )
    with pytest.raises(ValidationError):
        protect_selection(actor=branch_officer, target_list=target_list, chosen=Selection(deciles=(9,)), **terms)
    assert not Membership.objects.exists()


def test_the_flow_through_the_pages(tmp_path, branch_officer, login, django_capture_on_commit_callbacks):
    target_list = poor_list(tmp_path, branch_officer)
    pemkab = sponsor()
    client = login(branch_officer)
    query = {"classes": ["belum_terdaftar"], "deciles": ["1"], "programs": ["jkk", "jkm"], "income": "1.000.000",
             "start": str(LAST_MONTH.shifted(2)), "months": "12"}  # fmt: skip
    page = client.get(f"/sasaran/{target_list.pk}/pilih/", query).content.decode()
    assert 'id="protect"' in page
    assert pemkab.name in page

    terms = {"sponsor": str(pemkab.pk), "number": "PKS/RENTAN/WEB", "starts_on": str(LAST_MONTH.shifted(2).first_day),
             "ends_on": str(LAST_MONTH.shifted(13).day(31))}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sasaran/{target_list.pk}/pilih/lindungi/", {**query, **terms})
    assert response.status_code == 302
    protection = target_list.protections.get()
    assert response["Location"] == f"/impor/{protection.batch_id}/"
    assert protection.people == 3
    detail = client.get(f"/sasaran/{target_list.pk}/").content.decode()
    assert "PKS/RENTAN/WEB" in detail

    # The same number again: refused with the registry's reason, nothing more drafted.
    again = client.post(f"/sasaran/{target_list.pk}/pilih/lindungi/", {**query, **terms}, follow=True)
    assert "PKS/RENTAN/WEB" in again.content.decode()
    assert target_list.protections.count() == 1
