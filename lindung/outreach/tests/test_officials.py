"""Village officials (issue 22): a register matched per village, the monthly cost of protecting the
rest under the APBDes by the rules in force, the letter to the village head read back, and the
monitoring village list counting the register's officials."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import TestCase
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from lindung.contributions.models import Invoice
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.services import billing_run
from lindung.outreach import services
from lindung.outreach.officials import SILTAP_OTHERS, monthly_contribution, village_officials
from lindung.regions.models import Region
from lindung.registry.nik import make_nik
from lindung.registry.tests.factories import enrol, sponsor
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_MONTH = Period(TODAY.year, TODAY.month).shifted(-1)


def villages(count: int) -> list[Region]:
    return list(Region.objects.filter(code__startswith="14.08.06.", level=4).order_by("code")[:count])


def register(tmp_path, rows):
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["kode_desa", "jabatan", "nik", "nama", "penghasilan"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "register-perangkat.xlsx"
    book.save(path)
    with TestCase.captureOnCommitCallbacks(execute=True):
        target_list, _created = services.target_list_create(
            actor=None, path=path, file_name=path.name, region_code="14.08", source="perangkat",
            source_date=date(2026, 6, 1), name="Register perangkat Siak 2026",
        )  # fmt: skip
    target_list.refresh_from_db()
    return target_list


@pytest.fixture
def the_register(tmp_path):
    first, second = villages(2)
    # The head of the first village is enrolled by the village government and paid for last month.
    pemdes = sponsor("Pemerintah Kampung", kind="pemdes", region=first.code)
    head = enrol(
        pemdes, 1, category="perangkat_desa", wage="3.000.000", starts_on=str(LAST_MONTH.shifted(-1).first_day),
        today=TODAY, born=date(1975, 5, 5),
    )  # fmt: skip
    billing_run(actor=None, period=str(LAST_MONTH), today=TODAY)
    invoice = Invoice.objects.get(sponsor=pemdes, period=str(LAST_MONTH))
    payment_record(actor=None, payer=Payer(sponsor=pemdes), paid_on=TODAY, amount=invoice.total)
    born = date(1980, 1, 1)
    rows = [
        [first.code, "Kepala Desa", head.person.nik, head.person.name, ""],
        [first.code, "Sekretaris Desa", make_nik("14.08.06", born, "L", 201), "Sekdes Satu", "2.500.000"],
        [first.code, "Kaur Keuangan", make_nik("14.08.06", born, "L", 202), "Kaur Satu", ""],
        [second.code, "Kepala Desa", make_nik("14.08.06", born, "L", 203), "Kades Dua", ""],
        [second.code, "Kasi Pemerintahan", make_nik("14.08.06", born, "P", 204), "Kasi Dua", ""],
    ]
    return register(tmp_path, rows), first, second


def test_per_village_protected_and_the_monthly_cost_of_the_rest(the_register):
    target_list, first, second = the_register
    found = {village.code: village for village in village_officials(target_list, on=TODAY)}
    assert (len(found[first.code].officials), len(found[first.code].protected)) == (3, 1)
    assert (len(found[second.code].officials), len(found[second.code].protected)) == (2, 0)
    period = Period(TODAY.year, TODAY.month)
    # The secretary's own income; the kaur at the lowest siltap of other officials (PP 11/2019).
    assert found[first.code].monthly_cost == monthly_contribution(2_500_000, period) + monthly_contribution(
        SILTAP_OTHERS, period
    )
    assert monthly_contribution(SILTAP_OTHERS, period) > 0
    # Villages with the most unprotected officials first.
    assert [village.code for village in village_officials(target_list, on=TODAY)] == [second.code, first.code]


def test_the_letter_names_the_unprotected_with_nik_masked_the_cost_and_the_law(the_register, siak_operator, login):
    target_list, first, _second = the_register
    response = login(siak_operator).get(f"/sasaran/{target_list.pk}/perangkat/{first.code}/surat.pdf")
    assert response.status_code == 200
    text = " ".join("".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert "Sekdes Satu" in text
    assert "Kaur Satu" in text
    assert "Kepala Desa" in text
    assert "Permendagri 20/2018" in text
    nik = make_nik("14.08.06", date(1980, 1, 1), "L", 201)
    assert nik not in text
    assert f"{nik[:4]}********{nik[-4:]}" in text
    assert f"Desa {first.name}" in text
