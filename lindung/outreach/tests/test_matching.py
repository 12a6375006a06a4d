"""Matching a target list (issue 22): a generated list with a known answer for every class, counted
in people and households, per kecamatan, village and decile; uploading it again adds nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from lindung.contributions.models import Invoice
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.services import billing_run
from lindung.outreach import selectors, services
from lindung.outreach.models import ListStatus, TargetClass, TargetEntry, TargetList
from lindung.outreach.tests.helpers import upload, write_list
from lindung.regions.models import Region
from lindung.registry.models import Person
from lindung.registry.nik import make_nik
from lindung.registry.tests.factories import self_paying_bpu
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db

# Matching runs as a job against today's registry: the registry is built around the real today.
TODAY = timezone.localdate()
LAST_MONTH = Period(TODAY.year, TODAY.month).shifted(-1)
STARTED = str(LAST_MONTH.shifted(-1).first_day)
DAYUN, KOTO_GASIB = "14.08.06", "14.08.01"


def village(district: str, index: int = 0) -> Region:
    return Region.objects.filter(code__startswith=f"{district}.", level=4).order_by("code")[index]


def row(nik, kk, name, born, sex, place, decile, **extra):
    return [nik, kk, name, born.strftime("%d-%m-%Y"), sex, place.code if place else "", "", "", decile,
            extra.get("status", "Miskin"), "Bekerja", extra.get("job", "Petani")]  # fmt: skip


@pytest.fixture
def registry_today():
    """Five people in the registry: two paid for June (protected now), one billed and unpaid, one
    deceased, one registered with an ended membership."""
    born = date(1990, 5, 17)
    paid = [self_paying_bpu(serial, starts_on=STARTED, today=TODAY) for serial in (1, 2)]
    unpaid = self_paying_bpu(3, starts_on=STARTED, today=TODAY)
    deceased = self_paying_bpu(4, starts_on=STARTED, today=TODAY)
    Person.objects.filter(pk=deceased.person_id).update(died_on=LAST_MONTH.first_day)
    billing_run(actor=None, period=str(LAST_MONTH), today=TODAY)
    for membership in paid:
        pay_in_full(membership.person)
    return {"paid": paid, "unpaid": unpaid, "deceased": deceased, "born": born}


def pay_in_full(person: Person) -> None:
    """Pay the person's invoice for last month, whatever the rules in force made it."""
    invoice = Invoice.objects.get(person=person, period=str(LAST_MONTH))
    payment_record(actor=None, payer=Payer(person=person), paid_on=TODAY, amount=invoice.total)


def known_list(tmp_path: Path, registry: dict) -> tuple[Path, dict[TargetClass, int]]:
    dayun_a, dayun_b, koto = village(DAYUN, 0), village(DAYUN, 1), village(KOTO_GASIB, 0)
    dumai = village("14.72", 0)
    born = registry["born"]
    kk = lambda n: f"1408060101{n:06d}"  # noqa: E731
    new = [make_nik(DAYUN, date(1985, 1, 1 + n), "P", 100 + n) for n in range(5)]
    rows = [
        # protected now: the two paid BPU members (same household)
        row(registry["paid"][0].person.nik, kk(1), "Paid One", born, "L", dayun_a, 1),
        row(registry["paid"][1].person.nik, kk(1), "Paid Two", born, "L", dayun_a, 1),
        # registered, not protected
        row(registry["unpaid"].person.nik, kk(2), "Unpaid", born, "L", dayun_b, 2),
        # deceased
        row(registry["deceased"].person.nik, kk(3), "Gone", born, "L", dayun_b, 2),
        # not registered: five women, three households, in two kecamatan
        row(new[0], kk(4), "New A", date(1985, 1, 1), "P", dayun_a, 1),
        row(new[1], kk(4), "New B", date(1985, 1, 2), "P", dayun_a, 1),
        row(new[2], kk(5), "New C", date(1985, 1, 3), "P", koto, 2),
        row(new[3], "", "New D", date(1985, 1, 4), "P", koto, 3),
        row(new[4], kk(6), "New E", date(1985, 1, 5), "P", koto, ""),
        # duplicate of New A
        row(new[0], kk(4), "New A again", date(1985, 1, 1), "P", dayun_a, 1),
        # invalid: too short; and a man's NIK given as a woman's
        row("140806123", kk(7), "Short", born, "L", dayun_a, 1),
        row(make_nik(DAYUN, born, "L", 900), kk(7), "Wrong sex", born, "P", dayun_a, 1),
        # outside: a village of Dumai
        row(make_nik("14.72.01", born, "L", 901), kk(8), "Dumai", born, "L", dumai, 1),
        # no NIK: not an entry at all
        ["", kk(9), "Nobody", "", "", "", "", "", "", "", "", ""],
    ]
    expected = {
        TargetClass.PROTECTED: 2, TargetClass.REGISTERED: 1, TargetClass.DECEASED: 1,
        TargetClass.NOT_REGISTERED: 5, TargetClass.DUPLICATE: 1, TargetClass.INVALID: 2, TargetClass.OUTSIDE: 1,
    }  # fmt: skip
    return write_list(tmp_path / "dtks-siak.xlsx", rows), expected


