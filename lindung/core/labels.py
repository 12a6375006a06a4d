"""The words for every coded value, in the reader's language: one place that pages, exports, PDFs
and the API's `*_label` fields ask ("non_asn" -> "Pegawai non-ASN" / "Non-ASN government staff").

Each app registers its choice lists when it starts (AppConfig.ready), so core needs no import of
them; a kind or code nobody registered comes back as it is, never as an error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_CHOICES: dict[str, dict[str, Any]] = {}


def register(kind: str, choices: Iterable[tuple[str, Any]]) -> None:
    """`choices` as (code, lazy label) pairs, e.g. a TextChoices' `.choices`."""
    _CHOICES[kind] = {str(code): label for code, label in choices}


def label(kind: str, code: Any) -> str:
    """The label of `code` in the active language; the code itself when unknown, "-" when empty."""
    if code is None or code == "":
        return "-"
    found = _CHOICES.get(kind, {}).get(str(code))
    return str(found) if found is not None else str(code)


def labels(kind: str, codes: Iterable[Any]) -> list[str]:
    return [label(kind, code) for code in codes]


def kinds() -> dict[str, dict[str, Any]]:
    """Every registered list (for the tests that look for raw codes on pages)."""
    return dict(_CHOICES)
