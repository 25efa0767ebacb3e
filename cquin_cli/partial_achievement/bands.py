"""Bands: the fraction of the best band reached; the band that pays 100% starts at the final value.

Assessed at month 12 only; in year a bands indicator is assessed against its milestone
(linear with a milestone floor, else all-or-nothing). The bands must move towards the
target and pay more as they do (rule E212), and the best band must pay 100% from exactly
the final value, so "meeting the final value" and "the best band reached" never disagree.
"""

from __future__ import annotations

from cquin_cli.money import format_percent
from cquin_cli.partial_achievement import Assessed, PartialAchievement, Rule, number, written


class Bands(Rule):
    name = "bands"
    words = "bands"
    requires = ("bands",)

    def assess(self, pa, value, target, floor, direction, where) -> Assessed:
        from fractions import Fraction  # reconciling only: validate never imports it

        if not pa.bands:  # not a valid scheme (the schema requires bands)
            from cquin_cli.partial_achievement.all_or_nothing import ALL_OR_NOTHING

            return ALL_OR_NOTHING.assess(pa, value, target, floor, direction, where)
        reached = [b for b in pa.bands if direction.meets(value, b.start)]
        if not reached:
            return Assessed(
                f"bands: no band reached (first band from {number(pa.bands[0].start)}), {direction.words}", Fraction(0)
            )
        best = max(reached, key=lambda b: b.fraction)
        if best.fraction == 100 and best.start == target:
            return Assessed(f"bands: final value {number(target)} met, {direction.words}", Fraction(1))
        return Assessed(
            f"bands: best band reached from {number(best.start)} earns {format_percent(best.fraction)}, {direction.words}",
            Fraction(best.fraction) / 100,
        )

    def contract_text(self, pa: PartialAchievement) -> str:
        bands = "; ".join(f"from {written(b.start)}: {format_percent(b.fraction)}" for b in pa.bands)
        return f"Bands (the best band reached): {bands}"

    def summary(self, pa: PartialAchievement) -> str:
        if not pa.bands:
            return self.words
        return "bands " + ", ".join(f"{format_percent(b.fraction)} from {written(b.start)}" for b in pa.bands)

    def problems(self, pa, final, direction):
        """The last (best) band pays 100% and starts exactly at the final value."""
        if not pa.bands or final is None:
            return
        best = pa.bands[-1]
        where = pa.path + ("bands", len(pa.bands) - 1)
        if best.fraction != 100:
            yield (
                f"the best band pays {format_percent(best.fraction)}, not 100%: the final value {final} is the threshold "
                f"of the band that pays 100% (add a band from {final} paying 100%)",
                where + ("fraction",),
            )
        elif best.start != final:
            yield (
                f"the band that pays 100% starts at {best.start}, not at the final value {final}: "
                "the final value is the threshold of the band that pays 100%",
                where + ("from",),
            )


BANDS = Bands()
