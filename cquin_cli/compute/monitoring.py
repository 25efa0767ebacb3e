"""The monthly view of a scheme: each indicator's series, status, chart and money (DOMAIN.md §9).

:func:`monitor` is a pure function of a scheme, its achievement data and a month 1-12.
For each indicator:

* **the series**: the baseline year's months (``history:``), then this year's months up to
  the month asked, oldest first; a milestone indicator has its met / not met results;
* **the next target**: the first milestone with a target at or after the month, else the
  final value (month 12);
* **the chart**: :func:`cquin_cli.compute.spc.chart` of the series against the next target;
* **the status**, and the reason for it in words:

  - *no data*: nothing measured this year up to the month;
  - *off track*: the latest value misses the next target and the process gives no hope of
    better: its limits say it will reliably miss the target (and it is not improving by a
    special cause), or its variation is a special cause, concerning; or the month-12 value
    misses the final value (the year is over); for a milestone indicator, the year-end
    milestone not met;
  - *at risk*: the latest value misses the next target (but the process might still
    reach it, or is improving by a special cause); or it meets it, but the target lies within the process limits (hit and
    miss) or beyond them, or the variation is a special cause, concerning; for a
    milestone indicator, the latest milestone not met with a milestone still to come;
  - *on track*: the latest value meets the next target and the process reliably meets it,
    or it is improving by a special cause, or there are too few points for process limits
    (fewer than two); for a milestone indicator, the latest milestone met;

* **the process** the forecast draws from: the whole chart, or, when the latest point
  belongs to a sustained shift (a run on one side of the mean), the points since the shift
  began, charted again ("Making Data Count" re-bases the limits after a shift);
* **the money**: its value (its share of the pot at the planned base), what it would earn
  "if the year ended now" (the year-end reconciliation with each indicator's latest
  value standing as its month-12 value: see :func:`year_ended_now`), and its forecast.

On a checkpoint month the scheme's reconciliation at that month is included, computed by
the same :func:`cquin_cli.compute.reconciliation.reconcile` as ``cquin reconcile``. The
money at risk is the value of the indicators at risk or off track.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from cquin_cli.compute import spc
from cquin_cli.compute.forecast import YearEndForecast, forecast
from cquin_cli.compute.pricing import planned_base, price
from cquin_cli.compute.reconciliation import (
    YEAR_END,
    Reconciliation,
    ReconciliationRefused,
    reconcile,
)
from cquin_cli.load.achievement import Achievement, Measurement
from cquin_cli.load.scheme import Indicator, Scheme
from cquin_cli.money import ZERO
from cquin_cli.partial_achievement import Rule
from cquin_cli.vocabulary import Direction

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
STATUS_WORDS = {
    ON_TRACK: "on track",
    AT_RISK: "at risk",
    OFF_TRACK: "off track",
    NO_DATA: "no data",
}


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a series: ``baseline`` year or ``this`` year, a month, a value."""

    year: str
    month: int
    value: Decimal

    @property
    def label(self) -> str:
        return f"{'B' if self.year == 'baseline' else ''}{self.month}"


@dataclass(frozen=True, slots=True)
class IndicatorMonitor:
    goal_number: str
    number: str
    name: str
    rule: Rule  # the rule for partial achievement
    direction: Direction | None
    weighting: Decimal
    points: tuple[Point, ...]  # target-based: the series, baseline year first
    results: tuple[tuple[int, bool], ...]  # milestone indicators: (month, met)
    targets: tuple[tuple[int, Decimal], ...]  # (month, target): milestones with a target, then the final value at 12
    next_target: tuple[int, Decimal] | None
    latest: Measurement | None  # this year's latest measurement up to the month
    chart: spc.Chart | None
    status: str
    reason: str
    value: Decimal  # its share of the pot at the planned base
    year_ended_now: Decimal  # its line of E(12) if the year ended now
    process: spc.Chart | None  # the process the forecast draws from (the chart, or since a sustained shift)
    process_from: Point | None  # its first point

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    scheme: Scheme
    achievement_file: str
    month: int
    indicators: tuple[IndicatorMonitor, ...]
    checkpoint: Reconciliation | None  # the reconciliation at ``month`` when it is a checkpoint
    checkpoint_refusal: str  # why a checkpoint month has no reconciliation ("" otherwise)
    year_ended_now: Reconciliation
    forecast: YearEndForecast | None
    pot: Decimal  # at the planned base

    @property
    def money_at_risk(self) -> Decimal:
        return sum((i.value for i in self.indicators if i.status in (AT_RISK, OFF_TRACK)), ZERO)

    def count(self, status: str) -> int:
        return sum(1 for i in self.indicators if i.status == status)

    def summary(self) -> MonitorSummary:
        return MonitorSummary(
            self.scheme.file,
            self.scheme.provider.code,
            self.scheme.financial_year,
            self.month,
            tuple((status, self.count(status)) for status in STATUS_WORDS),
            self.money_at_risk,
            self.pot,
            self.year_ended_now.earned,
            self.year_ended_now.adjustment,
        )


