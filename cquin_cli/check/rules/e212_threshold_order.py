"""Thresholds are ordered consistently with the indicator's direction, and bands end at the final value.

When higher is better, a floor lies below its target and bands rise towards it; when
lower is better, a floor lies above its target and bands fall towards it. Checked for the
indicator's floor against its final value, each milestone's floor against the milestone
target, and the bands against the final value.

The final value is the threshold of the band that pays 100%: a bands indicator's best
band must pay 100% and start exactly at the final value, so "meeting the final value" and
"the best band reached" can never disagree. A best band of 80% from the final value is an
error (it would otherwise be read as paying either 80% or 100%); so is a 100% band that
starts before or beyond the final value. cquin reconcile pays the fraction of the best
band reached, nothing else.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "E212"
TITLE = "Thresholds ordered with the direction; the 100% band starts at the final value"
SOURCE = "guidance ¶58; docs/money.md"
SCOPE = SCHEME

PASSING = """
goals[0].indicators[0]:          # S1: higher is better, target 90
  final: {period: 2009/10 Q4, value: 90}
  direction: higher
  partial_achievement: {rule: linear, floor: 70}
"""
FAILING = """
goals[0].indicators[0]:          # S1: higher is better, target 90
  final: {period: 2009/10 Q4, value: 90}
  direction: higher
  partial_achievement: {rule: linear, floor: 95}    # a floor above the target
"""


def check(scheme):
    for indicator in scheme.indicators:
        direction = indicator.direction
        if direction is None:
            continue
        word = "below" if direction == "higher" else "above"
        final = indicator.final.value if indicator.final else None
        floor = indicator.partial_achievement.floor
        if final is not None and floor is not None and not direction.better(final, floor):
            yield Finding(
                CODE,
                f"indicator {indicator.number}: the floor {floor} must lie {word} the final value {final} when {direction} is better",
                indicator.partial_achievement.path + ("floor",),
            )
        for milestone in indicator.milestones:
            if (
                milestone.floor is not None
                and milestone.target is not None
                and not direction.better(milestone.target, milestone.floor)
            ):
                yield Finding(
                    CODE,
                    f"indicator {indicator.number}, month {milestone.month}: the floor {milestone.floor} must lie {word} the target {milestone.target} when {direction} is better",
                    milestone.path + ("floor",),
                )
        bands = indicator.partial_achievement.bands
        for i in range(1, len(bands)):
            earlier, later = bands[i - 1], bands[i]
            if not direction.better(later.start, earlier.start) or later.fraction <= earlier.fraction:
                yield Finding(
                    CODE,
                    f"indicator {indicator.number}: bands must move towards the target ({direction} is better) and pay more as they do; band {i + 1} does not",
                    indicator.partial_achievement.path + ("bands", i),
                )
        pa = indicator.partial_achievement
        for message, path in pa.rule.problems(pa, final, direction):
            yield Finding(CODE, f"indicator {indicator.number}: {message}", path)
