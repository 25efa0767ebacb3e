"""Reconciliation at a checkpoint: earned, paid on account, and who pays whom (DOMAIN.md §4).

``reconcile(scheme, achievement, month)`` is a pure function of a scheme and its
achievement data; it returns a frozen :class:`Reconciliation` that the text, JSON and
CSV reporters, the Excel renderer and the portfolio report all read. The arithmetic is
DOMAIN.md §4 exactly (guidance ¶64-67):

* achievement fraction a_i in [0, 1] of each indicator at checkpoint m, against its
  target at m (the milestone for m; at m = 12 the final indicator value):
  all-or-nothing; linear between a floor and the target (a milestone with its own
  floor is linear between them, without one all-or-nothing); bands (the best band
  reached; meeting the final value earns all); milestone met (1) or not met (0).
  Both directions: "meets" is >= when higher is better and <= when lower is better,
  and the linear formula (v - f) / (t - f) holds for both.
* an indicator with no target at an in-year checkpoint, or no measurement for that
  month yet, is *carried on account*: a = p, the on-account share. At m = 12 a
  missing measurement counts 0 and is reported in the notes.
* E(m) = pot(B_m) x sum(w_i x a_i) x m / 12, computed as an exact fraction and rounded
  half-up to the penny once, at the end (multiply first, divide last). B_m is the
  forecast outturn base recorded for m (the planned base when none is recorded); at
  m = 12 it is the actual outturn, which is required (footnote 13).
* P(m) = on-account instalments for months 1..m + adjustments recorded at earlier
  checkpoints. An earlier checkpoint with no recorded adjustment adds nothing to P(m);
  since E(m) is cumulative, A(m) then also settles what that checkpoint would have
  (the notes say so).
* A(m) = E(m) - P(m): positive, the commissioners pay the provider; negative, the
  provider repays. Split by commissioner share (largest remainder, so the parts add
  up exactly). In a year paid in advance (the year's payment mode, 2022/23 and
  2023/24) the whole value was paid as if fully achieved, so A(m) can only be a
  repayment: A(m) = min(0, E(m) - P(m)), under-achievement deducted or clawed back;
  a positive E(m) - P(m) is kept as ``difference`` and named in the notes.
* each indicator's line of E(m) is E(m) split by w_i x a_i (largest remainder), so
  the indicator lines add up to E(m) exactly.
* the parts a year holds back (2017/18, 2018/19) are priced at B_m as their own lines and
  are no part of E(m), P(m) or A(m): each is due only once the achievement data records
  it earned or released (:mod:`cquin_cli.compute.held_back`); so is a separate incentive
  scheme's money, due for each goal recorded earned (:mod:`cquin_cli.compute.separate_incentive`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from cquin_cli.compute.held_back import HeldBackValue, held_back
from cquin_cli.compute.pricing import Price, by_commissioner, expected_value, paid_on_account_to, planned_base, price
from cquin_cli.compute.separate_incentive import IncentiveValue, separate_incentive
from cquin_cli.load.achievement import Achievement, Adjustment, Measurement
from cquin_cli.load.scheme import Indicator, Scheme
from cquin_cli.money import ZERO, format_money, format_percent, fraction_to_penny, split
from cquin_cli.partial_achievement import ALL_OR_NOTHING, LINEAR, MILESTONE, Rule
from cquin_cli.partial_achievement import number as number_words
from cquin_cli.rulebook import PaymentMode
from cquin_cli.vocabulary import Direction

YEAR_END = 12

# How an indicator was assessed at the checkpoint (IndicatorReconciliation.status).
ASSESSED = "assessed"
CARRIED_ON_ACCOUNT = "carried_on_account"
MISSING_AT_YEAR_END = "missing_at_year_end"
PAID_IN_FULL = "paid_in_full"  # the year's payment mode pays in full, whatever the achievement (2020/21)


class ReconciliationRefused(ValueError):
    """The reconciliation cannot be computed from what was given (a command exits 2)."""


@dataclass(frozen=True, slots=True)
class IndicatorReconciliation:
    """One indicator at one checkpoint: what was aimed at, what was measured, what it earned."""

    goal_number: str
    number: str
    name: str
    domain: str
    weighting: Decimal  # percentage points of the scheme (w_i x 100)
    rule: Rule  # the rule for partial achievement
    direction: str | None  # higher | lower (None for milestone indicators)
    rule_applied: str  # the rule as applied at this checkpoint, in words
    target: Decimal | None  # target at the checkpoint (None when carried or a milestone)
    floor: Decimal | None  # floor applied, for a linear assessment
    milestone: str  # what must be done, for a milestone indicator
    measured: Decimal | None  # measured value for the checkpoint month
    met: bool | None  # for a milestone indicator
    status: str  # assessed | carried_on_account | missing_at_year_end | paid_in_full
    exact_fraction: Fraction  # a_i, exactly
    earned: Decimal  # this indicator's line of E(m)

    @property
    def fraction(self) -> Decimal:
        """a_i as a decimal: exact when it terminates, else to 10 places (display only)."""
        return fraction_decimal(self.exact_fraction)


@dataclass(frozen=True, slots=True)
class CommissionerAdjustment:
    """One commissioner's part of the adjustment A(m), by contract share."""

    code: str
    name: str
    share: Decimal  # percentage points
    coordinating: bool
    adjustment: Decimal


