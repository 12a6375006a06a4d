"""The parameter data: exact numbers, dated values that hold until the next, and the marks that travel."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lindung.rules import parameters
from lindung.rules.errors import RuleInputError
from lindung.rules.parameters import rulebook

RULES_DIR = Path(parameters.__file__).parent


def _entries(*entries: dict) -> dict:
    return {"title": {"id": "Uji", "en": "Test"}, "entries": list(entries)}


def test_a_float_in_the_data_is_refused() -> None:
    with pytest.raises(ValueError, match="floats are not exact"):
        parameters._parameter("x", _entries({"from": date(2020, 1, 1), "value": 0.1, "basis": "PP", "status": "C"}))


def test_an_entry_needs_a_status() -> None:
    with pytest.raises(ValueError, match="status must be C"):
        parameters._parameter("x", _entries({"from": date(2020, 1, 1), "value": "0.1", "basis": "PP"}))


def test_entries_must_be_in_date_order() -> None:
    with pytest.raises(ValueError, match="date order"):
        parameters._parameter(
            "x",
            _entries(
                {"from": date(2021, 1, 1), "value": 1, "basis": "PP", "status": "C"},
                {"from": date(2020, 1, 1), "value": 2, "basis": "PP", "status": "C"},
            ),
        )


def test_a_value_holds_until_the_next_dated_value() -> None:
    cap = rulebook().parameters["pu.jp_wage_cap"]

    assert cap.at(date(2024, 2, 29), field="period").value == 9_559_600
    assert cap.at(date(2024, 3, 1), field="period").value == 10_042_300
    assert cap.at(date(2030, 1, 1), field="period").value == 11_086_300


def test_before_the_first_value_names_the_field() -> None:
    with pytest.raises(RuleInputError) as raised:
        rulebook().parameters["pu.jp_rate"].at(date(2015, 6, 30), field="period")

    assert raised.value.field == "period"


def test_every_value_has_a_legal_basis_and_both_languages() -> None:
    book = rulebook()

    for parameter in book.parameters.values():
        assert parameter.title.id
        assert parameter.title.en
        assert all(entry.basis for entry in parameter.entries), parameter.key
    assert all(window.basis for windows in book.windows.values() for window in windows)


def test_the_version_is_a_digest_of_the_data() -> None:
    assert len(rulebook().version) == 12
    assert rulebook().version == rulebook().version


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_rules_import_no_django() -> None:
    modules = list(RULES_DIR.rglob("*.py"))
    imported = {name for path in modules for name in _imports(path)}

    assert len(modules) > 5
    assert not [name for name in imported if name == "django" or name.startswith("django.")]


def test_importing_every_rules_module_loads_no_django() -> None:
    # A fresh interpreter: the test process itself has Django loaded by pytest-django.
    code = (
        "import sys, pkgutil, importlib, lindung.rules as r\n"
        "for m in pkgutil.walk_packages(r.__path__, 'lindung.rules.'): importlib.import_module(m.name)\n"
        "import lindung.rules.inputs as i\n"
        "i.calculate_contribution({'period': '2024-05', 'segment': 'bpu', 'income': '1000000'})\n"
        "print(sorted(n for n in sys.modules if n == 'django' or n.startswith('django.')))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout  # noqa: S603

    assert output.strip() == "[]"
