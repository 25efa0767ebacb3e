"""A separate incentive scheme: money apart from the CQUIN pot (Schedule 18 Part 3; guidance ¶41).

Guidance ¶41 (footnote 15) lets commissioners and providers agree a separate incentive
scheme with additional money, recorded in Schedule 18 Part 3 and kept apart from the
CQUIN expected value. cquin prices and reconciles it apart, as its own lines:

* its value is the scheme's ``separate_incentive_scheme.value``, as agreed (not a rate of
  the base); it is not split by commissioner share, since who funds it (one commissioner's
  additional investment, say) is the contract's Part 3, which the format does not hold;
* it is not paid on account and is no part of E(m), P(m) or A(m);
* a goal with money of its own (``value``) is due to the provider only once the
  achievement data records it ``earned`` (``separate_incentive:``, with the date and the
  source of the decision); ``not_earned`` pays nothing, and until a goal's outcome is
  recorded nothing is due for it. Money of the scheme that no goal holds is shown as not
  attached to a goal, and cquin's arithmetic never pays it: the contract's Part 3 says how.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.compute.held_back import outcome_words
from cquin_cli.load.achievement import Achievement
from cquin_cli.load.scheme import Scheme
from cquin_cli.money import ZERO

EARNED = "earned"
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True, slots=True)
class IncentiveGoalValue:
    number: str
    name: str
    value: Decimal | None  # the goal's own money, as agreed; None: the goal has none
    outcome: str = NOT_RECORDED  # or earned, not_earned, as recorded
    recorded: _dt.date | None = None
    source: str = ""

    @property
    def due(self) -> Decimal:
        """What the commissioners owe the provider for the goal: its value once recorded earned."""
        return self.value if self.outcome == EARNED and self.value is not None else ZERO

    @property
    def status(self) -> str:
        """The outcome in words: "not recorded", "earned on 2010-05-28 (quality committee minutes)"."""
        if self.outcome == NOT_RECORDED:
            return "not recorded"
        return outcome_words(self.outcome, self.recorded, self.source)


@dataclass(frozen=True, slots=True)
class IncentiveValue:
    """The separate incentive scheme priced apart, with what the achievement data records of it."""

    name: str
    value: Decimal
    goals: tuple[IncentiveGoalValue, ...]

    @property
    def due(self) -> Decimal:
        return sum((g.due for g in self.goals), ZERO)

    @property
    def unattached(self) -> Decimal:
        """The scheme's money that no goal holds as its own value."""
        return self.value - sum((g.value for g in self.goals if g.value is not None), ZERO)


def separate_incentive(scheme: Scheme, achievement: Achievement | None = None) -> IncentiveValue | None:
    """The separate incentive scheme of ``scheme`` priced apart, with its goals' recorded outcomes; None without one."""
    sis = scheme.separate_incentive_scheme
    if sis is None:
        return None
    goals = []
    for goal in sis.goals:
        record = achievement.incentive_record(goal.number) if achievement is not None else None
        goals.append(
            IncentiveGoalValue(
                goal.number,
                goal.name,
                goal.value,
                outcome=record.outcome if record is not None else NOT_RECORDED,
                recorded=record.recorded if record is not None else None,
                source=record.source if record is not None else "",
            )
        )
    return IncentiveValue(sis.name, sis.value, tuple(goals))
