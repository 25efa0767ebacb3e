"""Frozen achievement records, built from values that passed ``schemas/achievement.schema.json``.

Achievement data lives beside its scheme as ``NAME.achievement.yaml`` (see
:func:`cquin_cli.load.discovery.achievement_file_for`) and is under review like the
scheme itself (DOMAIN.md §2): measured values per indicator per month, the forecast
outturn base at in-year checkpoints, the actual outturn at year end, and the
reconciliation adjustments once agreed (written by ``cquin reconcile --record``).

Every record keeps its document ``path`` so checks can point at the exact line. Money
is exact :class:`~decimal.Decimal` (:func:`cquin_cli.money.money`); a value the
JSON Schema cannot judge (a YAML number with three decimal places where money belongs,
``.inf`` or ``.nan`` as a measurement, an impossible date) becomes a
:class:`~cquin_cli.load.scheme.Problem` carried in ``problems``, never an exception: the
builder always returns an :class:`Achievement`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal

from cquin_cli.load.scheme import Scheme, number_text
from cquin_cli.load.values import Path, Problem, ValueReader


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured value of one indicator for one month of the financial year."""

    indicator: str  # indicator number as written in the scheme
    month: int  # 1 is April, 12 is March
    value: Decimal | None  # for target-based indicators
    met: bool | None  # for milestone indicators (rule: milestone)
    note: str
    path: Path


@dataclass(frozen=True, slots=True)
class Forecast:
    """The forecast outturn contract base B_m recorded for an in-year checkpoint."""

    month: int
    base: Decimal
    path: Path


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A reconciliation adjustment A(m) as agreed and recorded at checkpoint ``month``."""

    month: int
    amount: Decimal  # positive: commissioners pay the provider; negative: the provider repays
    earned: Decimal | None
    paid: Decimal | None
    recorded: _dt.date | None
    by_commissioner: tuple[tuple[str, Decimal], ...]  # (commissioner code, amount), as written
    path: Path
    note: str = ""  # e.g. why it was recorded with every indicator carried on account


@dataclass(frozen=True, slots=True)
class HeldBackRecord:
    """What became of a part held back (2017-19: STP engagement, the risk reserve), as agreed."""

    part: str  # stp_engagement | risk_reserve
    outcome: str  # earned (STP engagement), released (the risk reserve) or withheld
    recorded: _dt.date | None
    source: str  # where the outcome is written: the letter, the minutes, the board paper
    note: str
    path: Path


@dataclass(frozen=True, slots=True)
class IncentiveRecord:
    """What became of a goal of the separate incentive scheme (Schedule 18 Part 3), as agreed."""

    goal: str  # goal number as written in the scheme's separate_incentive_scheme
    outcome: str  # earned or not_earned
    recorded: _dt.date | None
    source: str
    note: str
    path: Path


@dataclass(frozen=True, slots=True)
class Achievement:
    file: str
    financial_year: str
    provider: str  # provider code
    commissioning_route: str
    forecasts: tuple[Forecast, ...]
    actual_outturn: Decimal | None
    measurements: tuple[Measurement, ...]
    adjustments: tuple[Adjustment, ...]
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    history: tuple[Measurement, ...] = ()  # the baseline year's monthly values (``history:``), for monitoring
    held_back: tuple[HeldBackRecord, ...] = ()  # outcomes of the parts held back, as recorded
    separate_incentive: tuple[IncentiveRecord, ...] = ()  # outcomes of the separate incentive scheme's goals

    def incentive_record(self, goal: str) -> IncentiveRecord | None:
        """The outcome recorded for goal ``goal`` of the separate incentive scheme (the first, if given twice)."""
        for record in self.separate_incentive:
            if record.goal == goal:
                return record
        return None

    def held_back_record(self, part: str) -> HeldBackRecord | None:
        """The outcome recorded for the part ``part`` held back (the first, if given twice)."""
        for record in self.held_back:
            if record.part == part:
                return record
        return None

    def measurement(self, indicator: str, month: int) -> Measurement | None:
        """The measurement of ``indicator`` for ``month`` (the first, if given twice)."""
        for m in self.measurements:
            if m.indicator == indicator and m.month == month:
                return m
        return None

    def measurements_of(self, indicator: str) -> tuple[Measurement, ...]:
        return tuple(m for m in self.measurements if m.indicator == indicator)

    def history_of(self, indicator: str) -> tuple[Measurement, ...]:
        """The baseline year's values of ``indicator``, in month order."""
        return tuple(sorted((m for m in self.history if m.indicator == indicator), key=lambda m: m.month))

    def forecast_at(self, month: int) -> Forecast | None:
        for f in self.forecasts:
            if f.month == month:
                return f
        return None

    def adjustment_at(self, month: int) -> Adjustment | None:
        for a in self.adjustments:
            if a.month == month:
                return a
        return None

    def adjustments_before(self, month: int) -> tuple[Adjustment, ...]:
        """Adjustments recorded at checkpoints earlier than ``month``: they count in P(month)."""
        return tuple(a for a in self.adjustments if a.month < month)


