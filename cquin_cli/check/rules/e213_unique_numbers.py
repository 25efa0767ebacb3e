"""Goal and indicator numbers are unique within a scheme.

Numbers are how the contract, the achievement data and every
reconciliation refer to a goal or indicator; a repeated number makes them ambiguous.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "E213"
TITLE = "Numbers are unique"
SOURCE = "docs/format.md (values)"
SCOPE = SCHEME

PASSING = """
goals[0].indicators[0].number: S1
goals[1].indicators[0].number: E1
"""
FAILING = """
goals[0].indicators[0].number: S1
goals[1].indicators[0].number: S1     # goal 2's indicator numbered like goal 1's
"""


def check(scheme):
    goals: dict[str, tuple] = {}
    for goal in scheme.goals:
        if goal.number in goals:
            yield Finding(CODE, f"goal number {goal.number} is used twice", goal.path + ("number",))
        goals.setdefault(goal.number, goal.path)
    indicators: dict[str, tuple] = {}
    for indicator in scheme.indicators:
        if indicator.number in indicators:
            yield Finding(CODE, f"indicator number {indicator.number} is used twice", indicator.path + ("number",))
        indicators.setdefault(indicator.number, indicator.path)
