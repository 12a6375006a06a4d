"""Pure arithmetic on region codes and names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.regions import codes


@pytest.mark.parametrize(
    ("code", "level", "ancestors"),
    [
        ("14", 1, []),
        ("14.08", 2, ["14"]),
        ("14.08.06", 3, ["14", "14.08"]),
        ("14.08.06.2001", 4, ["14", "14.08", "14.08.06"]),
    ],
)
def test_level_and_ancestors_come_from_the_code(code: str, level: int, ancestors: list[str]) -> None:
    assert codes.level_of(code) == level
    assert codes.ancestors_of(code) == ancestors


@pytest.mark.parametrize("code", ["1", "14.8", "14.08.6", "14.08.06.201", "14-08", "", "14.08.06.2001.1"])
def test_malformed_codes_are_refused(code: str) -> None:
    assert not codes.is_valid_code(code)


def test_within_means_same_or_below_not_a_shared_prefix() -> None:
    assert codes.is_within("14.08.06", "14.08")
    assert codes.is_within("14.08", "14.08")
    assert not codes.is_within("14.72", "14.08")
    assert not codes.is_within("14.08", "14.08.06")
    assert not codes.is_within("11.08", "1")


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Kabupaten Siak", "kabupaten siak"),
        ("Regapu\u2019u", "regapuu"),
        ("Régapu'u", "regapuu"),
        ("DAYUN", "dayun"),
        ("Siak Sri-Indrapura", "siak sri indrapura"),
    ],
)
def test_names_fold_for_search(name: str, folded: str) -> None:
    assert codes.fold_name(name) == folded


@given(st.text())
def test_folding_is_idempotent_and_plain(text: str) -> None:
    folded = codes.fold_name(text)
    assert codes.fold_name(folded) == folded
    assert folded == folded.strip()
