"""What a selection of a target list costs (issue 22): the same figures as the budget planner for
the same inputs, and the selection by class, decile, kecamatan and age."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lindung.contributions.planner import Phase, budget_plan, plan_query
from lindung.outreach.selection import Selection, selection_cost, selection_size
from lindung.outreach.tests.helpers import upload, write_list
from lindung.registry.nik import make_nik

pytestmark = pytest.mark.django_db
ON = date(2026, 12, 1)
DAYUN, KOTO_GASIB = "14.08.06", "14.08.01"


def entry(serial: int, born: date, district: str, village: str, decile: int | str, birth_written: bool = True):
    nik = make_nik(district, born, "P", serial)
    return [nik, f"14080{serial:011d}", f"Ibu {serial}", born.strftime("%d-%m-%Y") if birth_written else "", "P",
            village, "", "", decile, "Miskin", "Bekerja", "Petani"]  # fmt: skip


@pytest.fixture
def target_list(tmp_path, siak_operator):
    rows = [
        entry(1, date(1990, 1, 1), DAYUN, "14.08.06.2001", 1),
        entry(2, date(1990, 1, 2), DAYUN, "14.08.06.2001", 2),
        entry(3, date(1990, 1, 3), DAYUN, "14.08.06.2001", 3),
        entry(4, date(1950, 1, 4), DAYUN, "14.08.06.2001", 1),  # 76: past working age
        entry(5, date(2015, 1, 5), DAYUN, "14.08.06.2001", 1),  # 11: a child
        entry(6, date(1985, 6, 6), KOTO_GASIB, "14.08.01.2001", 1, birth_written=False),  # age from the NIK
        entry(7, date(1985, 6, 7), KOTO_GASIB, "14.08.01.2001", 2),
    ]
    created, _new = upload(siak_operator, write_list(tmp_path / "dtks.xlsx", rows))
    return created


def test_a_selection_by_decile_kecamatan_and_working_age(target_list):
    everyone = Selection()
    assert selection_size(target_list, everyone, on=ON) == (7, 7)
    working_age = Selection(min_age=15, max_age=64)
    assert selection_size(target_list, working_age, on=ON)[0] == 5
    poorest = Selection(deciles=(1, 2), min_age=15, max_age=64)
    assert selection_size(target_list, poorest, on=ON)[0] == 4  # 1, 2, 6 (born per its NIK) and 7
    dayun_poorest = Selection(deciles=(1, 2), districts=(DAYUN,), min_age=15, max_age=64)
    assert selection_size(target_list, dayun_poorest, on=ON)[0] == 2


def test_the_cost_of_a_selection_equals_the_budget_planners(target_list):
    selection = Selection(deciles=(1, 2), min_age=15, max_age=64)
    costing = selection_cost(target_list, selection, on=ON, start="2027-01", programs=["jkk", "jkm"], months=12)
    planner = budget_plan(
        plan_query(start="2027-01", segment="bpu", programs=["jkk", "jkm"], amount=1_000_000, risk_class=None,
                   funding="apbd"),
        [Phase(plan_query(start="2027-01", segment="bpu", programs=["jkk"], amount=1, risk_class=None,
                          funding="apbd").period, 4)],
        months=12,
    )  # fmt: skip
    assert costing.plan is not None
    assert costing.plan.total == planner.total > 0
    assert [row.total for row in costing.plan.rows] == [row.total for row in planner.rows]

    phased = selection_cost(
        target_list, selection, on=ON, start="2027-01", programs=["jkk", "jkm", "jht"], phases="2027-01 2\n2027-07 4",
        ceiling=1_000_000,
    )  # fmt: skip
    assert phased.plan is not None
    assert [row.members for row in phased.plan.rows][:7] == [2, 2, 2, 2, 2, 2, 4]
    assert phased.plan.over_ceiling == phased.plan.total - 1_000_000


def test_the_page_shows_the_planners_total(target_list, siak_operator, login):
    client = login(siak_operator)
    terms = {"programs": ["jkk", "jkm"], "start": "2027-01", "months": "12", "income": "1.000.000", "segment": "bpu",
             "funding": "apbd"}  # fmt: skip
    selected = client.get(
        f"/sasaran/{target_list.pk}/pilih/", {**terms, "classes": ["belum_terdaftar"], "deciles": ["1", "2"],
                                              "min_age": "15", "max_age": "64"}
    ).content.decode()  # fmt: skip
    planned = client.get("/iuran/rencana-anggaran/", {**terms, "wage": "1.000.000", "phases": "2027-01 4"})
    total = re.compile(r'id="plan-total">([^<]+)<')
    assert 'id="selection-size"><strong>4</strong>' in selected
    mine, planners = total.search(selected), total.search(planned.content.decode())
    assert mine is not None
    assert planners is not None
    assert mine.group(1) == planners.group(1)
