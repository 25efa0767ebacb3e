"""All or nothing: the indicator's money in full when the target is met, nothing otherwise.

The guidance warns against it where progress is partial (rule W401 says so); it suits a
yes-or-no outcome. In year, a milestone without a floor is assessed this way too.
"""

from __future__ import annotations

from cquin_cli.partial_achievement import Assessed, PartialAchievement, Rule, number


class AllOrNothing(Rule):
    name = "all_or_nothing"
    words = "all-or-nothing"

    def assess(self, pa, value, target, floor, direction, where) -> Assessed:
        from fractions import Fraction  # reconciling only: validate never imports it

        met = direction.meets(value, target)
        return Assessed(f"all-or-nothing against {where} {number(target)}, {direction.words}", Fraction(1 if met else 0))

    def contract_text(self, pa: PartialAchievement) -> str:
        return "All or nothing: paid in full when the target is met, else nothing"


ALL_OR_NOTHING = AllOrNothing()
