"""Dated parameters from the YAML files in `data/`: each value with its start date and legal basis.

A value holds from its `from` date until the next entry's `from` date. Values marked
`status: U` (unconfirmed in public sources) are used, and every result that used one says
so in its notes. Changing a rate is an edit of the YAML plus a worked case in the tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from lindung.rules.errors import RuleInputError
from lindung.rules.text import Bilingual, Text, gettext_noop

DATA_DIR = Path(__file__).parent / "data"
STATUSES = {"C": True, "U": False}


@dataclass(frozen=True)
class Entry:
    """One dated value of a parameter."""

    key: str
    title: Bilingual
    starts: date
    value: Any
    basis: str
    confirmed: bool
    remark: Bilingual | None = None
    start_unconfirmed_until: date | None = None


@dataclass(frozen=True)
class Parameter:
    key: str
    title: Bilingual
    entries: tuple[Entry, ...]

    def at(self, day: date, *, field: str) -> Entry:
        """The entry in force on `day`; a RuleInputError on `field` when none had started yet."""
        in_force = [entry for entry in self.entries if entry.starts <= day]
        if not in_force:
            raise RuleInputError(
                field,
                Text(
                    gettext_noop("No rule in force on %(day)s for %(parameter)s; the first applies from %(start)s."),
                    day=day.isoformat(),
                    parameter=self.title,
                    start=self.entries[0].starts.isoformat(),
                ),
            )
        entry = in_force[-1]
        if entry.start_unconfirmed_until is not None and day <= entry.start_unconfirmed_until:
            # The value is sure but its first day is not: near that day, say so.
            return replace(entry, confirmed=False)
        return entry


@dataclass(frozen=True)
class Window:
    """A relief period: contribution periods `first`..`last` (inclusive, as first days of months)."""

    key: str
    title: Bilingual
    first: date
    last: date
    value: Any
    basis: str
    confirmed: bool
    remark: Bilingual | None = None

    def covers(self, period_start: date) -> bool:
        return self.first <= period_start <= self.last


@dataclass(frozen=True)
class Rulebook:
    parameters: dict[str, Parameter]
    windows: dict[str, tuple[Window, ...]]
    version: str

    def at(self, key: str, day: date, *, field: str) -> Entry:
        return self.parameters[key].at(day, field=field)


def _bilingual(raw: Any, where: str) -> Bilingual:
    if not isinstance(raw, dict) or set(raw) != {"id", "en"}:
        raise ValueError(f"{where}: title and remark need both 'id' and 'en'")
    return Bilingual(id=str(raw["id"]), en=str(raw["en"]))


def _reject_floats(value: Any, where: str) -> None:
    """Rates are strings in the YAML ("0.0024") so no value ever passes through binary floating point."""
    if isinstance(value, float):
        raise ValueError(f"{where}: write {value!r} as a quoted string; floats are not exact")
    if isinstance(value, dict):
        for name, item in value.items():
            _reject_floats(item, f"{where}.{name}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            _reject_floats(item, f"{where}[{index}]")


def _status(raw: dict[str, Any], where: str) -> bool:
    if raw.get("status") not in STATUSES:
        raise ValueError(f"{where}: status must be C (confirmed) or U (unconfirmed)")
    return STATUSES[raw["status"]]


def _remark(raw: dict[str, Any], where: str) -> Bilingual | None:
    return _bilingual(raw["remark"], where) if "remark" in raw else None


def _parameter(key: str, raw: dict[str, Any]) -> Parameter:
    title = _bilingual(raw["title"], key)
    entries = []
    for index, item in enumerate(raw["entries"]):
        where = f"{key}[{index}]"
        _reject_floats(item["value"], where)
        entries.append(
            Entry(
                key=key,
                title=title,
                starts=item["from"],
                value=item["value"],
                basis=str(item["basis"]),
                confirmed=_status(item, where),
                remark=_remark(item, where),
                start_unconfirmed_until=item.get("start_unconfirmed_until"),
            )
        )
    if [entry.starts for entry in entries] != sorted({entry.starts for entry in entries}):
        raise ValueError(f"{key}: entries must be in date order without repeated dates")
    return Parameter(key=key, title=title, entries=tuple(entries))


def _windows(key: str, raw: dict[str, Any]) -> tuple[Window, ...]:
    title = _bilingual(raw["title"], key)
    windows = []
    for index, item in enumerate(raw["windows"]):
        where = f"{key}[{index}]"
        _reject_floats(item.get("value"), where)
        windows.append(
            Window(
                key=key,
                title=title,
                first=item["first"],
                last=item["last"],
                value=item.get("value", {}),
                basis=str(item["basis"]),
                confirmed=_status(item, where),
                remark=_remark(item, where),
            )
        )
    return tuple(windows)


@cache
def rulebook() -> Rulebook:
    """All parameters and relief windows, loaded once; `version` is a digest of the data files."""
    parameters: dict[str, Parameter] = {}
    windows: dict[str, tuple[Window, ...]] = {}
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.yaml")):
        content = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + content)
        document = yaml.safe_load(content)
        for key, raw in (document.get("parameters") or {}).items():
            parameters[key] = _parameter(key, raw)
        for key, raw in (document.get("reliefs") or {}).items():
            windows[key] = _windows(key, raw)
    return Rulebook(parameters=parameters, windows=windows, version=digest.hexdigest()[:12])


def unconfirmed_note(entry: Entry | Window) -> Text:
    """The note a result carries when it used an unconfirmed value."""
    start = entry.starts if isinstance(entry, Entry) else entry.first
    note = Text(
        gettext_noop("Unconfirmed value: %(parameter)s (from %(start)s, %(basis)s). Check it before relying on it."),
        parameter=entry.title,
        start=start.isoformat(),
        basis=entry.basis,
    )
    if entry.remark is None:
        return note
    return Text("%(note)s %(remark)s", note=note, remark=entry.remark)