@dataclass(frozen=True, slots=True)
class SchemeAchievement:
    """What an achievement rule checks: the data, and the scheme it belongs to."""

    achievement: Achievement
    scheme: Scheme


def empty_achievement(scheme: Scheme, file: str = "") -> Achievement:
    """No data recorded yet for ``scheme``: every indicator is carried on account in year."""
    return Achievement(file, scheme.financial_year, scheme.provider.code, scheme.commissioning_route, (), None, (), ())


class _Builder(ValueReader):
    def achievement(self, raw: dict, file: str) -> Achievement:
        outturn = raw.get("outturn") or {}
        forecasts = []
        for i, f in enumerate(outturn.get("forecast") or ()):
            where = ("outturn", "forecast", i)
            base = self.money(f.get("base"), where + ("base",))
            if base is not None:
                forecasts.append(Forecast(int(f.get("month", 0)), base, where))
        measurements = self.measurements(raw, "measurements")
        adjustments = []
        for i, a in enumerate(raw.get("adjustments") or ()):
            path = ("adjustments", i)
            amount = self.money(a.get("amount"), path + ("amount",))
            by_commissioner = []
            for code, value in (a.get("by_commissioner") or {}).items():
                part = self.money(value, path + ("by_commissioner", code))
                if part is not None:
                    by_commissioner.append((str(code), part))
            adjustments.append(
                Adjustment(
                    month=int(a.get("month", 0)),
                    amount=amount if amount is not None else Decimal("0.00"),
                    earned=self.money(a.get("earned"), path + ("earned",)),
                    paid=self.money(a.get("paid"), path + ("paid",)),
                    recorded=self.date(a.get("recorded"), path + ("recorded",)),
                    by_commissioner=tuple(by_commissioner),
                    path=path,
                    note=str(a.get("note", "") or ""),
                )
            )
        return Achievement(
            file=file,
            financial_year=str(raw.get("financial_year", "")),
            provider=str(raw.get("provider", "")),
            commissioning_route=str(raw.get("commissioning_route", "pct")),
            forecasts=tuple(forecasts),
            actual_outturn=self.money(outturn.get("actual"), ("outturn", "actual")),
            measurements=measurements,
            adjustments=tuple(adjustments),
            problems=tuple(self.problems),
            history=self.measurements(raw, "history"),
            held_back=tuple(
                HeldBackRecord(
                    part=str(h.get("part", "")),
                    outcome=str(h.get("outcome", "")),
                    recorded=self.date(h.get("recorded"), ("held_back", i, "recorded")),
                    source=str(h.get("source", "") or ""),
                    note=str(h.get("note", "") or ""),
                    path=("held_back", i),
                )
                for i, h in enumerate(raw.get("held_back") or ())
            ),
            separate_incentive=tuple(
                IncentiveRecord(
                    goal=number_text(r.get("goal", "")),
                    outcome=str(r.get("outcome", "")),
                    recorded=self.date(r.get("recorded"), ("separate_incentive", i, "recorded")),
                    source=str(r.get("source", "") or ""),
                    note=str(r.get("note", "") or ""),
                    path=("separate_incentive", i),
                )
                for i, r in enumerate(raw.get("separate_incentive") or ())
            ),
        )

    def measurements(self, raw: dict, key: str) -> tuple[Measurement, ...]:
        return tuple(
            Measurement(
                indicator=number_text(m.get("indicator", "")),
                month=int(m.get("month", 0)),
                value=self.measure(m.get("value"), (key, i, "value")),
                met=m.get("met") if isinstance(m.get("met"), bool) else None,
                note=str(m.get("note", "") or ""),
                path=(key, i),
            )
            for i, m in enumerate(raw.get(key) or ())
        )


def build_achievement(values: dict, file: str) -> Achievement:
    """Achievement records from schema-valid values; value problems ride along in ``problems``."""
    return _Builder().achievement(values, file)
