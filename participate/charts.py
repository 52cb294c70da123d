"""Chart geometry for SVG drawn on the server: pages need no JavaScript, and a table beside each
chart carries the same numbers for anyone who cannot see it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Bar:
    """One bar, in the chart's own units."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    value_x: float
    value_y: float
    label_x: float = 0
    label_y: float = 0
    sublabel: str = ""


@dataclass
class Chart:
    """Everything a template needs to draw a bar or column chart."""

    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)  # (position, value)
    axis: float = 0
    plot_start: float = 0


def nice_max(value: int) -> int:
    """A round number at least as large as value (1, 2, 5 × a power of ten), for the scale."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _ticks(top: int, count: int = 4) -> list[int]:
    step = max(top // count, 1)
    return list(range(0, top + 1, step))


def horizontal_bars(items: list[tuple[str, int]], width: int = 660, label_width: int = 250) -> Chart:
    """Bars from left to right, one per line: good for many long labels (wards)."""
    bar_height, gap, top_pad, bottom_pad = 18, 8, 8, 28
    height = top_pad + len(items) * (bar_height + gap) + bottom_pad
    top = nice_max(max((v for _l, v in items), default=0))
    plot = width - label_width - 48
    chart = Chart(width=width, height=height, plot_start=label_width, axis=height - bottom_pad)
    for n, (label, value) in enumerate(items):
        y = top_pad + n * (bar_height + gap)
        length = plot * value / top
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                x=label_width,
                y=y,
                width=round(length, 1),
                height=bar_height,
                value_x=round(label_width + length + 6, 1),
                value_y=y + bar_height - 4,
                label_x=label_width - 8,
                label_y=y + bar_height - 4,
            )
        )
    chart.ticks = [(round(label_width + plot * t / top, 1), t) for t in _ticks(top)]
    return chart


def columns(
    items: list[tuple[str, int]], width: int = 640, height: int = 270, sublabels: list[str] | None = None
) -> Chart:
    """Columns from bottom to top, one per period: good for a few short labels (months), each with an
    optional second line (the year, under the first month and each January)."""
    left, bottom_pad, top_pad = 40, 44, 20
    plot_height = height - bottom_pad - top_pad
    slot = (width - left) / max(len(items), 1)
    column = slot * 0.7
    top = nice_max(max((v for _l, v in items), default=0))
    chart = Chart(width=width, height=height, plot_start=left, axis=height - bottom_pad)
    for n, (label, value) in enumerate(items):
        length = plot_height * value / top
        x = left + n * slot + (slot - column) / 2
        y = height - bottom_pad - length
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(y, 1),
                width=round(column, 1),
                height=round(length, 1),
                value_x=round(x + column / 2, 1),
                value_y=round(y - 4, 1),
                label_x=round(x + column / 2, 1),
                label_y=height - bottom_pad + 16,
                sublabel=sublabels[n] if sublabels else "",
            )
        )
    chart.ticks = [(round(height - bottom_pad - plot_height * t / top, 1), t) for t in _ticks(top)]
    return chart
