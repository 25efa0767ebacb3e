"""Statistical process control of one indicator's monthly series (footnote 32; "Making Data Count").

An XmR (individuals) chart, the NHS's own conventions, in exact arithmetic:

* the centre line is the mean of the points; the moving ranges are |x_i - x_(i-1)|;
* the process limits are mean +- 2.66 x mean moving range; sigma is the mean moving
  range / 1.128 (so the limits are very nearly three sigma), and "near a limit" means
  beyond two sigma from the mean;
* four special-cause tests: a point outside the limits; a run of ``shift_run`` (7)
  points on one side of the mean (a point exactly on the mean ends a run); a run of
  ``trend_run`` (7) points each strictly higher, or each strictly lower, than the one
  before (an equal value ends it); two of three consecutive points beyond two sigma on
  the same side;
* the variation verdict reads the latest point: special cause when it belongs to a
  signal, improving or concerning by the side of the signal and the indicator's
  direction; common cause otherwise;
* the assurance verdict compares the target with the limits: outside them, the
  process will reliably meet (or reliably miss) it; inside, it is hit and miss. A
  target exactly on a limit counts as outside it.

Values come in as :class:`~decimal.Decimal` (read from text) and every limit is an
exact :class:`~fractions.Fraction`, so the same series always gives the same chart.
The limits are computed from every point given (no re-basing after a shift).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import groupby

LIMIT_FACTOR = Fraction("2.66")
SIGMA_DIVISOR = Fraction("1.128")
MINIMUM_POINTS = 2  # a moving range needs two points

# Signal tests (Signal.test)
OUTSIDE_LIMITS = "outside_limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"

# Sides of a signal (Signal.side)
HIGH = "high"
LOW = "low"

# Variation verdicts
COMMON_CAUSE = "common_cause"
IMPROVING = "special_cause_improving"
CONCERNING = "special_cause_concerning"

# Assurance verdicts
RELIABLY_MET = "reliably_met"
RELIABLY_MISSED = "reliably_missed"
HIT_AND_MISS = "hit_and_miss"

TEST_WORDS = {
    OUTSIDE_LIMITS: "a point outside the process limits",
    SHIFT: "{n} points in a row on one side of the mean",
    TREND: "{n} points in a row rising or falling",
    TWO_OF_THREE: "2 of 3 points beyond two sigma on the same side",
}
VARIATION_WORDS = {
    COMMON_CAUSE: "common cause",
    IMPROVING: "special cause, improving",
    CONCERNING: "special cause, concerning",
}
ASSURANCE_WORDS = {
    RELIABLY_MET: "target reliably met",
    RELIABLY_MISSED: "target reliably missed",
    HIT_AND_MISS: "hit and miss",
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One special-cause signal: which test, on which points (0-based positions), on which side."""

    test: str
    points: tuple[int, ...]
    side: str  # high | low (a rising trend is high)

    def words(self, run: int) -> str:
        return TEST_WORDS[self.test].format(n=run)


@dataclass(frozen=True, slots=True)
class Chart:
    """An XmR chart of a series, its signals and its verdicts.

    The points are kept as whole numbers over one denominator (``scaled``/``scale``), as
    the tests read them; :attr:`values` gives them back as exact Fractions.
    """

    scaled: tuple[int, ...]
    scale: int
    mean: Fraction
    mean_moving_range: Fraction
    upper: Fraction
    lower: Fraction
    sigma: Fraction
    signals: tuple[Signal, ...]
    variation: str
    assurance: str | None  # None: no target to assure
    shift_run: int
    trend_run: int

    @property
    def values(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(x, self.scale) for x in self.scaled)

    @property
    def flagged(self) -> frozenset[int]:
        """Positions of every point that belongs to a signal."""
        return frozenset(p for s in self.signals for p in s.points)

    def signal_words(self) -> tuple[str, ...]:
        seen: list[str] = []
        for s in self.signals:
            run = self.shift_run if s.test == SHIFT else self.trend_run
            words = f"{s.words(run)} ({s.side})"
            if words not in seen:
                seen.append(words)
        return tuple(seen)


def _side(value: int, centre: int) -> int:
    return (value > centre) - (value < centre)


def _runs(key: Sequence[int], length: int, test: str) -> list[Signal]:
    """Maximal runs of at least ``length`` consecutive positions with the same non-zero ``key``."""
    signals = []
    position = 0
    for side, group in groupby(key):
        size = len(list(group))
        if side != 0 and size >= length:
            signals.append(
                Signal(
                    test,
                    tuple(range(position, position + size)),
                    HIGH if side > 0 else LOW,
                )
            )
        position += size
    return signals


