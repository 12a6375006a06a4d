"""Arithmetic on dotted Kemendagri region codes ("14", "14.08", "14.08.06", "14.08.06.2001").

Pure functions: a code alone tells its level, its ancestors and its kind of village,
so none of this needs the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4

CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
_CODE_RE = re.compile(CODE_PATTERN)


def is_valid_code(code: str) -> bool:
    return bool(_CODE_RE.match(code))


def level_of(code: str) -> int:
    """1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan."""
    return code.count(".") + 1


def ancestors_of(code: str) -> list[str]:
    """Codes of the enclosing regions, province first; the code itself excluded."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def ancestor_at(code: str, level: int) -> str | None:
    """The code of the region at `level` that contains `code` (itself when levels match)."""
    parts = code.split(".")
    return ".".join(parts[:level]) if len(parts) >= level else None


def is_within(code: str, container: str) -> bool:
    """True when `code` is `container` or lies inside it."""
    return code == container or code.startswith(container + ".")


def own_else_children(code: str, own: Mapping[str, T], combine: Callable[[list[T]], T]) -> T | None:
    """A figure for `code` from figures loaded at any level: its own when loaded, else the combination
    of its children's, each found the same way (recursively). `code` "" is the whole country.

    So a region loaded at two levels is counted once, and a region loaded only below its children's
    level still counts; None when nothing is loaded in its subtree."""
    if code in own:
        return own[code]
    depth = level_of(code) if code else 0
    children = {
        ancestor_at(region, depth + 1) for region in own if region != code and (not code or is_within(region, code))
    }
    found = [
        figure
        for child in sorted(c for c in children if c)
        if (figure := own_else_children(child, own, combine)) is not None
    ]
    return combine(found) if found else None


# Apostrophes join a name ("Regapu\u2019u" is one word), other punctuation separates words.
_APOSTROPHES = str.maketrans("", "", "'`\u2018\u2019")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_name(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name, for search ("Regapu'u" -> "regapuu")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", plain.lower().translate(_APOSTROPHES)).strip()
