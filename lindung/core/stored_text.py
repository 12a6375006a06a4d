"""Messages stored for later (an import's errors, a bank statement's refused rows) in the reader's
language.

They are written once, in the language active when the job ran (Indonesian, the default), because
a check produces thousands of them and most are never read. To show one in English, the message is
matched back to its source text through the Indonesian catalog: a message without parameters by
equality, one with parameters (%(day)s) by a pattern that captures them, then written again in the
reader's language with the same parameters. A message that matches nothing (composed, or written
before a translation changed) is shown as stored: never lost, at worst in Indonesian."""

from __future__ import annotations

import re
from functools import cache

from django.utils import translation
from django.utils.translation import trans_real

STORED_LANGUAGE = "id"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@cache
def _catalog() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """Indonesian text -> source text, exact and by pattern (most specific, i.e. longest, first)."""
    catalog = trans_real.translation(STORED_LANGUAGE)._catalog  # type: ignore[attr-defined]  # Django's own table
    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for source in catalog.keys():  # noqa: SIM118 (a TranslationCatalog has keys(), no __iter__)
        if not isinstance(source, str) or not source:
            continue
        indonesian = catalog[source]
        if not isinstance(indonesian, str) or not indonesian:
            continue
        if PLACEHOLDER.search(indonesian):
            pattern = _pattern(indonesian)
            if pattern is not None:
                patterns.append((pattern, source))
        else:
            exact.setdefault(indonesian.replace("%%", "%"), source)
    patterns.sort(key=lambda item: -len(item[0].pattern))
    return exact, patterns


def _pattern(indonesian: str) -> re.Pattern[str] | None:
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in PLACEHOLDER.finditer(indonesian):
        parts.append(re.escape(indonesian[position : match.start()].replace("%%", "%")))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(indonesian[position:].replace("%%", "%")))
    try:
        return re.compile("^" + "".join(parts) + "$", re.DOTALL)
    except re.error:
        return None


def _parameter(value: str, language: str) -> str | int:
    """A captured parameter: a whole number stays a number (for %(count)d), words are translated."""
    if value.isdigit() and str(int(value)) == value:  # "0812" is a phone number, not 812
        return int(value)
    return in_language(value, language)


def in_language(stored: str, language: str | None = None) -> str:
    """`stored` (written in Indonesian) in `language` (default: the active one)."""
    language = (language or translation.get_language() or STORED_LANGUAGE).split("-")[0]
    if not stored or language == STORED_LANGUAGE:
        return stored
    exact, patterns = _catalog()
    with translation.override(language):
        if stored in exact:
            return translation.gettext(exact[stored])
        for pattern, source in patterns:
            found = pattern.match(stored)
            if found:
                params = {name: _parameter(value, language) for name, value in found.groupdict().items()}
                try:
                    return translation.gettext(source) % params
                except (KeyError, ValueError, TypeError):
                    return stored
    return stored
