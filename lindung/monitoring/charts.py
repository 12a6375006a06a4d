"""Charts drawn as SVG by the templates from these numbers: no JavaScript, no CDN, printable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 600, 180, 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    share: float  # of the widest bar, 0-100: the bar's width in the chart's 0-100 box
    y: int  # top of the bar; each bar takes 2 units of height


@dataclass(frozen=True)
class Bars:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return 2 * len(self.bars)

    def __bool__(self) -> bool:
        return bool(self.bars)


def bars(items: Sequence[tuple[str, float | None]]) -> Bars:
    """Horizontal bars scaled to the largest value."""
    top = max((value or 0 for _label, value in items), default=0) or 1
    return Bars(
        [Bar(label, value or 0, round(100 * (value or 0) / top, 2), 2 * i) for i, (label, value) in enumerate(items)]
    )


@dataclass(frozen=True)
class Line:
    width: int
    height: int
    registered: str  # SVG polyline points
    active: str
    labels: list[tuple[float, str]]  # x, month
    top: int


def trend_line(trend: Sequence[tuple[str, int, int]]) -> Line | None:
    """Two polylines (registered, active) over the months, on a 600 x 180 canvas."""
    if not trend:
        return None
    top = max(registered for _month, registered, _active in trend) or 1
    step = (WIDTH - 2 * PAD) / max(len(trend) - 1, 1)

    def points(values: list[int]) -> str:
        return " ".join(
            f"{PAD + i * step:.1f},{HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD):.1f}"
            for i, value in enumerate(values)
        )

    labels = [(PAD + i * step, row[0]) for i, row in enumerate(trend) if i % max(len(trend) // 6, 1) == 0]
    registered = [row[1] for row in trend]
    active = [row[2] for row in trend]
    return Line(WIDTH, HEIGHT, points(registered), points(active), labels, top)
