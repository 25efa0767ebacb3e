"""The monthly XmR chart of one indicator, laid out for inline SVG (DOMAIN.md §9).

The figures are ``cquin monitor``'s own (:class:`cquin_cli.compute.monitoring.IndicatorMonitor`):
the series (the baseline year's months, then this year's), the chart's mean and process
limits (:mod:`cquin_cli.compute.spc`), the points that belong to a special-cause signal,
and the targets (milestones, then the final value). Here they only become coordinates,
rounded to a tenth of a pixel from exact fractions, so the same figures draw the same
bytes. The template (``scheme.html``) draws them; every label is escaped there.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cquin_cli.compute import spc
from cquin_cli.compute.monitoring import IndicatorMonitor
from cquin_cli.render.words import number

WIDTH = 600
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 34


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: str
    y: str
    label: str  # B4 (baseline year, month 4), 6 (this year, month 6)
    value: str
    flagged: bool  # belongs to a special-cause signal
    baseline: bool


@dataclass(frozen=True, slots=True)
class ChartLine:
    y: str
    label: str
    kind: str  # mean | limit | target


@dataclass(frozen=True, slots=True)
class ChartView:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    path: str  # the polyline's points
    lines: tuple[ChartLine, ...]
    ticks: tuple[tuple[str, str], ...]  # (y, label) of the value axis
    left: int
    right: int  # x of the plot's right edge
    bottom: int  # y of the plot's bottom edge
    summary: str  # the chart in words, for a screen reader and the page


def _fmt(value: Fraction) -> str:
    rounded = round(value * 10)
    sign = "-" if rounded < 0 else ""
    whole, tenth = divmod(abs(rounded), 10)
    return f"{sign}{whole}.{tenth}"


def _nice(value: Fraction) -> str:
    return number(spc.as_decimal(value, 2).normalize())


def chart_view(indicator: IndicatorMonitor) -> ChartView | None:
    """The SVG layout of an indicator's series; None when there is nothing to draw."""
    points = indicator.points
    if not points:
        return None
    values = [Fraction(p.value) for p in points]
    chart = indicator.chart
    levels = list(values)
    lines: list[tuple[Fraction, str, str]] = []
    if chart is not None:
        lines += [
            (chart.mean, f"mean {_nice(chart.mean)}", "mean"),
            (chart.upper, f"upper limit {_nice(chart.upper)}", "limit"),
            (chart.lower, f"lower limit {_nice(chart.lower)}", "limit"),
        ]
    if indicator.next_target is not None:
        month, target = indicator.next_target
        where = "final value" if month == 12 else f"month-{month} target"
        lines.append((Fraction(target), f"{where} {number(target)}", "target"))
    levels += [level for level, _, _ in lines]
    low, high = min(levels), max(levels)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) / 10
    low, high = low - pad, high + pad
    plot_w = Fraction(WIDTH - LEFT - RIGHT)
    plot_h = Fraction(HEIGHT - TOP - BOTTOM)

    def y_of(v: Fraction) -> str:
        return _fmt(TOP + (high - v) / (high - low) * plot_h)

    def x_of(i: int) -> str:
        if len(points) == 1:
            return _fmt(LEFT + plot_w / 2)
        return _fmt(LEFT + plot_w * i / (len(points) - 1))

    flagged = chart.flagged if chart is not None else frozenset()
    drawn = tuple(
        ChartPoint(x_of(i), y_of(v), p.label, number(p.value), i in flagged, p.year == "baseline")
        for i, (p, v) in enumerate(zip(points, values))
    )
    ticks = tuple((y_of(low + (high - low) * k / 4), _nice(low + (high - low) * k / 4)) for k in range(5))
    words = [f"{len(points)} monthly values from {points[0].label} to {points[-1].label}, latest {number(points[-1].value)}"]
    if chart is not None:
        words.append(f"mean {_nice(chart.mean)}, process limits {_nice(chart.lower)} to {_nice(chart.upper)}")
        words.append(spc.VARIATION_WORDS[chart.variation])
        if chart.assurance:
            words.append(spc.ASSURANCE_WORDS[chart.assurance])
    return ChartView(
        WIDTH,
        HEIGHT,
        drawn,
        " ".join(f"{p.x},{p.y}" for p in drawn),
        tuple(ChartLine(y_of(level), label, kind) for level, label, kind in lines),
        ticks,
        LEFT,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        "; ".join(words),
    )


__all__ = ["ChartLine", "ChartPoint", "ChartView", "chart_view"]
