"""What every input, from a page's form or the API, must be before a service sees it.

Text holds no control characters (a NUL in a sponsor's name was stored; in an import cell it
crashed the check), and whole numbers fit the database's 64-bit integers (an amount of
100000000000000000000 was a 500). Forms inherit `core.forms.Form`, API bodies `InputSchema`: the
check is written once, here.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

# C0 controls and DEL, except tab, line feed and carriage return (multi-line notes and addresses).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BIGINT_MAX = 2**63 - 1
# The largest sum of rupiah one input may carry (a quadrillion): far above any real payment or
# budget, and low enough that sums of many of them still fit 64 bits.
MAX_RUPIAH = 10**15
TOO_MANY_RUPIAH = _("The amount is too large.")
CONTROL_MESSAGE = _("Contains a control character; retype the text.")
TOO_BIG_MESSAGE = _("The number is too large.")


def input_problem(value: Any) -> str | None:
    """Why `value` (or anything inside a list or dict) cannot be accepted, or None."""
    if isinstance(value, str):
        return str(CONTROL_MESSAGE) if CONTROL_CHARACTERS.search(value) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(TOO_BIG_MESSAGE) if abs(value) > BIGINT_MAX else None
    if isinstance(value, dict):
        return next(filter(None, (input_problem(item) for pair in value.items() for item in pair)), None)
    if isinstance(value, (list, tuple, set, frozenset)):
        return next(filter(None, (input_problem(item) for item in value)), None)
    return None


class InputSchema(Schema):
    """The base of every API request body: the same checks as `core.forms.Form`, per field."""

    @field_validator("*", mode="after")
    @classmethod
    def _acceptable(cls, value: Any) -> Any:
        problem = input_problem(value)
        if problem is not None:
            raise PydanticCustomError("unacceptable_input", problem)
        return value


FIRST_YEAR, LAST_YEAR = 2014, 2100  # BPJS Ketenagakerjaan's first year; far enough ahead
YEAR_MESSAGE = _("Tahun: write a year from 2014 to 2100, like 2026.")


def year_or_none(text: str | None) -> int | None:
    """A year from a URL's query (?tahun=2026); None when absent; ValueError for anything else."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise ValueError(str(YEAR_MESSAGE))
    return int(text)
