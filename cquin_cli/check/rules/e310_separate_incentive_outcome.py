"""An outcome recorded for a goal of the separate incentive scheme names one of its goals, once.

A separate incentive scheme (Schedule 18 Part 3, guidance ¶41 and footnote 15) holds
additional money kept apart from the CQUIN pot; a goal with money of its own is paid only
once the achievement data records it ``earned`` (in its ``separate_incentive`` list, with
the date agreed and its source), and ``not_earned`` pays nothing. A record for a scheme with no
separate incentive scheme, for a goal it does not have, for a goal recorded twice, or
``earned`` for a goal with no money of its own would pay money nobody agreed, so each is an
error. (An outcome that is neither word is E104, from the achievement schema.)
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E310"
TITLE = "Outcome of a separate incentive goal"
SOURCE = "guidance ¶41 (footnote 15); docs/money.md"
SCOPE = ACHIEVEMENT

PASSING = """
# file: northfield-acute-2009-10.achievement.yaml
separate_incentive:
  - {goal: 1, outcome: earned, recorded: 2010-05-28, source: Northfield PCT board minutes}
---
# file: northfield-acute-2009-10.yaml
separate_incentive_scheme:
  name: Northfield stretch award
  value: "100000.00"
  goals:
    - {number: 1, name: Real-time feedback on every ward, value: "100000.00"}
"""
FAILING = """
# file: northfield-acute-2009-10.achievement.yaml
separate_incentive:
  - {goal: 2, outcome: earned, recorded: 2010-05-28, source: Northfield PCT board minutes}   # it has goal 1 only
---
# file: northfield-acute-2009-10.yaml
separate_incentive_scheme:
  name: Northfield stretch award
  value: "100000.00"
  goals:
    - {number: 1, name: Real-time feedback on every ward, value: "100000.00"}
"""


def check(subject):
    sis = subject.scheme.separate_incentive_scheme
    goals = {g.number: g for g in sis.goals} if sis is not None else {}
    seen: set[str] = set()
    for record in subject.achievement.separate_incentive:
        where = record.path + ("goal",)
        if sis is None:
            yield Finding(CODE, "the scheme has no separate incentive scheme (`separate_incentive_scheme`) to record", where)
            continue
        goal = goals.get(record.goal)
        if goal is None:
            yield Finding(
                CODE, f"the separate incentive scheme has no goal {record.goal}; its goals are {', '.join(goals)}", where
            )
            continue
        if record.goal in seen:
            yield Finding(
                CODE, f"the outcome of separate incentive goal {record.goal} is recorded twice; keep the one agreed", where
            )
        seen.add(record.goal)
        if record.outcome == "earned" and goal.value is None:
            yield Finding(
                CODE,
                f"separate incentive goal {record.goal} has no money of its own to pay; give it a `value` in the scheme",
                record.path + ("outcome",),
            )
