"""Numbers in messages as people read them: 12.242 in Indonesian, 12,242 in English."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format


def grouped(value: Any) -> Any:
    """A whole number with its thousands grouped the active language's way; anything else as is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return value


def grouped_all(values: dict[str, Any]) -> dict[str, Any]:
    return {key: grouped(value) for key, value in values.items()}
