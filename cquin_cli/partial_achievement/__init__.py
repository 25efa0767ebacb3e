"""The rules for partial achievement: how much of an indicator's money a measurement earns.

Guidance ¶64-67 and the indicator template's "Are there rules for partial achievement?";
the arithmetic is written in docs/money.md. Each rule is one module here holding
everything cquin knows of it: its name in a scheme, the fields it needs under
``partial_achievement`` (the JSON Schema's if/then says the same; a test keeps them
equal), how it assesses a measurement against a target, how a contract words it, and its
own validity checks (rule E212 reports them). Adding a rule is one module, its line in
:data:`RULES`, and its tests.

A name that is not a rule never becomes all-or-nothing: :func:`rule_named` raises
:class:`UnknownRule` (the scheme's builder reports it as E104), and the stand-in
:class:`Unknown` refuses to assess or be worded.
"""

from __future__ import annotations

from dataclasses import dataclass

from cquin_cli.diagnostics import Path
from cquin_cli.vocabulary import Direction

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Iterator
    from decimal import Decimal
    from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Band:
    start: Decimal
    fraction: Decimal  # percentage points


@dataclass(frozen=True, slots=True)
class PartialAchievement:
    """An indicator's ``partial_achievement`` as the scheme writes it."""

    rule: Rule
    floor: Decimal | None
    bands: tuple[Band, ...]
    note: str
    path: Path


@dataclass(frozen=True, slots=True)
class Assessed:
    """What a rule made of one measurement: the words a reconciliation prints, and a_i in [0, 1]."""

    words: str
    fraction: Fraction


def number(value: Decimal) -> str:
    """A target, floor or band start in a reconciliation's words: 60, 62.5."""
    return format(value.normalize(), "f")


def written(value: Decimal) -> str:
    """A value as the contract's tables write it: whole numbers without decimals, others as the scheme writes them."""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


class Rule:
    """One rule for partial achievement. Subclasses are the rules; each is used as one instance."""

    name: str = ""  # as a scheme writes it
    words: str = ""  # as a sentence says it: "all-or-nothing"
    requires: tuple[str, ...] = ()  # the fields under partial_achievement the rule needs
    met_or_not: bool = False  # measured as met / not met (``met:``), not as a value (``value:``)

    def __repr__(self) -> str:
        return f"<partial achievement rule {self.name}>"

    def year_end_floor(self, pa: PartialAchievement) -> Decimal | None:
        """The floor below which nothing is earned at month 12 (only the linear rule has one)."""
        return None

    def assess(
        self, pa: PartialAchievement, value: Decimal, target: Decimal, floor: Decimal | None, direction: Direction, where: str
    ) -> Assessed:
        """a_i for a measured ``value`` against ``target`` (``where``: "final value", "month 6 milestone")."""
        raise NotImplementedError

    def contract_text(self, pa: PartialAchievement) -> str:
        """The rule as a contract states it (Schedule 3 Part 4C)."""
        raise NotImplementedError

    def summary(self, pa: PartialAchievement) -> str:
        """The rule in a few words, for a comparison of two schemes: "bands 50% from 70, 100% from 90"."""
        return self.words

    def problems(self, pa: PartialAchievement, final: Decimal | None, direction: Direction) -> Iterator[tuple[str, Path]]:
        """The rule's own validity checks: (message, path) for each thing wrong (rule E212 reports them)."""
        return iter(())


class UnknownRule(ValueError):
    """A name that is not a rule for partial achievement."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name!r} is not a rule for partial achievement; the rules are {', '.join(RULES)}")


class Unknown(Rule):
    """Stands in for a name that is not a rule, in a scheme that has an error saying so: never assessed, never worded."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.words = name

    def _refuse(self) -> UnknownRule:
        return UnknownRule(self.name)

    def assess(self, pa, value, target, floor, direction, where) -> Assessed:
        raise self._refuse()

    def contract_text(self, pa: PartialAchievement) -> str:
        raise self._refuse()


def rule_named(name: str) -> Rule:
    """The rule a scheme names; :class:`UnknownRule` for any other name."""
    try:
        return RULES[name]
    except KeyError:
        raise UnknownRule(name) from None


from cquin_cli.partial_achievement.all_or_nothing import ALL_OR_NOTHING  # noqa: E402  (the rules need Rule, above)
from cquin_cli.partial_achievement.bands import BANDS  # noqa: E402
from cquin_cli.partial_achievement.linear import LINEAR  # noqa: E402
from cquin_cli.partial_achievement.milestone import MILESTONE  # noqa: E402

# Every rule, by the name a scheme writes, in the format's order.
RULES: dict[str, Rule] = {r.name: r for r in (ALL_OR_NOTHING, LINEAR, BANDS, MILESTONE)}

__all__ = ["ALL_OR_NOTHING", "BANDS", "LINEAR", "MILESTONE", "RULES", "Assessed", "Band", "PartialAchievement", "Rule"]
