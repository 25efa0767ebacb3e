"""Goal and indicator weightings are positive and sum to exactly 100% of the scheme.

Guidance ¶69: the scheme sets out the proportion of the CQUIN money attached to each
goal. cquin holds weightings exactly (``33.33%`` is 33.33, not a float), so the sums
are exact:

* every goal and indicator weighting is above 0%;
* goal weightings sum to 100%;
* indicator weightings (each a share of the whole scheme) sum to 100%;
* the indicators of a goal sum to that goal's weighting.

A quality improvement plan with no goals is exempt.
"""

from decimal import Decimal

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.money import format_percent

CODE = "E202"
TITLE = "Weightings sum to 100%"
SOURCE = "guidance ¶69"
SCOPE = SCHEME

PASSING = """
# Goals weighted 30%, 30%, 20% and 20%; each goal's one indicator carries all of it.
goals[0].weighting: 30%
goals[0].indicators[0].weighting: 30%
"""
FAILING = """
goals[0].weighting: 30%
goals[0].indicators[0].weighting: 20%   # goal 1 is 30%, its indicators 20%; all indicators 90%
"""

HUNDRED = Decimal(100)


def check(scheme):
    if not scheme.goals:
        return
    for goal in scheme.goals:
        if goal.weighting <= 0:
            yield Finding(
                CODE,
                f"goal {goal.number} has a weighting of {format_percent(goal.weighting)}; every goal carries a positive share of the scheme",
                goal.path + ("weighting",),
            )
        for indicator in goal.indicators:
            if indicator.weighting <= 0:
                yield Finding(
                    CODE,
                    f"indicator {indicator.number} has a weighting of {format_percent(indicator.weighting)}; every indicator carries a positive share",
                    indicator.path + ("weighting",),
                )
        in_goal = sum((i.weighting for i in goal.indicators), Decimal(0))
        if goal.indicators and in_goal != goal.weighting:
            yield Finding(
                CODE,
                f"the indicators of goal {goal.number} are weighted {format_percent(in_goal)} in all, but the goal is weighted {format_percent(goal.weighting)}",
                goal.path + ("weighting",),
            )
    goal_total = sum((g.weighting for g in scheme.goals), Decimal(0))
    if goal_total != HUNDRED:
        yield Finding(
            CODE, f"goal weightings sum to {format_percent(goal_total)}; they must sum to exactly 100% of the scheme", ("goals",)
        )
    indicator_total = sum((i.weighting for i in scheme.indicators), Decimal(0))
    if scheme.indicators and indicator_total != HUNDRED:
        yield Finding(
            CODE,
            f"indicator weightings sum to {format_percent(indicator_total)}; they must sum to exactly 100% of the scheme",
            ("goals",),
        )
