"""Linear: nothing at the floor or worse, in full at the target, in proportion between.

a = clamp((v - f) / (t - f), 0, 1), the same formula for both directions. Needs a
``floor`` (the JSON Schema requires it); at month 12 the target is the final value, in
year a milestone's target with the milestone's own floor.
"""

from __future__ import annotations

from cquin_cli.partial_achievement import Assessed, PartialAchievement, Rule, number, written

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fractions import Fraction


def linear_fraction(value, floor, target) -> Fraction:
    """clamp((v - f) / (t - f), 0, 1), exact; a floor equal to the target pays only that value."""
    from fractions import Fraction  # reconciling only: validate never imports it

    if target == floor:
        return Fraction(1) if value == target else Fraction(0)
    a = (Fraction(value) - Fraction(floor)) / (Fraction(target) - Fraction(floor))
    return min(max(a, Fraction(0)), Fraction(1))


class Linear(Rule):
    name = "linear"
    words = "linear"
    requires = ("floor",)

    def year_end_floor(self, pa: PartialAchievement):
        return pa.floor

    def assess(self, pa, value, target, floor, direction, where) -> Assessed:
        if floor is None:  # not a valid scheme (the schema requires a floor); nothing to be in proportion to
            from cquin_cli.partial_achievement.all_or_nothing import ALL_OR_NOTHING

            return ALL_OR_NOTHING.assess(pa, value, target, floor, direction, where)
        words = f"linear from floor {number(floor)} to {where} {number(target)}, {direction.words}"
        return Assessed(words, linear_fraction(value, floor, target))

    def contract_text(self, pa: PartialAchievement) -> str:
        floor = "" if pa.floor is None else written(pa.floor)
        return f"Linear: nothing at the floor of {floor} or worse, in full at the target, in proportion between"


LINEAR = Linear()
