"""Geometry of the reports' SVG bar charts, computed here so templates only place shapes and labels.

Every coordinate is rounded to one decimal so the SVG text is the same on every run and platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: `key` names what it measures (a layer, a severity), `value` is its data."""

    key: str
    value: float | None
    """None: no score (nothing applied); drawn as an empty column."""
    x: float
    y: float
    width: float
    height: float
    tone: str
    """CSS class suffix choosing its colour."""
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True, slots=True)
class Tick:
    """A grid line at `value`, drawn at `pos` (y in a column chart), its label at (`label_x`, `label_y`)."""

    value: float
    pos: float
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    maximum: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def score_tone(score: float) -> str:
    """Colour band of a 0-100 score (only a colour: the rating itself comes from the result)."""
    if score >= 85:
        return "good"
    if score >= 70:
        return "fair"
    if score >= 50:
        return "average"
    return "weak"


def _r(value: float) -> float:
    return round(value, 1)


def _clip(value: float | None, maximum: float) -> float:
    if value is None or maximum <= 0:
        return 0.0
    return min(max(value, 0.0), maximum) / maximum


def vertical_bars(items: Sequence[tuple[str, float | None, str]], maximum: float = 100.0, *, width: float = 400,
                  height: float = 210) -> BarChart:
    """Columns for (key, value, tone) items over a 0..`maximum` axis, labels below, values on top."""
    left, top, right, bottom = 34.0, 16.0, width - 6.0, height - 26.0
    slot = (right - left) / max(len(items), 1)
    bars = []
    for i, (key, value, tone) in enumerate(items):
        bar_h = (bottom - top) * _clip(value, maximum)
        x, bar_w = left + slot * i + slot * 0.22, slot * 0.56
        shown = None if value is None else _r(value)
        bars.append(Bar(key, shown, _r(x), _r(bottom - bar_h), _r(bar_w), _r(bar_h), tone,
                        _r(x + bar_w / 2), _r(bottom + 16), _r(x + bar_w / 2), _r(bottom - bar_h - 4)))
    ticks = tuple(Tick(_r(maximum * i / 4), _r(bottom - (bottom - top) * i / 4), _r(left - 5),
                       _r(bottom - (bottom - top) * i / 4 + 4)) for i in range(5))
    return BarChart(width, height, left, top, right, bottom, maximum, tuple(bars), ticks)


def horizontal_bars(items: Sequence[tuple[str, float, str]], maximum: float, *, width: float = 400,
                    row: float = 24, label_width: float = 150) -> BarChart:
    """Rows for (key, value, tone) items over a 0..`maximum` axis: label left, bar, value right."""
    left, top, right = label_width, 4.0, width - 52.0
    bars = []
    for i, (key, value, tone) in enumerate(items):
        y, bar_h = top + row * i + 4, row - 8
        bar_w = (right - left) * _clip(value, maximum)
        bars.append(Bar(key, _r(value), left, _r(y), _r(bar_w), _r(bar_h), tone, _r(left - 6), _r(y + bar_h / 2 + 4),
                        _r(left + bar_w + 5), _r(y + bar_h / 2 + 4)))
    bottom = top + row * len(items)
    return BarChart(width, _r(bottom + top), left, top, right, _r(bottom), maximum, tuple(bars), ())