@dataclass(frozen=True, slots=True)
class RecordedAdjustment:
    """An adjustment recorded at an earlier checkpoint and counted in P(m)."""

    month: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The reconciliation of one scheme at checkpoint ``month`` (DOMAIN.md §4).

    Money is Decimal to the penny. ``earned`` - ``paid`` == ``difference`` exactly, and
    ``adjustment`` is the difference (at most 0 in a year paid in advance); the
    indicator lines sum to ``earned``; the commissioner parts sum to ``adjustment``.
    """

    scheme: Scheme
    achievement_file: str
    month: int
    checkpoints: tuple[int, ...]
    base: Decimal  # B_m
    base_source: str  # where B_m came from, in words
    pot: Decimal  # pot(B_m), rounded
    planned_base: Decimal
    planned_pot: Decimal
    on_account_share: Decimal  # percentage points (p x 100)
    exact_weighted_achievement: Fraction  # sum of w_i x a_i, w_i as a fraction of 1
    indicators: tuple[IndicatorReconciliation, ...]
    earned: Decimal  # E(m)
    paid_on_account: Decimal  # instalments for months 1..m
    earlier_adjustments: tuple[RecordedAdjustment, ...]  # recorded at earlier checkpoints, counted in P(m)
    paid: Decimal  # P(m)
    difference: Decimal  # E(m) - P(m)
    adjustment: Decimal  # A(m): E(m) - P(m), or at most 0 where the payment mode is repayment only
    payment_mode: PaymentMode
    commissioners: tuple[CommissionerAdjustment, ...]
    unrecorded_checkpoints: tuple[int, ...]  # earlier checkpoints with no recorded adjustment
    recorded: Adjustment | None  # the adjustment already recorded for this month, if any
    notes: tuple[str, ...]
    held_back: tuple[HeldBackValue, ...] = ()  # the parts held back (2017-19) at B(m): apart from E, P and A
    separate_incentive: IncentiveValue | None = None  # Schedule 18 Part 3 (¶41): apart from E, P and A

    @property
    def weighted_achievement(self) -> Decimal:
        """sum(w_i x a_i) as a decimal (display only; E(m) uses the exact fraction)."""
        return fraction_decimal(self.exact_weighted_achievement)

    @property
    def direction(self) -> str:
        """``commissioners_pay``, ``provider_repays`` or ``settled``."""
        if self.adjustment > 0:
            return "commissioners_pay"
        if self.adjustment < 0:
            return "provider_repays"
        return "settled"

    @property
    def who_pays(self) -> str:
        """The adjustment in a finance officer's words."""
        if self.adjustment > 0:
            return f"Commissioners pay the provider {format_money(self.adjustment)}"
        if self.adjustment < 0:
            return f"{self.payment_mode.repayment} {format_money(-self.adjustment)}"
        if self.difference > 0:
            return "Nothing to pay: in a year paid in advance the adjustment can only be a repayment"
        return "Nothing to pay: earned to date equals paid to date"


