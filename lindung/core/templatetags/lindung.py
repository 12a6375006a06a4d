from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`{{ dict|get_item:name }}`: a dictionary value by a key held in a variable."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def rupiah(amount: Any) -> str:
    """Whole rupiah the way the active language writes them: Rp1.500.000 (id), Rp1,500,000 (en)."""
    if amount is None or amount == "":
        return "-"
    from lindung.core.rules_bridge import active_language
    from lindung.rules.text import format_money

    return format_money(int(amount), active_language())
