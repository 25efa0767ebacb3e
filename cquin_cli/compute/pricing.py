"""What a scheme is worth: the expected value and its splits (DOMAIN.md §4; guidance ¶37-41, ¶64-65).

Pure functions of a :class:`~cquin_cli.load.scheme.Scheme`. Every named amount is
rounded once, half-up to the penny; every split uses the largest-remainder method
(:func:`cquin_cli.money.split`), so all totals add up exactly:

* base B = tariff income (incl. MFF) + non-tariff income - excluded income;
* expected value (the pot) = rate x B;
* per goal: the pot split by goal weighting; per indicator: its goal's value split by
  the indicator weightings within the goal (so goal subtotals are exact sums);
* per commissioner: the pot, and the on-account total, split by commissioner share;
* on account = on-account share x pot at the planned base, each commissioner's part
  paid in equal instalments (odd pennies to the earliest months); a month's scheme
  instalment is the sum of the commissioners' instalments for that month, so the
  table adds up across and down.

The parts a year holds back (2017/18, 2018/19) are priced as their own lines, apart from
the pot and not on account (:mod:`cquin_cli.compute.held_back`); so is a separate incentive
scheme (:mod:`cquin_cli.compute.separate_incentive`).

The instalments are what the year's payment mode pays (:data:`cquin_cli.rulebook.PAYMENT_MODES`):
on account (guidance ¶65), or in a year paid in advance (2022/23, 2023/24) the whole
value, as if fully achieved, with under-achievement recovered at reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.check.year_rules import payment_mode, payment_origin
from cquin_cli.compute.held_back import HeldBackValue, held_back
from cquin_cli.compute.separate_incentive import IncentiveValue, separate_incentive
from cquin_cli.load.scheme import Scheme
from cquin_cli.money import instalments as equal_instalments
from cquin_cli.money import of_percent, pot, split, split_by_goal, to_penny
from cquin_cli.rulebook import PaymentMode


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    goal_number: str
    number: str
    name: str
    domain: str
    weighting: Decimal  # percentage points of the scheme
    value: Decimal


@dataclass(frozen=True, slots=True)
class GoalValue:
    number: str
    name: str
    domain: str
    weighting: Decimal
    value: Decimal
    indicators: tuple[IndicatorValue, ...]


@dataclass(frozen=True, slots=True)
class CommissionerValue:
    code: str
    name: str
    share: Decimal
    coordinating: bool
    value: Decimal  # share of the expected value
    on_account: Decimal  # share of the on-account total
    instalments: tuple[Decimal, ...]  # by instalment month


@dataclass(frozen=True, slots=True)
class Price:
    scheme: Scheme
    planned_base: Decimal
    base: Decimal  # the base priced (the planned base unless a what-if was asked)
    rate: Decimal
    expected_value: Decimal
    on_account_share: Decimal
    on_account_total: Decimal
    instalment_months: tuple[int, ...]
    instalments: tuple[Decimal, ...]
    goals: tuple[GoalValue, ...]
    commissioners: tuple[CommissionerValue, ...]
    payment_mode: PaymentMode  # how the year pays: on account, or in advance
    payment_source: str  # where the payment mode came from
    what_if: str = ""
    held_back: tuple[HeldBackValue, ...] = ()  # the parts held back (2017-19), priced apart from the pot
    separate_incentive: IncentiveValue | None = None  # Schedule 18 Part 3 (¶41), priced apart from the pot

    @property
    def indicators(self) -> tuple[IndicatorValue, ...]:
        return tuple(i for g in self.goals for i in g.indicators)


def planned_base(scheme: Scheme) -> Decimal:
    """B = tariff income (incl. MFF) + non-tariff income - excluded income (guidance ¶39-40)."""
    return scheme.contract_value.base


def expected_value(scheme: Scheme, base: Decimal | None = None) -> Decimal:
    """pot(B) = rate x B, rounded to the penny (guidance ¶38)."""
    return pot(planned_base(scheme) if base is None else base, scheme.rate)


def on_account_total(scheme: Scheme) -> Decimal:
    """The on-account share of the pot at the planned base, rounded (guidance ¶65)."""
    return to_penny(of_percent(expected_value(scheme), scheme.payment.on_account_share))


def instalment_months(scheme: Scheme) -> tuple[int, ...]:
    """The months in which on-account instalments fall: monthly by default, else evenly spaced."""
    count = scheme.payment.instalments
    if count <= 0 or 12 % count:  # the format allows only 1, 2, 3, 4, 6 or 12
        return ()
    return tuple(12 // count * k for k in range(1, count + 1))


def goal_values(scheme: Scheme, pot: Decimal) -> tuple[GoalValue, ...]:
    """The pot split by goal weighting, then each goal's value by its indicators' weightings."""
    goals = scheme.goals
    values = split_by_goal(pot, [(g.weighting, [i.weighting for i in g.indicators]) for g in goals])
    return tuple(
        GoalValue(
            goal.number,
            goal.name,
            goal.domain,
            goal.weighting,
            value,
            tuple(
                IndicatorValue(goal.number, i.number, i.name, goal.domain, i.weighting, v) for i, v in zip(goal.indicators, parts)
            ),
        )
        for goal, (value, parts) in zip(goals, values)
    )


def by_commissioner(scheme: Scheme, amount: Decimal) -> list[Decimal]:
    """Any amount split by commissioner share, coordinating commissioner first."""
    return split(amount, [c.share for c in scheme.commissioners])


def price(scheme: Scheme, *, base: Decimal | None = None, what_if: str = "") -> Price:
    """Price a scheme at its planned base, or at ``base`` for a what-if."""
    planned = planned_base(scheme)
    priced_base = planned if base is None else to_penny(base)
    pot = expected_value(scheme, priced_base)
    on_account = on_account_total(scheme)
    months = instalment_months(scheme)
    commissioners = []
    for c, value, on_acc in zip(scheme.commissioners, by_commissioner(scheme, pot), by_commissioner(scheme, on_account)):
        commissioners.append(
            CommissionerValue(
                c.code,
                c.name,
                c.share,
                c.coordinating,
                value,
                on_acc,
                tuple(equal_instalments(on_acc, len(months))) if months else (),
            )
        )
    scheme_instalments = tuple(sum((c.instalments[k] for c in commissioners), Decimal("0.00")) for k in range(len(months)))
    return Price(
        scheme=scheme,
        planned_base=planned,
        base=priced_base,
        rate=scheme.rate,
        expected_value=pot,
        on_account_share=scheme.payment.on_account_share,
        on_account_total=on_account,
        instalment_months=months,
        instalments=scheme_instalments,
        goals=goal_values(scheme, pot),
        commissioners=tuple(commissioners),
        payment_mode=payment_mode(scheme),
        payment_source=payment_origin(scheme),
        what_if=what_if,
        held_back=held_back(scheme, priced_base),
        separate_incentive=separate_incentive(scheme),
    )


def paid_on_account_to(price_: Price, month: int) -> Decimal:
    """On-account instalments paid for months 1..month."""
    return sum((amount for m, amount in zip(price_.instalment_months, price_.instalments) if m <= month), Decimal("0.00"))
