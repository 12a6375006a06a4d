"""Exact money: Decimal in computation, whole rupiah in results.

Rounding rule used everywhere unless a rule says otherwise: half up to the whole rupiah
(ROUND_HALF_UP), applied once per share (employer share, worker share, benefit component),
never to intermediate products. Caps and bands are applied to the base before the rate.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def to_rupiah(amount: Decimal) -> int:
    """Round a Decimal amount half up to whole rupiah."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def floor_to(amount: Decimal | int, step: int) -> int:
    """Round down to a multiple of `step` (JP cap to Rp100, BPU income to its band)."""
    return int((Decimal(amount) / step).to_integral_value(rounding=ROUND_DOWN)) * step


def decimal_of(value: object) -> Decimal:
    """A YAML value as Decimal. Rates are written as strings in the data so they never pass through float."""
    if isinstance(value, bool | float):
        raise TypeError(f"not an exact number: {value!r}")
    if isinstance(value, int | str | Decimal):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")
