"""Our own spreadsheets never carry a live formula from user text (CSV/formula injection)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from lindung.claims.models import PayoutBatch
from lindung.claims.tests.test_pages import approved_claim, branch  # noqa: F401 (fixture)
from lindung.contributions.models import Invoice
from lindung.contributions.services import billing_run
from lindung.core.exports import neutral
from lindung.registry.enrolment import Problem
from lindung.registry.imports import error_report
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x","klik")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_is_prefixed(start):
    assert neutral(f"{start}1+1") == f"'{start}1+1"
    assert neutral("Budi") == "Budi"
    assert neutral(-5) == -5


def _cells(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(content: bytes) -> list[str]:
    cells = _cells(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []  # type: ignore[attr-defined]
    return [str(cell.value) for cell in cells if cell.value is not None]  # type: ignore[attr-defined]


def test_the_invoice_workbook_shows_a_formula_like_name_as_text(siak_operator, login):
    siak = sponsor()
    enrol(siak, 1, name=FORMULA, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    invoice = Invoice.objects.get()

    values = _assert_no_formula(login(siak_operator).get(f"/iuran/tagihan/{invoice.pk}/tagihan.xlsx").content)

    assert f"'{FORMULA}" in values


def test_the_payout_register_and_transfer_file_show_a_formula_like_heir_as_text(branch, login):  # noqa: F811
    membership = enrol(
        sponsor(), 1, wage="3.000.000", programs="jkk,jkm", starts_on="2024-01-01", today=date(2024, 1, 1)
    )
    membership.person.relatives.create(relation="spouse", name=FORMULA, birth_date=date(1991, 1, 1))
    approved_claim(membership, branch)
    client = login(branch[0])

    values = _assert_no_formula(client.get("/klaim/pembayaran.xlsx").content)
    client.post("/klaim/pembayaran/batch/", {"region": "14"})
    batch = PayoutBatch.objects.get()
    transfer = list(
        csv.reader(
            io.StringIO(client.post(f"/klaim/pembayaran/batch/{batch.pk}/berkas/").content.decode()), delimiter=";"
        )
    )

    assert f"'{FORMULA}" in values
    assert transfer[1][2] == f"'{FORMULA}"


def test_the_import_error_report_shows_a_formula_like_cell_as_text(tmp_path):
    path = tmp_path / "report.xlsx"
    error_report([Problem(2, "nik", f"NIK {FORMULA} tidak sah.", "=1+1")], path)

    values = _assert_no_formula(path.read_bytes())

    assert "'=1+1" in values