def test_every_class_is_counted_exactly_in_people_and_households(tmp_path, siak_operator, registry_today):
    path, expected = known_list(tmp_path, registry_today)
    target_list, created = upload(siak_operator, path)

    assert created
    assert target_list.status == ListStatus.DONE
    figures = selectors.class_figures(target_list)
    assert {outcome: figure.people for outcome, figure in figures.items()} == expected
    assert target_list.summary["rows"] == 13
    assert target_list.summary["skipped"] == 1
    # Households: the two paid share one card; the five new fill three cards and one without a card.
    assert figures[TargetClass.PROTECTED].households == 1
    assert figures[TargetClass.NOT_REGISTERED].households == 4
    to_protect = selectors.to_protect_figure(target_list)
    assert (to_protect.people, to_protect.households) == (6, 5)
    # Why an entry is invalid is kept for the office.
    wrong_sex = TargetEntry.objects.get(target_list=target_list, name="Wrong sex")
    assert "jenis kelamin" in wrong_sex.problem_text.lower() or "sex" in wrong_sex.problem_text.lower()
    # The stored file is gone once read: the entries are the only copy.
    assert not target_list.stored_path


def test_breakdowns_per_kecamatan_village_and_decile(tmp_path, siak_operator, registry_today):
    path, _expected = known_list(tmp_path, registry_today)
    target_list, _created = upload(siak_operator, path)

    districts = {group.key: group for group in selectors.breakdown(target_list, "district")}
    assert districts[DAYUN].people(TargetClass.NOT_REGISTERED) == 2
    assert districts[DAYUN].to_protect.people == 3  # New A, New B and the unpaid member
    assert districts[DAYUN].to_protect.households == 2
    assert districts[KOTO_GASIB].people(TargetClass.NOT_REGISTERED) == 3
    assert districts[KOTO_GASIB].to_protect.households == 3
    assert sum(group.total.people for group in districts.values()) == 13

    villages = {group.key: group for group in selectors.breakdown(target_list, "village")}
    dayun_a = village(DAYUN, 0).code
    assert villages[dayun_a].people(TargetClass.PROTECTED) == 2
    assert villages[dayun_a].label == village(DAYUN, 0).name

    deciles = {group.key: group for group in selectors.breakdown(target_list, "decile")}
    assert deciles["1"].to_protect.people == 2
    assert deciles["2"].to_protect.people == 2  # New C and the unpaid member
    assert deciles["3"].to_protect.people == 1
    assert deciles[""].to_protect.people == 1  # New E wrote no decile
    assert list(deciles)[-1] == ""  # "no decile" comes last


def test_uploading_the_same_list_again_creates_nothing(tmp_path, siak_operator, registry_today):
    path, _expected = known_list(tmp_path, registry_today)
    first, _created = upload(siak_operator, path)
    entries = TargetEntry.objects.count()

    again, created = upload(siak_operator, path)
    assert (again.pk, created) == (first.pk, False)
    assert TargetList.objects.count() == 1

    # The same rows saved again by a spreadsheet program (other bytes): recognised after reading.
    from openpyxl import load_workbook

    book = load_workbook(path)
    resaved = tmp_path / "dtks-siak-disimpan-ulang.xlsx"
    book.save(resaved)
    copy, created = upload(siak_operator, resaved)
    assert copy.status == ListStatus.SAME
    assert copy.same_as_id == first.pk
    assert TargetEntry.objects.count() == entries


def test_matching_again_sees_who_became_protected(tmp_path, siak_operator, registry_today):
    path, _expected = known_list(tmp_path, registry_today)
    target_list, _created = upload(siak_operator, path)
    unpaid = registry_today["unpaid"]
    pay_in_full(unpaid.person)

    counts = services.target_list_rematch(actor=siak_operator, target_list=target_list)
    assert counts[TargetClass.PROTECTED] == 3
    assert counts[TargetClass.REGISTERED] == 0
