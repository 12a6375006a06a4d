"""Every kind of write keeps the rollups equal to a fresh rebuild; refreshes go month by month and resume."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.contributions.ledger import ledger_for
from lindung.contributions.models import Payment
from lindung.contributions.payments import Payer, payment_match, payment_record, payment_reverse, statement_import
from lindung.contributions.services import billing_run
from lindung.monitoring.models import CoverageRollup, RollupWindow
from lindung.monitoring.rollups import refresh_rollups
from lindung.monitoring.tests.test_rollups import TODAY, a_region_with_members, rebuilt, snapshot
from lindung.registry.imports import import_file
from lindung.registry.models import Membership
from lindung.registry.services import membership_change, membership_end
from lindung.registry.tests.factories import sponsor
from lindung.registry.tests.test_import import siak_rows, write_csv
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed():
    """The shared region with members, and rollups built over its months."""
    members = a_region_with_members()
    refresh_rollups(first=Period(2026, 1), today=TODAY)
    return members


def test_a_change_of_terms_moves_the_member_between_breakdowns(followed):
    membership = followed.pemda.memberships.order_by("pk").first()
    before = snapshot()

    membership_change(
        actor=None,
        membership=membership,
        effective_from=date(2026, 2, 1),
        changes={"category": "penyelenggara_pemilu", "work_village": "14.08.06.2001"},
    )

    after = snapshot()
    assert after != before
    assert after == rebuilt()


def test_ending_a_membership_takes_it_out_of_the_months_after(followed):
    membership = followed.pemdes.memberships.order_by("pk").first()
    before = snapshot()

    membership_end(actor=None, membership=membership, ends_on=date(2026, 1, 31), today=TODAY)

    after = snapshot()
    months = ("2026-01", "2026-02", "2026-03")
    assert [registered_nationally(before, m) - registered_nationally(after, m) for m in months] == [0, 1, 1]
    assert after == rebuilt()


def registered_nationally(figures, month):
    return figures[0][("", month, "", "")][0]


def test_an_import_of_new_and_changed_rows(followed, tmp_path):
    rows = siak_rows(20)
    import_file(actor=None, sponsor=followed.pemda, path=write_csv(tmp_path / "a.csv", rows), dry_run=False)
    assert snapshot() == rebuilt()

    rows[0]["upah"] = 4_500_000
    rows[1]["kategori"] = "honorer"
    import_file(actor=None, sponsor=followed.pemda, path=write_csv(tmp_path / "b.csv", rows), dry_run=False)
    assert snapshot() == rebuilt()


def test_a_billing_run_over_everything_and_over_one_sponsor(followed):
    billing_run(actor=None, period="2026-04", today=TODAY)
    assert snapshot() == rebuilt()

    membership = followed.pemda.memberships.order_by("pk").first()
    membership_change(actor=None, membership=membership, effective_from=date(2026, 3, 1), changes={"wage": 5_000_000})
    billing_run(actor=None, period="2026-03", sponsor=followed.pemda, today=TODAY)
    assert snapshot() == rebuilt()


def test_paying_everything_then_reversing_it(followed):
    owed = ledger_for(Q(sponsor=followed.pemdes)).outstanding
    payment = payment_record(actor=None, payer=Payer(sponsor=followed.pemdes), paid_on=date(2026, 4, 2), amount=owed)
    paid = snapshot()
    assert paid == rebuilt()

    payment_reverse(actor=None, payment=payment, reason="Salah transfer", on=date(2026, 4, 3))
    reversed_ = snapshot()
    assert reversed_ != paid
    assert reversed_ == rebuilt()


def test_matching_a_bank_line_to_its_sponsor(followed):
    officer = User.objects.create(username="cabang-test", role=Role.ADMIN)
    owed = ledger_for(Q(sponsor=followed.pemdes)).outstanding
    content = f"tanggal;jumlah;keterangan;rekening\n05/04/2026;{owed};transfer APBDes;1234567890\n".encode()
    statement_import(actor=officer, content=content, file_name="mutasi.csv", region_code="14")
    assert snapshot() == rebuilt()

    payment = Payment.objects.get(statement__isnull=False)
    payment_match(actor=officer, payment=payment, sponsor=followed.pemdes)
    assert snapshot() == rebuilt()


def test_a_sponsor_with_thousands_of_members(tmp_path):
    big = sponsor()
    rows = siak_rows(2_000, seed=7)
    import_file(actor=None, sponsor=big, path=write_csv(tmp_path / "big.csv", rows), dry_run=False, today=TODAY)
    for month in ("2026-01", "2026-02"):
        billing_run(actor=None, period=month, today=TODAY)
    refresh_rollups(first=Period(2026, 1), today=TODAY)

    january = ledger_for(Q(sponsor=big)).invoices[0]
    payment_record(actor=None, payer=Payer(sponsor=big), paid_on=date(2026, 2, 10), amount=january.total)
    membership = Membership.objects.filter(sponsor=big).order_by("pk")[0]
    membership_end(actor=None, membership=membership, ends_on=date(2026, 1, 31), today=TODAY)
    billing_run(actor=None, period="2026-03", sponsor=big, today=TODAY)

    after = snapshot()
    assert after[0][("", "2026-01", "", "")][:2] == (2_000, 2_000)
    assert after == rebuilt()


def test_a_refresh_of_one_month_equals_that_month_of_a_full_rebuild(followed):
    full = snapshot()
    CoverageRollup.objects.filter(period="2026-02").update(registered=0, active=0)  # damaged

    refresh_rollups(first=Period(2026, 2), last=Period(2026, 2), today=TODAY)

    def february(figures):
        return {key: value for key, value in figures.items() if key[1] == "2026-02"}

    assert (february(snapshot()[0]), february(snapshot()[1])) == (february(full[0]), february(full[1]))


def test_an_interrupted_refresh_resumes_where_it_stopped_and_ends_equal(followed):
    full = snapshot()
    CoverageRollup.objects.all().delete()

    class Stopped(Exception):
        pass

    def stop_after_two(month, outcome):
        if len(outcome.months) == 2:
            raise Stopped

    with pytest.raises(Stopped):
        refresh_rollups(first=Period(2026, 1), today=TODAY, progress=stop_after_two)
    assert RollupWindow.objects.get().next_period == "2026-03"  # January and February are done

    resumed = refresh_rollups(resume=True)

    assert resumed.months == ["2026-03", "2026-04"]
    assert RollupWindow.objects.get().next_period == ""
    assert snapshot() == full


def test_large_changes_are_applied_set_based_and_stay_exact(followed, monkeypatch, tmp_path):
    """Past SET_BASED_FROM changed facts the difference goes through a temporary table: here, always."""
    from lindung.monitoring import rollups

    monkeypatch.setattr(rollups, "SET_BASED_FROM", 0)
    owed = ledger_for(Q(sponsor=followed.pemdes)).outstanding
    payment = payment_record(actor=None, payer=Payer(sponsor=followed.pemdes), paid_on=date(2026, 4, 2), amount=owed)
    assert snapshot() == rebuilt()

    payment_reverse(actor=None, payment=payment, reason="Salah transfer", on=date(2026, 4, 3))
    import_file(actor=None, sponsor=followed.pemda, path=write_csv(tmp_path / "a.csv", siak_rows(20)), dry_run=False)
    billing_run(actor=None, period="2026-04", today=TODAY)
    assert snapshot() == rebuilt()
