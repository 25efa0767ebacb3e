"""The money held back: its own lines, apart from the goals' pot (2017/18, 2018/19).

In 2017/18 and 2018/19 1% of the contract was tied to the sustainability and
transformation partnerships (S32-S36): 0.5% for the provider's engagement in its STP,
and 0.5% held as a risk reserve against the system control total (seed 003: about
£270m held back in 2018). The year's rulebook names each part and its rate
(:attr:`cquin_cli.rulebook.Year.held_back`). Each part is priced here as its own line:

* value = rate x the base, rounded once half-up to the penny (the base the goals' pot is
  priced on: the planned base in ``cquin price``, B(m) in ``cquin reconcile``);
* split by commissioner share by the largest-remainder method, so the parts sum to it;
* not paid on account, and no part of E(m), P(m) or A(m): it is due to the provider only
  when the achievement data records the outcome that pays it (``earned`` for STP
  engagement, ``released`` for the risk reserve), with its date and source; ``withheld``
  pays nothing, and until an outcome is recorded the part is held.

The scheme's ``rate`` is the goals' share; the parts held back come on top of it at the
year's rates (the 2017-19 total is not confirmed by any source; docs/money.md).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.check.year_rules import held_back_parts
from cquin_cli.load.achievement import Achievement
from cquin_cli.load.scheme import Scheme
from cquin_cli.money import ZERO, pot, split
from cquin_cli.rulebook import HeldBackPart

HELD = "held"  # no outcome recorded yet


@dataclass(frozen=True, slots=True)
class HeldBackValue:
    """One part held back, priced at a base, with what the achievement data records of it."""

    part: HeldBackPart
    base: Decimal
    value: Decimal
    by_commissioner: tuple[tuple[str, Decimal], ...]  # (commissioner code, part of the value)
    outcome: str = HELD  # held, or the outcome recorded: earned, released, withheld
    recorded: _dt.date | None = None
    source: str = ""  # where the recorded outcome is written

    @property
    def name(self) -> str:
        return self.part.kind.name

    @property
    def label(self) -> str:
        return self.part.kind.label

    @property
    def paid(self) -> bool:
        """True when the outcome recorded pays the part to the provider."""
        return self.outcome == self.part.kind.paid_outcome

    @property
    def due(self) -> Decimal:
        """What the commissioners owe the provider for this part: its value once earned or released."""
        return self.value if self.paid else ZERO

    def due_to(self, code: str) -> Decimal:
        return dict(self.by_commissioner).get(code, ZERO) if self.paid else ZERO

    @property
    def status(self) -> str:
        """The outcome in words: "held (no outcome recorded)", "released on 2019-05-31 (board minutes)"."""
        if self.outcome == HELD:
            return "held: no outcome recorded"
        return outcome_words(self.outcome, self.recorded, self.source)


def outcome_words(outcome: str, recorded: _dt.date | None, source: str) -> str:
    """A recorded outcome in words, with its date and source: "released on 2019-05-31 (board minutes)"."""
    when = f" on {recorded.isoformat()}" if recorded else ""
    return f"{outcome.replace('_', ' ')}{when}{f' ({source})' if source else ''}"


def held_back(scheme: Scheme, base: Decimal, achievement: Achievement | None = None) -> tuple[HeldBackValue, ...]:
    """The parts ``scheme``'s year holds back, each priced at ``base``, with their recorded outcomes."""
    out = []
    codes = [c.code for c in scheme.commissioners]
    shares = [c.share for c in scheme.commissioners]
    for part in held_back_parts(scheme):
        value = pot(base, part.rate)
        parts = split(value, shares) if shares and sum(shares) > 0 else []
        record = achievement.held_back_record(part.kind.name) if achievement is not None else None
        out.append(
            HeldBackValue(
                part,
                base,
                value,
                tuple(zip(codes, parts)),
                outcome=record.outcome if record is not None else HELD,
                recorded=record.recorded if record is not None else None,
                source=record.source if record is not None else "",
            )
        )
    return tuple(out)


def total_due(values: Sequence[HeldBackValue]) -> Decimal:
    return sum((v.due for v in values), ZERO)
