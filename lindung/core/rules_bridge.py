"""Where Django meets the pure rules: the active language, and rule errors as Django errors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext

from lindung.rules.errors import RuleInputError
from lindung.rules.results import Result, result_json
from lindung.rules.text import Language, render


def active_language() -> Language:
    """The language Django has activated (the cookie's, else Indonesian), with Django's catalogue."""
    code = (get_language() or "id").split("-")[0]
    return Language(code=code, translate=gettext)


def error_message(error: RuleInputError) -> str:
    return render(error.message, active_language())


def as_json(result: Result) -> dict[str, Any]:
    return result_json(result, active_language())
