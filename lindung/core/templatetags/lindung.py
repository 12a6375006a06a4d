from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`{{ dict|get_item:name }}`: a dictionary value by a key held in a variable."""
    return mapping.get(key) if isinstance(mapping, dict) else None
