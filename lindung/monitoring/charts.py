"""Charts drawn as SVG by the templates from these numbers: no JavaScript, no CDN, printable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD = 600, 180, 24
LEFT = 64  # room for the axis' numbers


# Horizontal bars: the name on the left, the bar, its value printed after it (readable in print
# and without hovering), on a canvas that scales with the page and keeps its proportions.
BAR_WIDTH, NAME_WIDTH, BAR_AREA, ROW, BAR_HEIGHT, AXIS = 640, 180, 340, 22, 14, 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    width: float  # in canvas units: the value's share of the largest, times the bar area
    y: int  # top of the row


@dataclass(frozen=True)
class Tick:
    x: float
    value: float


@dataclass(frozen=True)
class Bars:
    bars: list[Bar]
    unit: str = "people"  # people, rupiah or index: how the template writes the values
    ticks: list[Tick] = field(default_factory=list)
    width: int = BAR_WIDTH
    name_width: int = NAME_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT
    axis: int = AXIS

    @property
    def height(self) -> int:
        return AXIS + ROW * len(self.bars) + 4

    @property
    def bar_end(self) -> int:
        return NAME_WIDTH + BAR_AREA

    def __bool__(self) -> bool:
        return bool(self.bars)


def bars(items: Sequence[tuple[str, float | None]], *, unit: str = "people") -> Bars:
    """Horizontal bars scaled to the largest value, with an axis at 0, half and the largest."""
    top = max((value or 0 for _label, value in items), default=0) or 1
    rows = [
        Bar(label, value or 0, round(BAR_AREA * (value or 0) / top, 1), AXIS + ROW * i)
        for i, (label, value) in enumerate(items)
    ]
    ticks = [Tick(NAME_WIDTH + BAR_AREA * share, top * share) for share in (0, 0.5, 1)]
    return Bars(rows, unit, ticks)


@dataclass(frozen=True)
class Line:
    width: int
    height: int
    registered: str  # SVG polyline points
    active: str
    labels: list[tuple[float, str]]  # x, month
    top: int
    ticks: list[tuple[float, int]] = field(default_factory=list)  # y, value: the axis at 0, half, top
    left: int = LEFT
    right: int = WIDTH - PAD


def trend_line(trend: Sequence[tuple[str, int, int]]) -> Line | None:
    """Two polylines (registered, active) over the months, on a 600 x 180 canvas."""
    if not trend:
        return None
    top = max(registered for _month, registered, _active in trend) or 1
    step = (WIDTH - LEFT - PAD) / max(len(trend) - 1, 1)

    def points(values: list[int]) -> str:
        return " ".join(
            f"{LEFT + i * step:.1f},{HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD):.1f}"
            for i, value in enumerate(values)
        )

    labels = [(LEFT + i * step, row[0]) for i, row in enumerate(trend) if i % max(len(trend) // 6, 1) == 0]
    registered = [row[1] for row in trend]
    active = [row[2] for row in trend]
    ticks = [(round(HEIGHT - PAD - share * (HEIGHT - 2 * PAD), 1), round(top * share)) for share in (0, 0.5, 1)]
    return Line(WIDTH, HEIGHT, points(registered), points(active), labels, top, ticks)
