"""A measurement gives what its indicator's rule needs: a value, or whether the milestone was met.

An indicator paid on a target (all-or-nothing, linear, bands) is
measured by a number compared with its target; an indicator paid on the milestone
rule (innovation, data collection) is met or not met. A ``met:`` on a target-based
indicator, or a ``value`` on a milestone indicator, would be silently ignored by the
reconciliation, so it is an error; so is a baseline series (``history:``) for a
milestone indicator, which has no values to chart. (The achievement schema reports a measurement that
has both or neither under the same code.)
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E302"
TITLE = "Measurement matches its indicator's rule"
SOURCE = "docs/money.md"
SCOPE = ACHIEVEMENT

PASSING = """
measurements:                                 # the list replaced by these two
  - {indicator: S1, month: 6, value: 62}      # S1 is paid on a target
  - {indicator: I1, month: 6, met: false}     # I1 is paid on milestones
"""
FAILING = """
measurements:                                 # the list replaced by these two
  - {indicator: S1, month: 6, met: true}      # S1 needs a measured value
  - {indicator: I1, month: 6, value: 1}       # I1 is met or not met
"""


def check(subject):
    indicators = {i.number: i for i in subject.scheme.indicators}
    for m in subject.achievement.measurements:
        indicator = indicators.get(m.indicator)
        if indicator is None:
            continue  # E303
        milestone_rule = indicator.partial_achievement.rule.met_or_not
        if milestone_rule and m.met is None:
            yield Finding(
                CODE,
                f"indicator {m.indicator} is paid on milestones: write `met: true` or `met: false`, not a value",
                m.path + ("value",),
            )
        elif not milestone_rule and m.met is not None:
            yield Finding(
                CODE,
                f"indicator {m.indicator} is paid on a target ({indicator.partial_achievement.rule.words}): write the measured `value`, not `met`",
                m.path + ("met",),
            )
    for m in subject.achievement.history:
        indicator = indicators.get(m.indicator)
        if indicator is not None and indicator.partial_achievement.rule.met_or_not:
            yield Finding(
                CODE,
                f"indicator {m.indicator} is paid on milestones, met or not met: it has no baseline series of values to chart",
                m.path + ("value",),
            )
