"""Translatable text without Django: an English msgid plus typed parameters, rendered late.

The rules engine must not import Django, yet its errors, notes and formulas are shown in
Bahasa Indonesia or English. A rule builds `Text("...%(wage)s...", wage=Money(...))`; the
door that shows it (CLI, API, page) renders it with Django's `gettext` and a language code.
Msgids are marked with `gettext_noop` so `makemessages` collects them into locale/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Mark a msgid for extraction; Django's makemessages looks for this name."""
    return message


def no_translation(message: str) -> str:
    return message


@dataclass(frozen=True)
class Money:
    """Whole rupiah, shown as Rp10.500.000 (id) or Rp10,500,000 (en)."""

    rupiah: int


@dataclass(frozen=True)
class Rate:
    """A fraction shown as a percentage: Decimal("0.0024") -> 0,24%."""

    fraction: Decimal


@dataclass(frozen=True)
class Number:
    """A plain decimal number, grouped for the language (months, multiples)."""

    value: Decimal | int


@dataclass(frozen=True)
class Bilingual:
    """Text that comes from the YAML data with both languages written out."""

    id: str
    en: str


Param = Union[Money, Rate, Number, Bilingual, "Text", str, int]


@dataclass(frozen=True)
class Text:
    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __init__(self, msgid: str, **params: Param) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)


@dataclass(frozen=True)
class Language:
    """How to render: the language code and the translation function for msgids."""

    code: str = "id"
    translate: Translate = no_translation


def _group(digits: str, separator: str) -> str:
    head, rest = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3 :]
    return head + "".join(separator + rest[i : i + 3] for i in range(0, len(rest), 3))


def format_number(value: Decimal | int, language: Language) -> str:
    """Digits grouped by thousands; Indonesian uses '.' for groups and ',' for decimals."""
    thousands, decimal_point = (".", ",") if language.code == "id" else (",", ".")
    text = format(Decimal(value).normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = _group(whole, thousands)
    return sign + grouped + (decimal_point + fraction if fraction else "")


def format_money(rupiah: int, language: Language) -> str:
    """Rp1.500.000; a negative amount carries its sign before the currency: -Rp50.000.000."""
    sign = "-" if rupiah < 0 else ""
    return sign + "Rp" + format_number(abs(rupiah), language)


def format_rate(fraction: Decimal, language: Language) -> str:
    return format_number(fraction * 100, language) + "%"


def render_param(value: Param, language: Language) -> str:
    if isinstance(value, Money):
        return format_money(value.rupiah, language)
    if isinstance(value, Rate):
        return format_rate(value.fraction, language)
    if isinstance(value, Number):
        return format_number(value.value, language)
    if isinstance(value, Bilingual):
        return value.id if language.code == "id" else value.en
    if isinstance(value, Text):
        return render(value, language)
    return str(value)


def render(text: Text, language: Language) -> str:
    """The text in the language, its parameters formatted for that language."""
    template = language.translate(text.msgid)
    if not text.params:
        return template
    return template % {name: render_param(value, language) for name, value in text.params.items()}