@dataclass(frozen=True, slots=True)
class MonitorSummary:
    """What the table across schemes reads of one scheme's :class:`MonthlyReport`.

    A folder run monitors its schemes in worker processes (:mod:`cquin_cli.compute.monitoring_run`),
    which send back this (about 200 bytes) rather than the report with its scheme and two
    reconciliations.
    """

    file: str
    provider: str
    financial_year: str
    month: int
    statuses: tuple[tuple[str, int], ...]  # (status, how many indicators), in STATUS_WORDS order
    money_at_risk: Decimal
    pot: Decimal
    earned: Decimal  # E(12) if the year ended now
    adjustment: Decimal  # A(12) if the year ended now

    def count(self, status: str) -> int:
        return dict(self.statuses).get(status, 0)


def latest_month(achievement: Achievement) -> int | None:
    """The latest month this year with any measurement (None: nothing measured yet)."""
    months = [m.month for m in achievement.measurements if 1 <= m.month <= YEAR_END]
    return max(months) if months else None


def year_ended_now(scheme: Scheme, achievement: Achievement, month: int) -> Achievement:
    """The data as if the year ended at ``month``: what the "if the year ended now" figures reconcile.

    Each indicator's latest measurement up to ``month`` stands as its month-12 value; the
    base is the actual outturn at month 12, else the latest forecast outturn recorded for a
    checkpoint up to ``month``, else the planned base; adjustments recorded up to
    ``month`` count as paid. At month 12 this is the data itself, so the figures are those
    of ``cquin reconcile --month 12``.
    """
    latest: dict[str, Measurement] = {}
    for m in sorted(achievement.measurements, key=lambda m: m.month):
        if m.month <= month:
            latest[m.indicator] = m  # later months overwrite earlier ones
    forecasts = sorted((f for f in achievement.forecasts if f.month <= month), key=lambda f: f.month)
    if month == YEAR_END and achievement.actual_outturn is not None:
        base = achievement.actual_outturn
    elif forecasts:
        base = forecasts[-1].base
    else:
        base = planned_base(scheme)
    return replace(
        achievement,
        measurements=tuple(replace(m, month=YEAR_END) for m in latest.values()),
        forecasts=(),
        actual_outturn=base,
        adjustments=tuple(a for a in achievement.adjustments if a.month <= month),
    )


def _targets(indicator: Indicator) -> tuple[tuple[int, Decimal], ...]:
    targets = [
        (m.month, m.target)
        for m in sorted(indicator.milestones, key=lambda m: m.month)
        if m.target is not None and m.month < YEAR_END
    ]
    if indicator.final is not None and indicator.final.value is not None:
        targets.append((YEAR_END, indicator.final.value))
    return tuple(targets)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _target_words(month: int) -> str:
    return "the final value" if month == YEAR_END else f"the month-{month} milestone"


def _status(
    indicator: Indicator,
    latest: Measurement | None,
    next_target: tuple[int, Decimal] | None,
    chart: spc.Chart | None,
    month: int,
) -> tuple[str, str]:
    if latest is None or (latest.value is None and latest.met is None):
        return NO_DATA, f"nothing measured this year up to month {month}"
    if indicator.partial_achievement.rule.met_or_not:
        if latest.met:
            return ON_TRACK, f"month-{latest.month} milestone met"
        later = [m.month for m in indicator.milestones if m.month > latest.month]
        if later or latest.month < YEAR_END:
            return (
                AT_RISK,
                f"month-{latest.month} milestone not met; next milestone month {later[0] if later else YEAR_END}",
            )
        return OFF_TRACK, "the year-end milestone is not met"
    if next_target is None or latest.value is None:
        return NO_DATA, "no target to measure against"
    when, target = next_target
    direction = indicator.direction or Direction.HIGHER
    hits = direction.meets(latest.value, target)
    against = f"{_target_words(when)} {_num(target)}"
    value = f"month-{latest.month} value {_num(latest.value)}"
    if not hits and latest.month == YEAR_END:
        return OFF_TRACK, f"{value} misses {against}, and the year is over"
    if chart is None:
        return (
            (ON_TRACK, f"{value} meets {against}; too few points for process limits")
            if hits
            else (AT_RISK, f"{value} misses {against}")
        )
    limits = f"process limits {_num(spc.as_decimal(chart.lower))}-{_num(spc.as_decimal(chart.upper))}"
    concerning = chart.variation == spc.CONCERNING
    if not hits:
        if chart.variation == spc.IMPROVING:
            return (
                AT_RISK,
                f"{value} misses {against}, but the process is improving (special cause)",
            )
        if chart.assurance == spc.RELIABLY_MISSED:
            return (
                OFF_TRACK,
                f"{value} misses {against}, and the {limits} say it will reliably be missed",
            )
        if concerning:
            return (
                OFF_TRACK,
                f"{value} misses {against}, and the process is getting worse (special cause, concerning)",
            )
        return AT_RISK, f"{value} misses {against}; the {limits} leave it hit and miss"
    if concerning:
        return (
            AT_RISK,
            f"{value} meets {against}, but the process is getting worse (special cause, concerning)",
        )
    if chart.variation == spc.IMPROVING or chart.assurance == spc.RELIABLY_MET:
        why = (
            "the process is improving (special cause)"
            if chart.variation == spc.IMPROVING
            else f"the {limits} say it will reliably be met"
        )
        return ON_TRACK, f"{value} meets {against}; {why}"
    return AT_RISK, f"{value} meets {against}, but the {limits} leave it hit and miss"


