"""Milestone: met (paid in full) or not met (nothing), for innovation and data collection.

Measured as ``met: true`` or ``met: false``, not as a value (rule E302); needs milestones
(rule E211) but no baseline, final value or direction (rule E210 does not ask for them).
"""

from __future__ import annotations

from cquin_cli.partial_achievement import Assessed, PartialAchievement, Rule


class Milestone(Rule):
    name = "milestone"
    words = "milestone"
    met_or_not = True

    def assess_met(self, met: bool) -> Assessed:
        from fractions import Fraction  # reconciling only: validate never imports it

        return Assessed(f"milestone {'met' if met else 'not met'}", Fraction(1 if met else 0))

    def assess(self, pa, value, target, floor, direction, where) -> Assessed:
        raise TypeError("a milestone indicator is measured as met or not met, not as a value (assess_met)")

    def contract_text(self, pa: PartialAchievement) -> str:
        return "Milestone met (paid in full) or not met (nothing)"


MILESTONE = Milestone()
