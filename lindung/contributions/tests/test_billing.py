"""Billing runs: exact lines from the rules in force each month, idempotence, corrections, scope, CLI.

Expected amounts are worked by hand from ../shared/domain/rules.md, not by calling the rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from lindung.contributions.models import BankStatement, Invoice, InvoiceLine, LineKind, Payment
from lindung.contributions.services import billing_run
from lindung.registry import services as registry
from lindung.registry.models import Membership
from lindung.registry.tests.factories import DUMAI, enrol, self_paying_bpu, sponsor

pytestmark = pytest.mark.django_db


def lines_of(membership: Membership, period: str) -> dict[str, list[tuple[str, int]]]:
    """program -> [(kind, amount)] in the order written."""
    found: dict[str, list[tuple[str, int]]] = {}
    for line in InvoiceLine.objects.filter(membership=membership, period=period).order_by("id"):
        found.setdefault(line.program, []).append((line.kind, line.amount))
    return found


def test_pu_member_is_billed_each_program_by_the_rules_of_the_month_with_the_jp_cap_change_in_march():
    siak = sponsor()
    member = enrol(siak, 1, wage="12.000.000", programs="jkk,jkm,jht,jp")
    billing_run(actor=None, period="2026-02")
    billing_run(actor=None, period="2026-03")

    # JKK class 1 0.24%, JKM 0.30%, JHT 5.7%; JP 3% of the wage capped at 10,547,400 (from Mar 2025)
    # then 11,086,300 (from Mar 2026).
    assert lines_of(member, "2026-02") == {
        "jkk": [("iuran", 28_800)],
        "jkm": [("iuran", 36_000)],
        "jht": [("iuran", 684_000)],
        "jp": [("iuran", 316_422)],
    }
    assert lines_of(member, "2026-03")["jp"] == [("iuran", 332_589)]
    jp_march = InvoiceLine.objects.get(membership=member, period="2026-03", program="jp")
    assert (jp_march.basis, jp_march.rate, jp_march.employer_share, jp_march.worker_share) == (
        11_086_300,
        Decimal("0.03"),
        221_726,
        110_863,
    )
    assert "PP 45/2015" in jp_march.legal_basis
    assert jp_march.rules_version
    invoice = Invoice.objects.get(sponsor=siak, period="2026-02")
    # PU is due on the 15th of the next month; 15 March 2026 is a Sunday.
    assert (invoice.number, invoice.due_date, invoice.region_id) == (
        f"TAG/2026-02/S{siak.pk}",
        date(2026, 3, 16),
        "14.08",
    )


def test_a_second_run_writes_nothing_and_a_wage_change_adds_correction_lines_only():
    siak = sponsor()
    member = enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    _run, first = billing_run(actor=None, period="2026-03")
    assert (first.invoices_created, first.lines, first.amount) == (1, 2, 7_200 + 9_000)

    _run, again = billing_run(actor=None, period="2026-03")
    assert (again.invoices_created, again.lines, again.amount) == (0, 0, 0)

    billed = list(InvoiceLine.objects.filter(membership=member).values_list("id", "amount"))
    registry.membership_change(
        actor=None, membership=member, effective_from=date(2026, 3, 1), changes={"wage": "4.000.000"}
    )
    _run, corrected = billing_run(actor=None, period="2026-03")
    # 4,000,000: JKK 9,600 (+2,400), JKM 12,000 (+3,000).
    assert (corrected.lines, corrected.corrections, corrected.amount) == (2, 2, 5_400)
    assert lines_of(member, "2026-03") == {
        "jkk": [("iuran", 7_200), ("koreksi", 2_400)],
        "jkm": [("iuran", 9_000), ("koreksi", 3_000)],
    }
    assert list(InvoiceLine.objects.filter(id__in=[i for i, _ in billed]).values_list("id", "amount")) == billed


def test_a_membership_ended_before_the_period_gets_its_billed_lines_reversed():
    siak = sponsor()
    member = enrol(siak, 1, wage="3.000.000", programs="jkk,jkm")
    billing_run(actor=None, period="2026-03")
    Membership.objects.filter(pk=member.pk).update(ends_on=date(2026, 2, 28))

    _run, outcome = billing_run(actor=None, period="2026-03")
    assert (outcome.corrections, outcome.amount) == (2, -16_200)
    assert lines_of(member, "2026-03") == {
        "jkk": [("iuran", 7_200), ("koreksi", -7_200)],
        "jkm": [("iuran", 9_000), ("koreksi", -9_000)],
    }
    _run, again = billing_run(actor=None, period="2026-03")
    assert again.lines == 0


def test_self_paying_bpu_is_billed_on_its_own_invoice_with_pp50_relief_from_april_2026():
    member = self_paying_bpu()
    billing_run(actor=None, period="2026-03")
    billing_run(actor=None, period="2026-04")
    # Lowest band: JKK 10,000 + JKM 6,800 = 16,800; PP 50/2025 halves it to 8,400 for other sectors from April.
    assert sum(amount for rows in lines_of(member, "2026-03").values() for _kind, amount in rows) == 16_800
    assert sum(amount for rows in lines_of(member, "2026-04").values() for _kind, amount in rows) == 8_400
    april = Invoice.objects.get(person=member.person, period="2026-04")
    # BPU is due on the 15th of the same month.
    assert (april.number, april.due_date, april.sponsor_id) == (
        f"TAG/2026-04/P{member.person_id}",
        date(2026, 4, 15),
        None,
    )
    assert "PP 50/2025" in InvoiceLine.objects.filter(invoice=april, program="jkk").get().legal_basis


def test_a_region_run_bills_only_that_region_and_an_operator_only_their_own(siak_operator):
    siak, dumai = sponsor(), sponsor("Pemerintah Kota Dumai", region=DUMAI)
    enrol(siak, 1)
    enrol(dumai, 2, category="pekerja_rentan", segment="bpu", risk_class="")
    billing_run(actor=None, period="2026-03", region_code=DUMAI)
    assert list(Invoice.objects.values_list("sponsor_id", flat=True)) == [dumai.pk]

    with pytest.raises(PermissionDenied):
        billing_run(actor=siak_operator, period="2026-03", region_code=DUMAI)
    billing_run(actor=siak_operator, period="2026-03")
    assert sorted(Invoice.objects.values_list("sponsor_id", flat=True)) == sorted([siak.pk, dumai.pk])


def test_the_cli_prints_a_summary_in_indonesian_and_refuses_a_bad_period_with_exit_code_2():
    enrol(sponsor(), 1, wage="3.000.000", programs="jkk,jkm")
    out = StringIO()
    call_command("bill", period="2026-03", stdout=out, stderr=StringIO())
    assert (
        out.getvalue().strip()
        == "Periode 2026-03: 1 tagihan baru, 2 baris rincian (0 koreksi, 0 denda), jumlah Rp16.200."
    )
    out = StringIO()
    call_command("bill", period="2026-03", stdout=out, stderr=StringIO())
    assert "Tidak ada yang berubah" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("bill", period="2026-13", stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("period:")


def test_billed_lines_cannot_be_edited():
    from lindung.contributions.models import AppendOnlyError

    enrol(sponsor(), 1)
    billing_run(actor=None, period="2026-03")
    line = InvoiceLine.objects.filter(kind=LineKind.CONTRIBUTION).first()
    assert line is not None
    line.amount = 1
    with pytest.raises(AppendOnlyError):
        line.save()


def test_bench_billing_bills_its_members_and_leaves_no_lines_behind():
    from lindung.contributions.bench import bench_billing

    result = bench_billing(members=30, period="2026-06", statement_rows=40)
    assert (result["members"], result["lines"]) == (30, 60)  # BPU: JKK and JKM lines
    assert result["floor_lines_per_second"] > 0
    assert (result["statement_rows"], result["statement_matched"]) == (40, 20)
    assert not Payment.objects.exists()
    assert not BankStatement.objects.exists()
    assert not InvoiceLine.objects.exists()
    assert not Invoice.objects.exists()
