"""Helpers for the rules tests: compute from text input exactly as the CLI and API do."""

from __future__ import annotations

from typing import Any

from lindung.rules.inputs import calculate_benefit, calculate_contribution
from lindung.rules.results import result_json
from lindung.rules.text import Language

ENGLISH = Language(code="en")


def contribution_json(**raw: str) -> dict[str, Any]:
    return result_json(calculate_contribution(raw), ENGLISH)


def benefit_json(**raw: str) -> dict[str, Any]:
    return result_json(calculate_benefit(raw), ENGLISH)


def amounts(body: dict[str, Any]) -> dict[str, int]:
    """{'jkk/risk_class_1': 25200, ...}: every item's amount by program and component."""
    return {f"{item['program']}/{item['component']}": item["amount"] for item in body["items"]}


def has_unconfirmed_note(body: dict[str, Any]) -> bool:
    return any(note.startswith("Unconfirmed value") for note in body["notes"])