def chart(
    series: Sequence[Decimal | Fraction | int],
    *,
    direction: str = "higher",
    target: Decimal | Fraction | None = None,
    shift_run: int = 7,
    trend_run: int = 7,
) -> Chart | None:
    """The XmR chart of ``series`` (oldest first); None with fewer than two points."""
    if shift_run < 2 or trend_run < 2:
        raise ValueError("run lengths are at least 2")
    ratios = [v.as_integer_ratio() for v in series]  # exact: Decimal, Fraction and int alike
    if len(ratios) < MINIMUM_POINTS:
        return None
    n = len(ratios)
    # Every test is a comparison with the mean, a limit or two sigma; each is decided in
    # whole numbers (the points scaled to a common denominator, each side of the
    # inequality multiplied out), which gives exactly what the Fractions would and is
    # about twenty times faster (docs/performance.md).
    scale = math.lcm(*(d for _, d in ratios))
    x = [numerator * (scale // d) for numerator, d in ratios]
    total = sum(x)
    range_total = sum(abs(x[i] - x[i - 1]) for i in range(1, n))
    mean = Fraction(total, n * scale)
    mmr = Fraction(range_total, (n - 1) * scale)
    upper, lower = mean + LIMIT_FACTOR * mmr, mean - LIMIT_FACTOR * mmr
    sigma = mmr / SIGMA_DIVISOR
    # point v against mean + f x mmr, with f = p / q: q n (n-1) X  vs  q (n-1) total + p n range_total
    limit_q, limit_p = LIMIT_FACTOR.denominator, LIMIT_FACTOR.numerator
    sigma_q, sigma_p = SIGMA_DIVISOR.numerator, 2 * SIGMA_DIVISOR.denominator  # 2 sigma = (2 / 1.128) x mmr
    signals: list[Signal] = []
    limit_centre, limit_width = limit_q * (n - 1) * total, limit_p * n * range_total
    for i, xi in enumerate(x):
        scaled = limit_q * n * (n - 1) * xi
        if scaled > limit_centre + limit_width:
            signals.append(Signal(OUTSIDE_LIMITS, (i,), HIGH))
        elif scaled < limit_centre - limit_width:
            signals.append(Signal(OUTSIDE_LIMITS, (i,), LOW))
    signals += _runs([_side(n * xi, total) for xi in x], shift_run, SHIFT)
    # a trend of k points is k - 1 steps the same way; step i is from point i - 1 to point i
    steps = [_side(x[i], x[i - 1]) for i in range(1, n)]
    for s in _runs(steps, trend_run - 1, TREND):
        signals.append(Signal(TREND, (s.points[0],) + tuple(p + 1 for p in s.points), s.side))
    sigma_centre, sigma_width = sigma_q * (n - 1) * total, sigma_p * n * range_total
    scaled_sigma = [sigma_q * n * (n - 1) * xi for xi in x]
    for side, beyond in (
        (HIGH, [v > sigma_centre + sigma_width for v in scaled_sigma]),
        (LOW, [v < sigma_centre - sigma_width for v in scaled_sigma]),
    ):
        # Overlapping windows of one side are one signal. A window that does not overlap
        # the signal being built overlaps no earlier one either (their points all lie
        # before it), so one pass builds them in order.
        chain: list[int] = []
        for i in range(n - 2):
            window = [j for j in range(i, i + 3) if beyond[j]]
            if len(window) < 2:
                continue
            if chain and window[0] <= chain[-1]:
                chain += [j for j in window if j > chain[-1]]
            else:
                if chain:
                    signals.append(Signal(TWO_OF_THREE, tuple(chain), side))
                chain = window
        if chain:
            signals.append(Signal(TWO_OF_THREE, tuple(chain), side))
    signals = _merge(signals)
    latest = n - 1
    variation = COMMON_CAUSE
    latest_sides = {s.side for s in signals if latest in s.points}
    if latest_sides:
        good = HIGH if direction != "lower" else LOW
        # a latest point caught both ways (a falling trend still above the mean) is concerning if either side is
        variation = IMPROVING if latest_sides == {good} else CONCERNING
    assurance = None if target is None else _assurance(Fraction(target), upper, lower, direction)
    return Chart(
        tuple(x),
        scale,
        mean,
        mmr,
        upper,
        lower,
        sigma,
        tuple(signals),
        variation,
        assurance,
        shift_run,
        trend_run,
    )


_ORDER = {OUTSIDE_LIMITS: 0, SHIFT: 1, TREND: 2, TWO_OF_THREE: 3}


def _merge(signals: list[Signal]) -> list[Signal]:
    """Signals in order: by first point, then test, then side (two-of-three windows are already merged)."""
    return sorted(signals, key=lambda s: (s.points[0], _ORDER[s.test], s.side))


def _assurance(target: Fraction, upper: Fraction, lower: Fraction, direction: str) -> str:
    if direction == "lower":
        if target >= upper:
            return RELIABLY_MET
        if target <= lower:
            return RELIABLY_MISSED
        return HIT_AND_MISS
    if target <= lower:
        return RELIABLY_MET
    if target >= upper:
        return RELIABLY_MISSED
    return HIT_AND_MISS


def as_decimal(value: Fraction, places: int = 2) -> Decimal:
    """A limit or mean for display, rounded half-up to ``places`` decimal places."""
    from decimal import ROUND_HALF_UP

    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


__all__ = [
    "ASSURANCE_WORDS",
    "COMMON_CAUSE",
    "CONCERNING",
    "HIGH",
    "HIT_AND_MISS",
    "IMPROVING",
    "LOW",
    "OUTSIDE_LIMITS",
    "RELIABLY_MET",
    "RELIABLY_MISSED",
    "SHIFT",
    "TREND",
    "TWO_OF_THREE",
    "VARIATION_WORDS",
    "Chart",
    "Signal",
    "as_decimal",
    "chart",
]
