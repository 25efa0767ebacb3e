"""Exact values from schema-valid YAML values, with problems recorded instead of raised.

The JSON Schema cannot judge everything: a YAML number with three decimal places where
money belongs, a non-finite measure, a date that is not on the calendar. The record
builders of schemes and achievement data share this reader, so both judge a value the
same way and report it with the same code (E103, E105, E106, E107) at its document path.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.diagnostics import Path
from cquin_cli.money import ZERO, MoneyError, money, percentage

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from enum import Enum
    from typing import Any, TypeVar

    W = TypeVar("W", bound=Enum)


@dataclass(frozen=True, slots=True)
class Problem:
    """A value the schema let through but cquin cannot use."""

    code: str
    message: str
    path: Path


class ValueReader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def money(self, value: Any, path: Path, default: Decimal | None = None) -> Decimal | None:
        """An amount (two decimal places at most); ``default`` when absent or unusable."""
        if value is None:
            return default
        try:
            return money(value)
        except MoneyError as exc:
            self.problems.append(Problem("E105", str(exc), path))
            return default

    def money_or_zero(self, value: Any, path: Path) -> Decimal:
        """An amount as :meth:`money` reads it; zero when absent or unusable (the problem recorded)."""
        found = self.money(value, path)
        return ZERO if found is None else found

    def percent(self, value: Any, path: Path, default: Decimal | None = None) -> Decimal:
        """Percentage points from ``25%``; ``default`` when absent, 0 when unusable."""
        if value is None and default is not None:
            return default
        try:
            return percentage(value)
        except MoneyError as exc:
            self.problems.append(Problem("E106", str(exc), path))
            return Decimal(0)

    def measure(self, value: Any, path: Path) -> Decimal | None:
        """A measured or target value: a finite number."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            self.problems.append(Problem("E103", f"{value!r} is not a finite number", path))
            return None
        value = Decimal(value)
        if not value.is_finite():
            self.problems.append(Problem("E103", f"{value} is not a finite number", path))
            return None
        return value

    def word(self, vocabulary: type[W], value: Any, path: Path, default: W | None = None) -> W:
        """A word of one of the format's vocabularies (cquin_cli/vocabulary.py) as its enum member.

        ``default`` when absent. A word the vocabulary does not hold is a problem (E104),
        and the record gets the vocabulary's first word so that it can still be built; a
        scheme with a problem is never priced."""
        if value is None and default is not None:
            return default
        try:
            return vocabulary(value)
        except ValueError:
            words = ", ".join(w.value for w in vocabulary)
            self.problems.append(Problem("E104", f"{value!r} is not one of {words}", path))
            return next(iter(vocabulary))

    def date(self, value: Any, path: Path) -> _dt.date | None:
        """A calendar date from ``YYYY-MM-DD`` text."""
        if value is None:
            return None
        try:
            return _dt.date.fromisoformat(str(value))
        except ValueError:
            self.problems.append(Problem("E107", f"{value} is not a real calendar date", path))
            return None
