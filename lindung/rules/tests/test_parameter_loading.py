"""The dated data as loaded: entries and relief windows whole, the checks that keep a bad edit of the
YAML from loading, and the dates around a value whose first day is itself unconfirmed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lindung.rules.parameters import Entry, Window, _parameter, _windows, rulebook, unconfirmed_note
from lindung.rules.tests.helpers import ENGLISH
from lindung.rules.text import Bilingual, render

PP82_REMARK = Bilingual(
    id="PP 82/2019 berlaku awal Desember 2019; tanggal pastinya belum terkonfirmasi (dipakai 2 Desember).",
    en="PP 82/2019 took effect in early December 2019; the exact day is unconfirmed (2 December is used).",
)


def test_a_relief_window_loads_whole():
    (window,) = rulebook().windows["pp49_2020"]
    assert window == Window(
        key="pp49_2020",
        title=Bilingual(id="Relaksasi iuran PP 49/2020", en="PP 49/2020 contribution relief"),
        first=date(2020, 8, 1),
        last=date(2021, 1, 1),
        value={"jkk_jkm_factor": "0.01", "due_day": 30, "penalty_rate": "0.005"},
        basis="PP 49/2020",
        confirmed=True,
        remark=None,
    )
    assert window.covers(date(2020, 8, 1))
    assert window.covers(date(2021, 1, 1))
    assert not window.covers(date(2020, 7, 1))
    assert not window.covers(date(2021, 2, 1))


def test_an_entry_loads_whole_and_its_unsure_first_day_is_flagged_until_the_date_given():
    parameter = rulebook().parameters["jkk.home_care"]
    entry = parameter.entries[0]
    assert entry == Entry(
        key="jkk.home_care",
        title=Bilingual(id="Perawatan di rumah (homecare) JKK", en="JKK home care"),
        starts=date(2019, 12, 2),
        value={"months": 12, "max_amount": 20_000_000},
        basis="PP 82/2019 Lampiran III",
        confirmed=True,
        remark=PP82_REMARK,
        start_unconfirmed_until=date(2019, 12, 31),
    )
    assert parameter.at(date(2019, 12, 31), field="x").confirmed is False
    assert parameter.at(date(2020, 1, 1), field="x").confirmed is True
    assert parameter.at(date(2020, 1, 1), field="x") is entry


def test_the_unconfirmed_note_names_the_value_its_start_and_basis():
    entry = rulebook().parameters["bpu.income_bands"].entries[0]
    assert render(unconfirmed_note(entry), ENGLISH) == (
        "Unconfirmed value: BPU income bands (from 2015-07-01, PP 44/2015 Lampiran II). Check it before relying on"
        " it. Only the lowest and highest nominals are confirmed; the Rp100,000 steps between are not."
    )
    (window,) = rulebook().windows["pp49_2020"]
    assert render(unconfirmed_note(window), ENGLISH) == (
        "Unconfirmed value: PP 49/2020 contribution relief (from 2020-08-01, PP 49/2020)."
        " Check it before relying on it."
    )


TITLE = {"id": "Uji", "en": "Test"}


def entry(**changes):
    return {"from": date(2020, 1, 1), "value": "0.01", "basis": "PP 1/2020", "status": "C", **changes}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"title": TITLE, "entries": [entry(value=0.01)]}, "k[0]: write 0.01 as a quoted string; floats are not exact"),
        (
            {"title": TITLE, "entries": [entry(value={"a": {"b": 0.5}})]},
            "k[0].a.b: write 0.5 as a quoted string; floats are not exact",
        ),
        (
            {"title": TITLE, "entries": [entry(value=["1", 2.5])]},
            "k[0][1]: write 2.5 as a quoted string; floats are not exact",
        ),
        ({"title": TITLE, "entries": [entry(status="X")]}, "k[0]: status must be C (confirmed) or U (unconfirmed)"),
        ({"title": TITLE, "entries": [entry(status=None)]}, "k[0]: status must be C (confirmed) or U (unconfirmed)"),
        ({"title": {"id": "Uji"}, "entries": [entry()]}, "k: title and remark need both 'id' and 'en'"),
        ({"title": "Uji", "entries": [entry()]}, "k: title and remark need both 'id' and 'en'"),
        (
            {"title": TITLE, "entries": [entry(remark={"en": "x"})]},
            "k[0]: title and remark need both 'id' and 'en'",
        ),
        (
            {"title": TITLE, "entries": [entry(**{"from": date(2021, 1, 1)}), entry()]},
            "k: entries must be in date order without repeated dates",
        ),
        (
            {"title": TITLE, "entries": [entry(), entry()]},
            "k: entries must be in date order without repeated dates",
        ),
    ],
)
def test_a_bad_parameter_does_not_load(raw, message):
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        _parameter("k", raw)
    assert str(refused.value) == message


def test_a_good_parameter_loads_with_its_statuses_and_remarks():
    parameter = _parameter(
        "k",
        {
            "title": TITLE,
            "entries": [
                entry(status="U", remark={"id": "catatan", "en": "note"}),
                entry(**{"from": date(2021, 1, 1), "start_unconfirmed_until": date(2021, 1, 31)}, basis=45),
            ],
        },
    )
    first, second = parameter.entries
    assert (first.confirmed, first.remark, first.start_unconfirmed_until) == (False, Bilingual("catatan", "note"), None)
    assert (second.confirmed, second.remark, second.basis, second.start_unconfirmed_until) == (
        True,
        None,
        "45",
        date(2021, 1, 31),
    )
    assert parameter.title == Bilingual("Uji", "Test")
    assert parameter.key == "k"
    assert [(e.key, e.title, e.value, e.starts) for e in parameter.entries] == [
        ("k", Bilingual("Uji", "Test"), "0.01", date(2020, 1, 1)),
        ("k", Bilingual("Uji", "Test"), "0.01", date(2021, 1, 1)),
    ]


def test_windows_load_and_refuse_floats_and_bad_statuses():
    (window,) = _windows(
        "w",
        {"title": TITLE, "windows": [{"first": date(2020, 1, 1), "last": date(2020, 3, 1), "basis": 7, "status": "U"}]},
    )
    assert window == Window("w", Bilingual("Uji", "Test"), date(2020, 1, 1), date(2020, 3, 1), {}, "7", False, None)
    (valued,) = _windows(
        "w",
        {
            "title": TITLE,
            "windows": [
                {
                    "first": date(2020, 1, 1),
                    "last": date(2020, 1, 1),
                    "value": {"f": "0.5"},
                    "basis": "x",
                    "status": "C",
                    "remark": {"id": "a", "en": "b"},
                }
            ],
        },
    )
    assert (valued.value, valued.remark, valued.confirmed) == ({"f": "0.5"}, Bilingual("a", "b"), True)
    with pytest.raises(ValueError, match=r"^w: title and remark need both 'id' and 'en'$"):
        _windows("w", {"title": {"id": "x"}, "windows": []})
    with pytest.raises(ValueError, match=r"^w\[0\]\.f: write 0\.5 as a quoted string"):
        _windows(
            "w",
            {
                "title": TITLE,
                "windows": [
                    {
                        "first": date(2020, 1, 1),
                        "last": date(2020, 1, 1),
                        "value": {"f": 0.5},
                        "basis": "x",
                        "status": "C",
                    }
                ],
            },
        )
    with pytest.raises(ValueError, match=r"^w\[0\]: status must be C"):
        _windows(
            "w", {"title": TITLE, "windows": [{"first": date(2020, 1, 1), "last": date(2020, 1, 1), "basis": "x"}]}
        )
    with pytest.raises(ValueError, match=r"^w\[1\]: title and remark"):
        _windows(
            "w",
            {
                "title": TITLE,
                "windows": [
                    {"first": date(2020, 1, 1), "last": date(2020, 1, 1), "basis": "x", "status": "C"},
                    {"first": date(2021, 1, 1), "last": date(2021, 1, 1), "basis": "x", "status": "C", "remark": "?"},
                ],
            },
        )
