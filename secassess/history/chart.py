"""Geometry of the score-over-time line chart, computed here so templates only place shapes and labels.

Like `secassess.report.charts`: coordinates rounded to one decimal, so the SVG is the same on every run.
Assessments are spaced evenly (their dates label the columns); a missing score breaks its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from secassess.report.charts import Tick

SERIES_STYLE: dict[str, tuple[str, float, str]] = {
    "overall": ("#0b4f8a", 3.0, ""), "1": ("#2e7d32", 1.5, "5 3"), "2": ("#ef8a17", 1.5, "2 2"),
    "3": ("#7b1020", 1.5, "8 3 2 3"), "4": ("#6c8ebf", 1.5, "1 3"),
}
"""Stroke colour, width and dash of each series: told apart in greyscale print too."""


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    value: float
    label: str
    """The assessment's date (ISO)."""


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    """"overall" or a layer "1".."4"."""
    points: tuple[Point, ...]
    segments: tuple[str, ...]
    """`points` attributes of the polylines (a missing score starts a new one)."""
    colour: str
    width: float
    dash: str
    radius: float
    legend_x: float
    legend_y: float


@dataclass(frozen=True, slots=True)
class Column:
    pos: float
    label: str
    label_y: float


@dataclass(frozen=True, slots=True)
class LineChart:
    width: float
    height: float
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    ticks: tuple[Tick, ...]
    columns: tuple[Column, ...]
    series: tuple[Series, ...]


def _r(value: float) -> float:
    return round(value, 1)


def line_chart(dates: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, width: float = 460,
               height: float = 250) -> LineChart:
    """Lines of 0-100 scores, one value per date for each (key, values) series."""
    legend_rows = 1
    left, top, right = 34.0, 12.0, width - 12.0
    bottom = height - 30.0 - 16.0 * legend_rows
    count = len(dates)
    step = (right - left) / count if count else 0.0
    xs = [_r(left + step * (i + 0.5)) for i in range(count)]
    ticks = tuple(Tick(_r(100 * i / 4), _r(bottom - (bottom - top) * i / 4), _r(left - 5),
                       _r(bottom - (bottom - top) * i / 4 + 4)) for i in range(5))
    columns = tuple(Column(x, label, _r(bottom + 16)) for x, label in zip(xs, dates, strict=True))
    drawn = []
    slot = (right - left) / max(len(series), 1)
    for n, (key, values) in enumerate(series):
        points: list[Point] = []
        segments: list[str] = []
        current: list[str] = []
        for x, label, value in zip(xs, dates, values, strict=True):
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            y = _r(bottom - (bottom - top) * min(max(value, 0.0), 100.0) / 100.0)
            points.append(Point(x, y, _r(value), label))
            current.append(f"{x},{y}")
        if current:
            segments.append(" ".join(current))
        colour, stroke, dash = SERIES_STYLE.get(key, ("#5b6776", 1.5, ""))
        drawn.append(Series(key, tuple(points), tuple(s for s in segments if " " in s), colour, stroke, dash,
                            _r(stroke + 1.5), _r(left + slot * n), _r(height - 8)))
    return LineChart(width, height, left, top, right, _r(bottom), ticks, columns, tuple(drawn))