def _process(
    points: Sequence[Point], chart: spc.Chart | None, shift_run: int, trend_run: int
) -> tuple[spc.Chart | None, Point | None]:
    """The process a forecast draws from: since the start of a sustained shift the latest point belongs to, else the whole chart.

    "Making Data Count" recalculates the limits once a shift is sustained; a forecast from
    limits that span both sides of the shift would describe neither.
    """
    if chart is None:
        return None, None
    latest = len(points) - 1
    shifts = [s for s in chart.signals if s.test == spc.SHIFT and latest in s.points]
    if shifts:
        start = shifts[0].points[0]
        rebased = spc.chart([p.value for p in points[start:]], shift_run=shift_run, trend_run=trend_run)
        if rebased is not None:
            return rebased, points[start]
    return chart, points[0]


def monitor(
    scheme: Scheme,
    achievement: Achievement,
    month: int,
    *,
    shift_run: int = 7,
    trend_run: int = 7,
    with_forecast: bool = True,
    runs: int | None = None,
) -> MonthlyReport:
    """The monthly view of ``scheme`` at ``month`` (1-12); see the module docstring."""
    if not 1 <= month <= YEAR_END:
        raise ValueError(f"month {month} is not a month of the financial year (1-12)")
    priced = price(scheme)
    values = {v.number: v.value for v in priced.indicators}
    now_data = year_ended_now(scheme, achievement, month)
    now = reconcile(scheme, now_data, YEAR_END, priced=priced)
    now_lines = {line.number: line.earned for line in now.indicators}
    checkpoint, refusal = None, ""
    if month in scheme.payment.checkpoints:
        try:
            checkpoint = reconcile(scheme, achievement, month, priced=priced)
        except ReconciliationRefused as exc:
            refusal = str(exc)
    rows = []
    charts: dict[str, spc.Chart | None] = {}
    for indicator in scheme.indicators:
        this_year = sorted(
            (m for m in achievement.measurements_of(indicator.number) if m.month <= month),
            key=lambda m: m.month,
        )
        latest = this_year[-1] if this_year else None
        targets = _targets(indicator)
        upcoming = [t for t in targets if t[0] >= month]
        next_target = upcoming[0] if upcoming else (targets[-1] if targets else None)
        points: Sequence[Point] = ()
        chart = None
        results: tuple[tuple[int, bool], ...] = ()
        if indicator.partial_achievement.rule.met_or_not:
            results = tuple((m.month, bool(m.met)) for m in this_year if m.met is not None)
        else:
            points = [
                Point("baseline", m.month, m.value) for m in achievement.history_of(indicator.number) if m.value is not None
            ]
            points += [Point("this", m.month, m.value) for m in this_year if m.value is not None]
            chart = spc.chart(
                [p.value for p in points],
                direction=indicator.direction or Direction.HIGHER,
                target=next_target[1] if next_target else None,
                shift_run=shift_run,
                trend_run=trend_run,
            )
        process, process_from = _process(points, chart, shift_run, trend_run)
        charts[indicator.number] = process
        status, reason = _status(indicator, latest, next_target, chart, month)
        rows.append(
            IndicatorMonitor(
                indicator.goal_number,
                indicator.number,
                indicator.name,
                indicator.partial_achievement.rule,
                indicator.direction,
                indicator.weighting,
                tuple(points),
                results,
                targets,
                next_target,
                latest,
                chart,
                status,
                reason,
                values.get(indicator.number, ZERO),
                now_lines.get(indicator.number, ZERO),
                process,
                process_from,
            )
        )
    year_end = None
    if with_forecast:
        year_end = forecast(scheme, now_data, charts, month, priced=priced, **({"runs": runs} if runs else {}))
    return MonthlyReport(
        scheme,
        achievement.file,
        month,
        tuple(rows),
        checkpoint,
        refusal,
        now,
        year_end,
        priced.expected_value,
    )
