"""The year-end forecast: E(12) and A(12) as a distribution, by seeded simulation (DOMAIN.md §9).

At month m, each forecastable indicator's month-12 value is drawn from its own process:
a normal distribution with the chart's mean and sigma = mean moving range / 1.128
(:mod:`cquin_cli.compute.spc`). The year end is paid on the month-12 value alone
(DOMAIN.md §4), so that one draw is all a remaining month changes; months m+1..11 need
not be drawn. Each run's draws replace the month-12 measurements of the "year ended now"
data and go through the real reconciliation
(:func:`cquin_cli.compute.reconciliation.reconcile`), which prices them to the penny; the
money is never worked out here.

* An indicator is forecastable when it is paid on a target and its chart has at least
  :data:`MINIMUM_POINTS` points (baseline year and this year together). Any other
  indicator (a milestone indicator, too few points, no data) is not forecastable: it is
  held at what is known now (its latest value, or at year end none, counting 0) and
  listed as such, never guessed.
* A draw is rounded half-up to two decimal places before it is assessed.
* :data:`RUNS` runs; the random generator (:class:`random.Random`) is seeded from a
  SHA-256 hash of the inputs (scheme, month, each indicator's series, the data the
  reconciliation rests on), so the same input gives the same figures, byte for byte.
* P10, P50 and P90 by the nearest-rank method: the value at position ceil(k/100 x runs)
  of the sorted run results, so every percentile is an amount some run produced.
* Runs whose assessed fractions are the same give the same reconciliation; it is
  computed once and reused (all-or-nothing indicators take only two fractions).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from cquin_cli.compute.pricing import Price, by_commissioner, price
from cquin_cli.compute.reconciliation import (
    YEAR_END,
    Reconciliation,
    assess,
    reconcile,
)
from cquin_cli.compute.spc import Chart
from cquin_cli.load.achievement import Achievement, Measurement
from cquin_cli.load.scheme import Indicator, Scheme
from cquin_cli.vocabulary import Direction

MINIMUM_POINTS = 6
RUNS = 1000
PERCENTILES = (10, 50, 90)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Percentiles:
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass(frozen=True, slots=True)
class CommissionerForecast:
    code: str
    name: str
    earned: Percentiles  # this commissioner's share of E(12)
    adjustment: Percentiles  # this commissioner's part of A(12)


@dataclass(frozen=True, slots=True)
class IndicatorForecast:
    number: str
    forecastable: bool
    reason: str  # why not forecastable, in words ("" when it is)
    earned: Percentiles  # its line of E(12)
    meets_final: Fraction | None  # share of runs whose month-12 value meets the final value


@dataclass(frozen=True, slots=True)
class YearEndForecast:
    month: int
    runs: int
    seed: int
    earned: Percentiles  # E(12)
    adjustment: Percentiles  # A(12)
    commissioners: tuple[CommissionerForecast, ...]
    indicators: tuple[IndicatorForecast, ...]


def percentile(sorted_values: Sequence[Decimal], k: int) -> Decimal:
    """The nearest-rank k-th percentile of values already sorted."""
    rank = max(1, math.ceil(k * len(sorted_values) / 100))
    return sorted_values[rank - 1]


def _percentiles(values: list[Decimal]) -> Percentiles:
    ordered = sorted(values)
    return Percentiles(*(percentile(ordered, k) for k in PERCENTILES))


def seed_for(
    scheme: Scheme,
    month: int,
    year_end_now: Achievement,
    series: Mapping[str, Sequence[str]],
) -> int:
    """A seed from a SHA-256 hash of everything the forecast rests on."""
    text = [
        scheme.file,
        scheme.financial_year,
        scheme.provider.code,
        str(month),
        str(year_end_now.actual_outturn),
    ]
    text += [f"{m.indicator}:{m.month}:{m.value}:{m.met}" for m in year_end_now.measurements]
    text += [f"{a.month}:{a.amount}" for a in year_end_now.adjustments]
    text += [f"{number}=" + ",".join(str(v) for v in values) for number, values in sorted(series.items())]
    return int.from_bytes(hashlib.sha256("\n".join(text).encode("utf-8")).digest()[:8], "big")


def _draw(rng: random.Random, chart: Chart) -> Decimal:
    mean, sigma = float(chart.mean), float(chart.sigma)
    value = rng.gauss(mean, sigma) if sigma > 0 else mean
    return Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def forecastable(indicator: Indicator, chart: Chart | None) -> str:
    """Why ``indicator`` cannot be forecast, in words; "" when it can."""
    if indicator.partial_achievement.rule.met_or_not:
        return "a milestone indicator (met or not met) has no process to simulate; held at its latest result"
    points = 0 if chart is None else len(chart.values)
    if points < MINIMUM_POINTS:
        return f"{points} point{'s' if points != 1 else ''} measured; a forecast needs at least {MINIMUM_POINTS}"
    return ""


def forecast(
    scheme: Scheme,
    year_end_now: Achievement,
    charts: dict[str, Chart | None],
    month: int,
    *,
    runs: int = RUNS,
    seed: int | None = None,
    priced: Price | None = None,
) -> YearEndForecast:
    """The distribution of E(12) and A(12) from month ``month``; see the module docstring.

    ``year_end_now``: the data as if the year ended now (each indicator's latest value as
    its month-12 measurement, the base and adjustments known at ``month``).
    ``charts``: each indicator's chart by number (None: fewer than two points).
    ``priced``: ``price(scheme)``, when the caller has it (else priced here, once).
    """
    if runs < 1:
        raise ValueError("a forecast needs at least one run")
    share = scheme.payment.on_account_share
    if priced is None:
        priced = price(scheme)
    why_not = {
        i.number: forecastable(i, charts.get(i.number)) if month < YEAR_END else "the year is over: no months remain"
        for i in scheme.indicators
    }
    drawn = [i for i in scheme.indicators if not why_not[i.number]]
    series = {number: tuple(str(v) for v in c.values) for number, c in charts.items() if c is not None}
    if seed is None:
        seed = seed_for(scheme, month, year_end_now, series)
    rng = random.Random(seed)
    kept = tuple(m for m in year_end_now.measurements if not (m.month == YEAR_END and m.indicator in {i.number for i in drawn}))
    cache: dict[tuple[Fraction, ...], Reconciliation] = {}
    earned: list[Decimal] = []
    adjustment: list[Decimal] = []
    lines: dict[str, list[Decimal]] = {i.number: [] for i in scheme.indicators}
    met_final: dict[str, int] = {i.number: 0 for i in drawn}
    parts_earned: list[list[Decimal]] = [[] for _ in scheme.commissioners]
    parts_adjustment: list[list[Decimal]] = [[] for _ in scheme.commissioners]
    for _ in range(runs):
        draws = []
        key = []
        for indicator in drawn:
            chart = charts[indicator.number]
            assert chart is not None  # forecastable
            value = _draw(rng, chart)
            measurement = Measurement(
                indicator.number,
                YEAR_END,
                value,
                None,
                "simulated",
                ("measurements", -1),
            )
            draws.append(measurement)
            a = assess(indicator, measurement, YEAR_END, share)
            key.append(a.fraction)
            if a.target is not None and (indicator.direction or Direction.HIGHER).meets(value, a.target):
                met_final[indicator.number] += 1
        done = cache.get(tuple(key))
        if done is None:
            done = reconcile(
                scheme,
                replace(year_end_now, measurements=kept + tuple(draws)),
                YEAR_END,
                priced=priced,
            )
            cache[tuple(key)] = done
        earned.append(done.earned)
        adjustment.append(done.adjustment)
        for line in done.indicators:
            lines[line.number].append(line.earned)
        for k, part in enumerate(by_commissioner(scheme, done.earned) if scheme.commissioners else []):
            parts_earned[k].append(part)
        for k, c in enumerate(done.commissioners):
            parts_adjustment[k].append(c.adjustment)
    return YearEndForecast(
        month=month,
        runs=runs,
        seed=seed,
        earned=_percentiles(earned),
        adjustment=_percentiles(adjustment),
        commissioners=tuple(
            CommissionerForecast(
                c.code,
                c.name,
                _percentiles(parts_earned[k]),
                _percentiles(parts_adjustment[k]),
            )
            for k, c in enumerate(scheme.commissioners)
            if parts_earned[k] and parts_adjustment[k]
        ),
        indicators=tuple(
            IndicatorForecast(
                i.number,
                not why_not[i.number],
                why_not[i.number],
                _percentiles(lines[i.number]),
                Fraction(met_final[i.number], runs) if i.number in met_final else None,
            )
            for i in scheme.indicators
        ),
    )
