"""What a calculation returns: items with their explanation, notes, and the JSON shape all doors share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lindung.rules.parameters import Entry, Window, rulebook, unconfirmed_note
from lindung.rules.text import Language, Text, render


@dataclass(frozen=True)
class Item:
    """One amount: a contribution share or a benefit component, with why."""

    program: str
    component: str
    basis: int
    rate: Decimal | None
    amount: int
    legal_basis: str
    formula: Text
    employer_share: int | None = None
    worker_share: int | None = None


@dataclass
class Calculation:
    """Collects items and notes; remembers every dated value used so unconfirmed ones are flagged."""

    items: list[Item] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    used: list[Entry | Window] = field(default_factory=list)
    due_date: date | None = None
    eligible: bool | None = None

    def use(self, entry: Entry) -> Entry:
        self.used.append(entry)
        return entry

    def use_window(self, window: Window) -> Window:
        self.used.append(window)
        return window

    def add(self, item: Item) -> None:
        self.items.append(item)

    def note(self, text: Text) -> None:
        self.notes.append(text)

    def result(self) -> Result:
        flagged: list[Text] = []
        for entry in self.used:
            note = None if entry.confirmed else unconfirmed_note(entry)
            if note is not None and note not in flagged:
                flagged.append(note)
        return Result(
            items=tuple(self.items),
            notes=tuple(self.notes) + tuple(flagged),
            due_date=self.due_date,
            eligible=self.eligible,
            rules_version=rulebook().version,
            unconfirmed=bool(flagged),
        )


@dataclass(frozen=True)
class Result:
    items: tuple[Item, ...]
    notes: tuple[Text, ...]
    due_date: date | None
    eligible: bool | None
    rules_version: str
    unconfirmed: bool = False  # some value used is marked U in the data; the notes say which

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.items)


def join_bases(*bases: str) -> str:
    """Legal bases of an amount, each regulation once, in order: 'PP 45/2015; PP 49/2020'."""
    parts: list[str] = []
    for basis in bases:
        parts.extend(part for part in basis.split("; ") if part not in parts)
    return "; ".join(parts)


def rate_text(rate: Decimal | None) -> str | None:
    """A rate as a plain decimal fraction string: Decimal('0.0024') -> '0.0024'."""
    return None if rate is None else format(rate.normalize(), "f")


def item_json(item: Item, language: Language) -> dict[str, Any]:
    return {
        "program": item.program,
        "component": item.component,
        "basis": item.basis,
        "rate": rate_text(item.rate),
        "amount": item.amount,
        "employer_share": item.employer_share,
        "worker_share": item.worker_share,
        "legal_basis": item.legal_basis,
        "formula": render(item.formula, language),
    }


def result_json(result: Result, language: Language) -> dict[str, Any]:
    """The one JSON shape of the CLI and the API. Contributions carry due_date; benefits carry eligible."""
    body: dict[str, Any] = {"items": [item_json(item, language) for item in result.items], "total": result.total}
    if result.due_date is not None:
        body["due_date"] = result.due_date.isoformat()
    if result.eligible is not None:
        body["eligible"] = result.eligible
    body["notes"] = [render(note, language) for note in result.notes]
    body["rules_version"] = result.rules_version
    return body
