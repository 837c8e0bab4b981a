"""Geometry for the server-rendered SVG charts (no JavaScript, nothing from a CDN).

Each function turns scores into coordinates that a template draws; the same numbers are always
shown in a table next to the chart. A point below the minimum n is left out of the line (a
gap), never drawn as zero.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from surveys.scales import NPS, scale_for

from .scores import AnyScore

NPS_MIN, NPS_MAX = -100, 100


class Axis(NamedTuple):
    """The fixed vertical range of a kind of score and its guide lines: a team's line is drawn
    on its scale's whole range, never stretched to look steeper."""

    low: float
    high: float
    grid: tuple[float, ...]
    zero: float  # the line drawn stronger


AXES = {
    "nps": Axis(NPS_MIN, NPS_MAX, (100, 50, 0, -50, -100), 0),
    "csat": Axis(0, 100, (100, 75, 50, 25, 0), 50),
    "ces": Axis(1, 7, (7, 6, 5, 4, 3, 2, 1), 4),
}


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    start: date
    score: AnyScore


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    lines: list[str]  # SVG polyline points, one per unbroken run of points
    bands: list[str]  # SVG polygon points of the margin of error around each run
    dots: list[Dot]
    grid: list[tuple[float, float]]  # (y, value) for the horizontal guide lines
    ticks: list[tuple[float, date]]  # (x, period start) for the labelled points
    zero_y: float
    # The team's own target (scoring/targets.py) as a horizontal line, when it has one.
    target_y: float | None = None


class Placed(NamedTuple):
    """A point that has a value (and so its margin), at its x."""

    x: float
    start: date
    score: AnyScore
    nps: float  # the value, whatever the kind (the name is the first kind's)
    margin: float


def _runs(points: list[Placed | None]) -> Iterator[list[Placed]]:
    """The unbroken stretches of points: a period without an NPS breaks the line."""
    run: list[Placed] = []
    for point in points:
        if point is None:
            if run:
                yield run
            run = []
        else:
            run.append(point)
    if run:
        yield run


def trend_chart(
    points: list[tuple[date, AnyScore]],
    width: int = 720,
    height: int = 240,
    pad: int = 36,
    target: float | None = None,
) -> TrendChart:
    """The points are of one series (one kind of score): its axis is the first point's."""
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    axis = AXES[points[0][1].kind if points else "nps"]

    def y_of(value: float) -> float:
        value = min(max(value, axis.low), axis.high)
        return round(pad + (axis.high - value) / (axis.high - axis.low) * inner_h, 1)

    step = inner_w / max(len(points) - 1, 1)
    placed: list[Placed | None] = []
    for i, (start, score) in enumerate(points):
        x = round(pad + i * step, 1)
        nps, margin = score.value, score.margin_of_error
        # (Both or neither: an NPS and its margin need the same enough answers.)
        if nps is None or margin is None:
            placed.append(None)
        else:
            placed.append(Placed(x, start, score, nps, margin))
    lines, bands, dots = [], [], []
    for run in _runs(placed):
        lines.append(" ".join(f"{p.x},{y_of(p.nps)}" for p in run))
        upper = [f"{p.x},{y_of(p.nps + p.margin)}" for p in run]
        lower = [f"{p.x},{y_of(p.nps - p.margin)}" for p in reversed(run)]
        if len(run) == 1:  # a lone point: a narrow band so its margin still shows
            x, p = run[0].x, run[0]
            upper = [
                f"{x - 3},{y_of(p.nps + p.margin)}",
                f"{x + 3},{y_of(p.nps + p.margin)}",
            ]
            lower = [
                f"{x + 3},{y_of(p.nps - p.margin)}",
                f"{x - 3},{y_of(p.nps - p.margin)}",
            ]
        bands.append(" ".join(upper + lower))
        dots += [Dot(p.x, y_of(p.nps), p.start, p.score) for p in run]
    every = max(1, len(points) // 8)
    ticks = [
        (round(pad + i * step, 1), start) for i, (start, _s) in enumerate(points) if i % every == 0
    ]
    grid = [(y_of(v), v) for v in axis.grid]
    target_y = None if target is None else y_of(float(target))
    return TrendChart(width, height, lines, bands, dots, grid, ticks, y_of(axis.zero), target_y)


@dataclass(frozen=True)
class Bar:
    score: int
    count: int
    x: float
    y: float
    height: float
    share: float
    category: str  # the scale's name for the score ("promoter", "satisfied")
    tone: str  # the bar's colour: "good", "middle" or "bad" (bar-good)


TONES = ("good", "middle", "bad")


def distribution_chart(
    histogram: tuple[int, ...],
    width: int = 440,
    height: int = 160,
    question_type: str = NPS.key,
):
    """Bars of the answers per score of the type's scale (the histogram is of that scale)."""
    scale = scale_for(question_type)
    top = max(histogram) or 1
    total = sum(histogram) or 1
    slot = width / len(histogram)
    inner = height - 24
    bars = []
    for slot_number, (score, count) in enumerate(zip(scale.scores, histogram, strict=True)):
        h = round(count / top * inner, 1)
        x = round(slot_number * slot + 2, 1)
        band = scale.category(score)
        tone = TONES[scale.categories.index(band)]
        bars.append(Bar(score, count, x, round(inner - h, 1), h, count / total, band.name, tone))
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "bar_width": round(slot - 4, 1),
        "label_x": round(slot / 2 - 2, 1),
        "label_y": height - 6,
        "low": scale.low,
        "high": scale.high,
    }


def sparkline(points: list[tuple[date, AnyScore]], width: int = 120, height: int = 32) -> list[str]:
    """Polyline runs of a small trend line on the fixed range of its kind (−100…100 for an
    NPS; the team's own past only: the same range for every team of a kind, so no team is
    drawn as "higher" by stretching)."""
    chart = trend_chart(points, width=width, height=height, pad=3)
    return chart.lines
