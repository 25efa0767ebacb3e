"""Thresholds are ordered consistently with the indicator's direction.

DOMAIN.md §3 rule 9 and §4: when higher is better, a floor lies below its target and
bands rise towards it; when lower is better, a floor lies above its target and bands
fall towards it. Checked for the indicator's floor against its final value, each
milestone's floor against the milestone target, and the bands against the final value.
"""
from cquin_cli.check.registry import SCHEME, Finding

CODE = "E212"
TITLE = "Thresholds ordered with the direction"
SOURCE = "DOMAIN.md §3 rule 9, §4"
SCOPE = SCHEME

PASSING = """
final: {period: 2009/10 Q4, value: 90}
direction: higher
partial_achievement: {rule: linear, floor: 70}
"""
FAILING = """
final: {period: 2009/10 Q4, value: 90}
direction: higher
partial_achievement: {rule: linear, floor: 95}    # a floor above the target
"""


def _better(direction, a, b) -> bool:
    """True when ``a`` is strictly better than ``b``."""
    return a > b if direction == "higher" else a < b


def check(scheme):
    for indicator in scheme.indicators:
        direction = indicator.direction
        if direction is None:
            continue
        word = "below" if direction == "higher" else "above"
        final = indicator.final.value if indicator.final else None
        floor = indicator.partial_achievement.floor
        if final is not None and floor is not None and not _better(direction, final, floor):
            yield Finding(
                CODE,
                f"indicator {indicator.number}: the floor {floor} must lie {word} the final value {final} when {direction} is better",
                indicator.partial_achievement.path + ("floor",),
            )
        for milestone in indicator.milestones:
            if milestone.floor is not None and milestone.target is not None and not _better(direction, milestone.target, milestone.floor):
                yield Finding(
                    CODE,
                    f"indicator {indicator.number}, month {milestone.month}: the floor {milestone.floor} must lie {word} the target {milestone.target} when {direction} is better",
                    milestone.path + ("floor",),
                )
        bands = indicator.partial_achievement.bands
        for i in range(1, len(bands)):
            earlier, later = bands[i - 1], bands[i]
            if not _better(direction, later.start, earlier.start) or later.fraction <= earlier.fraction:
                yield Finding(
                    CODE,
                    f"indicator {indicator.number}: bands must move towards the target ({direction} is better) and pay more as they do; band {i + 1} does not",
                    indicator.partial_achievement.path + ("bands", i),
                )
        if bands and final is not None and _better(direction, bands[-1].start, final):
            yield Finding(
                CODE,
                f"indicator {indicator.number}: the best band starts beyond the final value {final}",
                indicator.partial_achievement.path + ("bands", len(bands) - 1),
            )