def fraction_decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal: exact when it terminates, else rounded to 10 places."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        if denominator == 1:  # only 2s and 5s: the decimal terminates, and is exact
            return exact.normalize() if exact != 0 else Decimal(0)
        return exact.quantize(Decimal("1e-10"))


def _d(value: Decimal) -> Fraction:
    return Fraction(value)


@dataclass(frozen=True, slots=True)
class _Assessment:
    rule_applied: str
    target: Decimal | None
    floor: Decimal | None
    milestone: str
    status: str
    fraction: Fraction
    note: str = ""


def threshold_at(indicator: Indicator, month: int) -> tuple[Decimal | None, Decimal | None, str] | None:
    """What an indicator paid on targets is judged against at ``month``: (target, floor, its name).

    At month 12 the final value, with the indicator's floor when its rule is linear (the
    target is None when the scheme has no final value); in year, the milestone for the
    month with its own floor, if it has one. None: no target that month, so the indicator
    is carried on account. ``cquin new --achievement`` says the same in its comments.
    """
    if month == YEAR_END:
        pa = indicator.partial_achievement
        return (indicator.final.value if indicator.final else None, pa.rule.year_end_floor(pa), "final value")
    milestone = indicator.milestone_at(month)
    if milestone is None or milestone.target is None:
        return None
    return milestone.target, milestone.floor, f"month {month} milestone"


def assess(indicator: Indicator, measurement: Measurement | None, month: int, on_account_share: Decimal) -> _Assessment:
    """The achievement fraction a_i of one indicator at checkpoint ``month`` (DOMAIN.md §4)."""
    p = _d(on_account_share) / 100
    carried_words = f"carried on account at {format_percent(on_account_share)}"
    pa = indicator.partial_achievement
    year_end = month == YEAR_END
    number = indicator.number

    if pa.rule.met_or_not:
        milestone = indicator.milestone_at(month)
        what = milestone.description if milestone else ""
        if milestone is None and not year_end:
            return _Assessment(f"{carried_words} (no milestone at month {month})", None, None, "", CARRIED_ON_ACCOUNT, p)
        met = measurement.met if measurement is not None else None
        if met is None:
            if year_end:
                return _Assessment(
                    "milestone met or not met: no measurement for month 12, counts 0",
                    None,
                    None,
                    what,
                    MISSING_AT_YEAR_END,
                    Fraction(0),
                    f"indicator {number} has no measurement for month 12; counted as not met (0)",
                )
            return _Assessment(f"{carried_words} (no measurement for month {month} yet)", None, None, what, CARRIED_ON_ACCOUNT, p)
        assessed = MILESTONE.assess_met(met)
        return _Assessment(assessed.words, None, None, what, ASSESSED, assessed.fraction)

    direction = indicator.direction or Direction.HIGHER
    better = direction.value
    threshold = threshold_at(indicator, month)
    if threshold is None:
        return _Assessment(f"{carried_words} (no target at month {month})", None, None, "", CARRIED_ON_ACCOUNT, p)
    target, floor, where = threshold
    if target is None:  # a scheme without a final value does not validate; be safe anyway
        if year_end:
            return _Assessment(
                "no final value in the scheme: counts 0",
                None,
                None,
                "",
                MISSING_AT_YEAR_END,
                Fraction(0),
                f"indicator {number} has no final value; counted as 0",
            )
        return _Assessment(f"{carried_words} (no target at month {month})", None, None, "", CARRIED_ON_ACCOUNT, p)
    value = measurement.value if measurement is not None else None
    if value is None:
        if year_end:
            return _Assessment(
                f"no measurement for month 12: counts 0 ({where} {number_words(target)}, {better} is better)",
                target,
                floor,
                "",
                MISSING_AT_YEAR_END,
                Fraction(0),
                f"indicator {number} has no measurement for month 12; counted as 0",
            )
        return _Assessment(f"{carried_words} (no measurement for month {month} yet)", target, None, "", CARRIED_ON_ACCOUNT, p)

    # At month 12 the indicator's own rule pays; in year its milestone does: linear between the
    # milestone's floor and target when it has a floor, else all-or-nothing against the target.
    rule = pa.rule if year_end else LINEAR if floor is not None else ALL_OR_NOTHING
    assessed = rule.assess(pa, value, target, floor, direction, where)
    return _Assessment(assessed.words, target, floor if rule is LINEAR else None, "", ASSESSED, assessed.fraction)


