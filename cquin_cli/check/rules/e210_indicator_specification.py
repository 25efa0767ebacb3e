"""Every indicator other than pure data collection has a baseline, a final value and a direction.

Guidance ¶56, ¶58 (goals are measured against a baseline and a
stated level of achievement). An indicator paid on the ``milestone`` rule - a
data-collection or innovation milestone, met or not met (guidance ¶16, ¶61) - has no
numeric baseline or final value and is exempt; every other indicator needs
``baseline.value``, ``final.value`` and ``direction`` (higher or lower is better),
because the payment rules (docs/money.md) cannot be applied without them.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "E210"
TITLE = "Indicator has baseline, final value and direction"
SOURCE = "guidance ¶56, ¶58"
SCOPE = SCHEME

PASSING = """
goals[1].indicators[0]:      # E1, stroke patients scanned within 3 hours
  baseline: {period: 2008/09, value: 58}
  final: {period: 2009/10 Q4, value: 80}
  direction: higher
"""
FAILING = """
goals[1].indicators[0]:      # E1 pays on milestones and a final value...
  baseline: ~                # ...but has no baseline
  direction: ~               # and no direction
"""


def check(scheme):
    for indicator in scheme.indicators:
        if indicator.partial_achievement.rule.met_or_not:
            continue
        missing = []
        if indicator.baseline is None or indicator.baseline.value is None:
            missing.append("a baseline value")
        if indicator.final is None or indicator.final.value is None:
            missing.append("a final value")
        if indicator.direction is None:
            missing.append("a direction (higher or lower is better)")
        if missing:
            yield Finding(
                CODE,
                f"indicator {indicator.number} is paid on the {indicator.partial_achievement.rule.words} rule but has no "
                + " and no ".join(missing),
                indicator.path + ("number",),
            )
