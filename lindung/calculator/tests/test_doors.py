"""The CLI and the API answer the same input with the same JSON, and bad input the same way."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from lindung.calculator.management.commands.rules import option_name

CASES = [
    ("contribution", {"period": "2026-06", "segment": "bpu", "income": "1500000", "programs": "jkk,jkm,jht"}),
    ("contribution", {"period": "2026-06", "segment": "bpu", "income": "1500000", "funding": "apbd"}),
    ("contribution", {"period": "2026-02", "segment": "bpu", "income": "1000000", "sector": "transportasi"}),
    (
        "contribution",
        {"period": "2024-05", "segment": "pu", "wage": "10500000", "risk_class": "1", "programs": "jkk,jkm,jht,jp"},
    ),
    (
        "contribution",
        {
            "period": "2025-03",
            "segment": "pu",
            "wage": "5000000",
            "risk_class": "3",
            "industry": "garmen",
            "workers": "120",
        },
    ),
    ("contribution", {"period": "2024-05", "segment": "jakon", "contract_value": "1200000000"}),
    (
        "contribution",
        {"period": "2020-09", "segment": "pu", "wage": "4000000", "risk_class": "2", "paid_on": "2020-12-15"},
    ),
    ("benefit", {"program": "jkm", "event_date": "2020-06-15", "membership_start": "2016-01-01"}),
    ("benefit", {"program": "jkk", "kind": "death", "event_date": "2024-01-10", "wage": "3000000"}),
    (
        "benefit",
        {"program": "jkk", "kind": "disability", "event_date": "2024-01-10", "wage": "3000000", "percentage": "40"},
    ),
    ("benefit", {"program": "jkk", "kind": "stmb", "event_date": "2024-01-10", "wage": "3000000", "months": "14"}),
    (
        "benefit",
        {
            "program": "beasiswa",
            "cause": "jkm",
            "event_date": "2024-01-10",
            "membership_start": "2019-01-01",
            "children": "2014-05-01:sd,2008-03-02:sma,2016-01-01:sd",
        },
    ),
    (
        "benefit",
        {
            "program": "jht",
            "reason": "pensiun",
            "event_date": "2024-01-10",
            "birth_date": "1960-01-01",
            "balance": "75000000",
        },
    ),
    ("heirs", {"relatives": "parent,sibling", "event_date": "2024-01-10"}),
]

INVALID = [
    ("contribution", {"period": "2024-05", "segment": "abc", "wage": "1"}, "segment"),
    (
        "contribution",
        {"period": "2024-05", "segment": "pu", "wage": "1", "risk_class": "1", "programs": "jkk,xyz"},
        "programs",
    ),
    ("contribution", {"period": "2024-05", "segment": "bpu", "income": "1", "programs": "jp"}, "programs"),
    ("contribution", {"period": "2024-05", "segment": "pu", "wage": "-1", "risk_class": "1"}, "wage"),
    ("contribution", {"period": "2024-05", "segment": "pu", "wage": "sejuta", "risk_class": "1"}, "wage"),
    ("contribution", {"period": "2024-05", "segment": "bpu", "income": "1,5"}, "income"),
    ("contribution", {"period": "2024-05", "segment": "jakon", "contract_value": "-100"}, "contract_value"),
    ("contribution", {"period": "2024-13", "segment": "pu", "wage": "1", "risk_class": "1"}, "period"),
    ("contribution", {"period": "Mei 2024", "segment": "pu", "wage": "1", "risk_class": "1"}, "period"),
    ("contribution", {"period": "2013-12", "segment": "pu", "wage": "1", "risk_class": "1"}, "period"),
    ("contribution", {"period": "2024-05", "segment": "pu", "wage": "1", "risk_class": "6"}, "risk_class"),
    ("contribution", {"period": "2024-05", "segment": "pu", "wage": "1", "risk_class": "0"}, "risk_class"),
    ("contribution", {"period": "2024-05", "segment": "pu", "risk_class": "1"}, "wage"),
    ("contribution", {"segment": "pu", "wage": "1"}, "period"),
    ("benefit", {"program": "jkm", "event_date": "2013-12-31"}, "event_date"),
    ("benefit", {"program": "jkm", "event_date": "15-06-2020"}, "event_date"),
    ("benefit", {"program": "jkm", "event_date": "2020-02-30"}, "event_date"),
    ("benefit", {"program": "abc", "event_date": "2020-06-15"}, "program"),
    ("benefit", {"program": "jkk", "event_date": "2020-06-15", "wage": "1"}, "kind"),
    ("benefit", {"program": "jkk", "kind": "death", "event_date": "2020-06-15", "wage": "-5"}, "wage"),
    ("benefit", {"program": "jkk", "kind": "death", "event_date": "2020-06-15"}, "wage"),
    (
        "benefit",
        {"program": "jkk", "kind": "disability", "event_date": "2020-06-15", "wage": "1", "percentage": "140"},
        "percentage",
    ),
    ("benefit", {"program": "jkm", "event_date": "2020-06-15", "membership_start": "2021-01-01"}, "membership_start"),
    ("heirs", {"relatives": "spouse,cousin", "event_date": "2024-01-10"}, "relatives"),
]


def cli_args(calculation: str, raw: dict[str, str]) -> list[str]:
    return [calculation, *(part for field, value in raw.items() for part in (option_name(field), value))]


def cli_json(calculation: str, raw: dict[str, str]) -> dict:
    out = StringIO()
    call_command("rules", *cli_args(calculation, raw), stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("calculation", "raw"), CASES)
def test_cli_and_api_give_identical_json(calculation, raw) -> None:
    response = Client().get(f"/api/v1/rules/{calculation}", raw)

    assert response.status_code == 200
    assert response.json() == cli_json(calculation, raw)


def test_the_api_needs_no_login_and_answers_in_indonesian_by_default() -> None:
    body = (
        Client()
        .get(
            "/api/v1/rules/contribution",
            {"period": "2024-05", "segment": "pu", "wage": "10500000", "risk_class": "1", "programs": "jkk"},
        )
        .json()
    )

    assert body["items"][0]["formula"] == "0,24% × Rp10.500.000 (upah) = Rp25.200"
    assert body["total"] == 25_200
    assert body["due_date"] == "2024-06-18"


@pytest.mark.parametrize(("calculation", "raw", "field"), INVALID)
def test_invalid_input_is_exit_code_2_naming_the_field(calculation, raw, field) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("rules", *cli_args(calculation, raw))

    assert raised.value.returncode == 2
    assert str(raised.value).startswith(f"{option_name(field)}: ")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(("calculation", "raw", "field"), INVALID)
def test_invalid_input_is_422_problem_naming_the_field(calculation, raw, field) -> None:
    response = Client().get(f"/api/v1/rules/{calculation}", raw)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_real_command_prints_one_line_and_no_traceback() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "config.cli",
            "rules",
            "contribution",
            "--period",
            "2024-05",
            "--segment",
            "pu",
            "--wage",
            "-100",
            "--risk-class",
            "1",
        ],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
    )

    assert completed.returncode == 2
    assert completed.stderr.strip() == "CommandError: --wage: Tidak boleh negatif."
    assert completed.stdout == ""