def _split_by_fractions(total: Decimal, weights: list[Fraction]) -> list[Decimal]:
    """``total`` split in proportion to exact fractions (money's one exact split); nothing to split is all zeros."""
    if total == 0 or not weights or sum(weights) == 0:
        return [ZERO for _ in weights]
    return split(total, weights)


def reconcile(scheme: Scheme, achievement: Achievement, month: int, *, priced: Price | None = None) -> Reconciliation:
    """The reconciliation of ``scheme`` at checkpoint ``month``; see the module docstring.

    ``priced``: ``price(scheme)`` when the caller has it already (the on-account
    instalments are read from it; ``cquin monitor`` reconciles one scheme several times).

    Raises :class:`ReconciliationRefused` when ``month`` is not one of the scheme's
    checkpoints, or at year end when no actual outturn is recorded.
    """
    checkpoints = tuple(sorted(scheme.payment.checkpoints))
    if month not in checkpoints:
        listed = ", ".join(str(c) for c in checkpoints)
        raise ReconciliationRefused(
            f"month {month} is not a reconciliation checkpoint of this scheme; its checkpoints are months {listed} (guidance ¶66)"
        )
    notes: list[str] = []
    planned = planned_base(scheme)
    if month == YEAR_END:
        if achievement.actual_outturn is None:
            where = achievement.file or "the achievement data"
            raise ReconciliationRefused(
                f"the year-end reconciliation needs the actual outturn: add `outturn: actual:` to {where} (footnote 13: the final payment rests on outturn)"
            )
        base, base_source = achievement.actual_outturn, "actual outturn"
    else:
        forecast = achievement.forecast_at(month)
        if forecast is not None:
            base, base_source = forecast.base, f"forecast outturn for month {month}"
        else:
            base, base_source = planned, "planned base"
            notes.append(f"No forecast outturn is recorded for month {month}; the planned base {format_money(planned)} is used.")
    pot = expected_value(scheme, base)

    share = scheme.payment.on_account_share
    priced = priced if priced is not None else price(scheme)
    mode = priced.payment_mode
    assessments = []
    for indicator in scheme.indicators:
        if mode.achievement_decides:
            a = assess(indicator, achievement.measurement(indicator.number, month), month, share)
        else:  # 2020/21, a non-NHS provider: paid in full, whatever the achievement
            a = _Assessment("paid in full: CQUIN suspended", None, None, "", PAID_IN_FULL, Fraction(1))
        assessments.append((indicator, a))
        if a.note:
            notes.append(a.note[0].upper() + a.note[1:] + ".")
    if not mode.achievement_decides:
        notes.append(
            f"{scheme.financial_year} was {mode.words} ({priced.payment_source}): every indicator counts as "
            "achieved, and the measurements do not change the payment."
        )

    weights = [_d(i.weighting) / 100 * a.fraction for i, a in assessments]
    weighted = sum(weights, Fraction(0))
    earned = fraction_to_penny(_d(pot) * weighted * month / 12)
    lines = _split_by_fractions(earned, weights)

    on_account = paid_on_account_to(priced, month)
    earlier = tuple(
        RecordedAdjustment(a.month, a.amount) for a in sorted(achievement.adjustments_before(month), key=lambda a: a.month)
    )
    paid = on_account + sum((a.amount for a in earlier), ZERO)
    difference = earned - paid
    adjustment = min(difference, ZERO) if mode.repayment_only else difference
    if difference != adjustment:
        notes.append(
            f"E({month}) - P({month}) is {format_money(difference)}, but {scheme.financial_year} was "
            f"{mode.words} ({priced.payment_source}): the whole value was paid in advance, so nothing more is due "
            f"and A({month}) is {format_money(adjustment)}."
        )
    parts = by_commissioner(scheme, adjustment) if scheme.commissioners and sum(c.share for c in scheme.commissioners) > 0 else []

    unrecorded = tuple(c for c in checkpoints if c < month and achievement.adjustment_at(c) is None)
    for c in unrecorded:
        notes.append(
            f"No adjustment was recorded for the month-{c} checkpoint: P({month}) counts only the on-account "
            f"instalments for it, and A({month}) also settles what month {c} would have (E({month}) is cumulative)."
        )
    recorded = achievement.adjustment_at(month)
    if recorded is not None:
        when = f" on {recorded.recorded.isoformat()}" if recorded.recorded else ""
        if recorded.amount == adjustment:
            notes.append(f"This adjustment was recorded{when}.")
        else:
            notes.append(
                f"An adjustment of {format_money(recorded.amount)} was recorded for month {month}{when}; "
                f"the data now give {format_money(adjustment)}, a difference of {format_money(adjustment - recorded.amount)}."
            )
    later = [a.month for a in achievement.adjustments if a.month > month]
    if later:
        notes.append(
            f"Adjustments recorded at later checkpoints (month {', '.join(str(m) for m in sorted(later))}) do not count in P({month})."
        )

    return Reconciliation(
        scheme=scheme,
        achievement_file=achievement.file,
        month=month,
        checkpoints=checkpoints,
        base=base,
        base_source=base_source,
        pot=pot,
        planned_base=planned,
        planned_pot=expected_value(scheme),
        on_account_share=share,
        exact_weighted_achievement=weighted,
        indicators=tuple(
            IndicatorReconciliation(
                goal_number=i.goal_number,
                number=i.number,
                name=i.name,
                domain=i.domain,
                weighting=i.weighting,
                rule=i.partial_achievement.rule,
                direction=i.direction,
                rule_applied=a.rule_applied,
                target=a.target,
                floor=a.floor,
                milestone=a.milestone,
                measured=(m.value if (m := achievement.measurement(i.number, month)) is not None else None),
                met=(m.met if m is not None else None),
                status=a.status,
                exact_fraction=a.fraction,
                earned=line,
            )
            for (i, a), line in zip(assessments, lines)
        ),
        earned=earned,
        paid_on_account=on_account,
        earlier_adjustments=earlier,
        paid=paid,
        difference=difference,
        adjustment=adjustment,
        payment_mode=mode,
        commissioners=tuple(
            CommissionerAdjustment(c.code, c.name, c.share, c.coordinating, part) for c, part in zip(scheme.commissioners, parts)
        ),
        unrecorded_checkpoints=unrecorded,
        recorded=recorded,
        notes=tuple(notes),
        held_back=held_back(scheme, base, achievement),
        separate_incentive=separate_incentive(scheme, achievement),
    )


__all__ = [
    "ASSESSED",
    "CARRIED_ON_ACCOUNT",
    "MISSING_AT_YEAR_END",
    "PAID_IN_FULL",
    "CommissionerAdjustment",
    "IndicatorReconciliation",
    "RecordedAdjustment",
    "Reconciliation",
    "ReconciliationRefused",
    "assess",
    "reconcile",
    "fraction_decimal",
]
