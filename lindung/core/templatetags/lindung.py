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


@register.filter
def at(sequence: Any, index: int) -> Any:
    """`{{ list|at:i }}`: an item of a list by a position held in a variable."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return None


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def cell(value: Any) -> str:
    """A table cell: numbers grouped the active language's way (12.500 or 12,500; 45,2), empty as "-"."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, force_grouping=True)
    return str(value)


@register.filter
def bounded(count: Any, limit: int | None = None) -> str:
    """A count that stopped at its limit + 1 (core.paging; COUNT_LIMIT unless given): "more than
    10,000" past it."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.translation import gettext

    from lindung.core import paging

    limit = paging.COUNT_LIMIT if limit is None else int(limit)
    if isinstance(count, int) and count > limit:
        return gettext("more than %(limit)s") % {"limit": intcomma(limit)}
    return str(intcomma(count))


@register.filter
def month_name(period: Any, style: str = "") -> str:
    """A billing period "2026-11" as people write it: "November 2026" (in the active language);
    `month_name:"short"` gives "Nov 2026" for a chart's axis."""
    from datetime import date

    from django.utils.dateformat import format as date_format

    try:
        year, month = (int(part) for part in str(period).split("-"))
        return date_format(date(year, month, 1), "M Y" if style == "short" else "F Y")
    except ValueError:
        return str(period) if period else "-"


@register.filter
def subtract(value: Any, other: Any) -> int:
    """`{{ total|subtract:paid }}`: the difference of two whole amounts."""
    return int(value or 0) - int(other or 0)


@register.filter
def audit_value(value: Any) -> str:
    """A recorded value as people read it: a list as "nik, phone", a mapping as "a: 1; b: 2",
    nothing as "–" (never Python's ['nik'])."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(audit_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {audit_value(item)}" for key, item in value.items())
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("yes") if value else gettext("no")
    return str(value)


@register.filter
def day(value: Any) -> str:
    """A day as people write it here, 16-11-2026, from a date or an ISO "2026-11-16"."""
    from datetime import date

    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return str(value) if value else "-"


@register.filter
def cell_number(value: Any) -> str:
    """A count or an index in the active language's way: 12.242 (id) or 12,242 (en); 45,2 with a
    decimal only where there is one."""
    from django.utils.formats import number_format

    try:
        number = float(value)
    except (TypeError, ValueError):
        return "-"
    if number.is_integer():
        return number_format(int(number), force_grouping=True)
    return number_format(number, decimal_pos=1, force_grouping=True)


@register.filter
def rupiah_short(value: Any) -> str:
    """An axis label in rupiah: Rp1,5 M (miliar), Rp250 jt (juta) in Indonesian; bn and m in English."""
    from django.utils.formats import number_format
    from django.utils.translation import get_language

    try:
        amount = float(value)
    except (TypeError, ValueError):
        return "-"
    indonesian = (get_language() or "id").startswith("id")
    for size, word_id, word_en in ((1e9, "M", "bn"), (1e6, "jt", "m")):
        if abs(amount) >= size:
            short = number_format(amount / size, decimal_pos=1, force_grouping=True)
            return f"Rp{short} {word_id if indonesian else word_en}"
    return rupiah(int(amount))


@register.filter
def sort_link(sorting: Any, column: Any) -> str:
    """`{{ sorting|sort_link:column }}`: the URL that orders the list by `column` (core.lists)."""
    return str(sorting.link(column))


@register.filter
def sort_state(sorting: Any, column: Any) -> str:
    return str(sorting.aria(column))


@register.filter
def percent(fraction: Any) -> str:
    """A rate kept as a fraction (0.002400) as people read it: 0,24% (id) or 0.24% (en); "-" when none."""
    from decimal import Decimal, InvalidOperation

    from lindung.core.rules_bridge import active_language
    from lindung.rules.text import format_rate

    if fraction is None or fraction == "":
        return "-"
    try:
        return format_rate(Decimal(str(fraction)), active_language())
    except InvalidOperation:
        return str(fraction)


@register.filter
def stored_text(message: Any) -> str:
    """A message stored in Indonesian (an import's error) in the reader's language (core.stored_text)."""
    from lindung.core.stored_text import in_language

    return in_language(str(message)) if message else ""


@register.filter
def label(code: Any, kind: str) -> str:
    """`{{ version.category|label:"category" }}`: the words for a code (core.labels)."""
    from lindung.core import labels

    if isinstance(code, list | tuple):
        return ", ".join(labels.labels(kind, code))
    return labels.label(kind, code)
