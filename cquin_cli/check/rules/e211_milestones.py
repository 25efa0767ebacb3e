"""Milestones fall in months 1-12, once each, and carry what their rule needs.

Guidance ¶58. A milestone names a month of the financial year (1 is
April, 12 is March), at most once per indicator. For an indicator paid on targets
(all-or-nothing, linear, bands) a milestone states its ``target``; for one paid on the
milestone rule it states what must be done (``description``).
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "E211"
TITLE = "Milestones are well formed"
SOURCE = "guidance ¶58"
SCOPE = SCHEME

PASSING = """
goals[0].indicators[0].milestones:     # S1
  - {month: 6, target: 60}
  - {month: 9, target: 75}
"""
FAILING = """
goals[0].indicators[0].milestones:     # S1
  - {month: 6, target: 60}
  - {month: 6, target: 65}       # month 6 twice
  - {month: 9}                   # no target
"""


def check(scheme):
    for indicator in scheme.indicators:
        seen: set[int] = set()
        for milestone in indicator.milestones:
            if not 1 <= milestone.month <= 12:
                yield Finding(
                    CODE,
                    f"indicator {indicator.number} has a milestone in month {milestone.month}; months run from 1 (April) to 12 (March)",
                    milestone.path + ("month",),
                )
            if milestone.month in seen:
                yield Finding(
                    CODE,
                    f"indicator {indicator.number} has two milestones for month {milestone.month}",
                    milestone.path + ("month",),
                )
            seen.add(milestone.month)
            if indicator.partial_achievement.rule.met_or_not:
                if not milestone.description.strip():
                    yield Finding(
                        CODE,
                        f"milestone for month {milestone.month} of indicator {indicator.number} does not say what must be done (`description`)",
                        milestone.path,
                    )
            elif milestone.target is None:
                yield Finding(
                    CODE, f"milestone for month {milestone.month} of indicator {indicator.number} has no `target`", milestone.path
                )
