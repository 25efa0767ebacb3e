"""Money: the one module that owns amounts, percentages, rounding and splits (STYLE.md §9).

Invariants (DOMAIN.md §4):

* an amount is a :class:`~decimal.Decimal` built from text or an int, never from a float;
* rounding is half-up to the penny, done once, at the end of each named amount, by
  :func:`to_penny`; intermediate arithmetic is exact (multiply first, divide last);
* every split (by weighting, by commissioner share, into instalments) uses the
  largest-remainder method, so the parts add up exactly to the whole; ties go to the
  part listed first;
* display (``£1,000,000.00``) is kept apart from the value.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Sequence
    from fractions import Fraction

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
# Enough digits for any NHS contract: 15 integer digits plus pence, with room to spare
# so that exact products (an amount times a percentage) are never rounded early.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)

_MONEY_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,2})?\Z")
_PERCENT_TEXT = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)%\Z")
_MAX_MONEY = Decimal("1e15")
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?\Z")  # "0,500" is no grouping


def ungroup_thousands(text: str) -> str:
    """``1,234,567.89`` -> ``1234567.89``; text with any other comma is returned as it is.

    Only commas that group thousands are dropped: ``1234,56`` (a decimal comma) is not
    silently read as one hundred and twenty-three thousand.
    """
    text = text.strip()
    return text.replace(",", "") if _GROUPED.match(text) else text


class MoneyError(ValueError):
    """The text is not an amount of money cquin accepts."""


def money(value: object) -> Decimal:
    """An amount from scheme text or a YAML number: at most two decimal places, finite.

    Accepts ``"1250000.00"``, ``1250000``, ``Decimal("12.5")``. Refuses floats (their
    text is already lost), three decimal places, NaN, infinities and absurd sizes.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"{value!r} is not an exact amount of money")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = ungroup_thousands(value.strip().lstrip("£"))
        if not _MONEY_TEXT.match(text):
            raise MoneyError(f"{value!r} is not a money amount with at most two decimal places")
        amount = Decimal(text)
    else:
        raise MoneyError(f"{value!r} is not a money amount")
    if not amount.is_finite():
        raise MoneyError(f"{value} is not a finite amount of money")
    if abs(amount) >= _MAX_MONEY:
        raise MoneyError(f"{value} is too large to be a contract amount")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise MoneyError(f"{value} has more than two decimal places; money is kept to the penny")
    return amount.quantize(PENNY)


def percentage(text: object) -> Decimal:
    """Percentage points from ``"25%"`` or ``"0.5%"``, exactly: ``Decimal("25")``."""
    if isinstance(text, str):
        m = _PERCENT_TEXT.match(text.strip())
        if m:
            return Decimal(m.group(1))
    raise MoneyError(f"{text!r} is not a percentage written like 25%")


def to_penny(amount: Decimal) -> Decimal:
    """Round half-up to the penny: the one rounding point of every named amount."""
    with localcontext(_CONTEXT):
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def fraction_to_penny(value: Fraction) -> Decimal:
    """An exact rational amount rounded half-up to the penny (the one rounding of a named amount).

    For amounts that pass through a ratio that is not a terminating decimal (a linear
    achievement fraction such as 1/3): computing them as :class:`~fractions.Fraction`
    and rounding here keeps the whole chain exact until this single rounding point.
    """
    pence = abs(value) * 100
    whole, rest = divmod(pence.numerator, pence.denominator)
    if 2 * rest >= pence.denominator:
        whole += 1
    amount = (Decimal(whole) * PENNY).quantize(PENNY)
    return -amount if value < 0 else amount


def of_percent(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent``% of ``amount``, exact (multiply first, divide last), unrounded."""
    with localcontext(_CONTEXT):
        return amount * percent / HUNDRED


def split(total: Decimal, weights: Sequence[Decimal | Fraction | int]) -> list[Decimal]:
    """Split ``total`` (whole pence) in proportion to ``weights`` by largest remainder.

    The parts sum exactly to ``total``. Each part first gets its exact share rounded
    down to the penny; the pennies left over go one each to the parts with the largest
    remainders, ties to the part listed first. The shares are computed exactly, in whole
    numbers (whole pence, and the weights on their least common denominator; never a
    finite-precision division), so two remainders tie only when they are exactly equal. Weights may be decimals
    (percentages), integers or fractions. A negative total is split as its magnitude and
    the parts negated, so a repayment splits exactly as a payment does. Zero weights get
    nothing; all-zero weights are a programmer error.
    """
    total = to_penny(total)
    if total < 0:
        return [-part for part in split(-total, weights)]
    # The exact shares in whole numbers: each weight as numerator / denominator, all on
    # their least common denominator (the same arithmetic as Fractions, without making one).
    ratios = [w.as_integer_ratio() for w in weights]
    common = math.lcm(*(d for _, d in ratios)) if ratios else 1
    scaled = [n * (common // d) for n, d in ratios]
    weight_sum = sum(scaled)
    if not scaled or weight_sum <= 0:
        raise ValueError("cannot split an amount by weights that sum to zero")
    pence = int(total.scaleb(2))  # exact: ``total`` is whole pence
    parts, remainders = [], []
    for w in scaled:
        part, remainder = divmod(pence * w, weight_sum)  # the exact share is part + remainder / weight_sum
        parts.append(part)
        remainders.append(remainder)
    left = pence - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))  # largest remainder first
    for i in order[:left]:
        parts[i] += 1
    return [Decimal(p).scaleb(-2) for p in parts]


def pot(base: Decimal, rate: Decimal) -> Decimal:
    """The expected value: ``rate``% of the base, rounded half-up to the penny once (guidance ¶38)."""
    return to_penny(of_percent(base, rate))


def split_by_goal(pot: Decimal, goals: Sequence[tuple[Decimal, Sequence[Decimal]]]) -> list[tuple[Decimal, list[Decimal]]]:
    """The pot split by goal weighting, then each goal's value by its indicators' weightings.

    ``goals``: each goal's weighting with its indicators' weightings. Returns each goal's
    value with its indicators' values; the goals sum to the pot and each goal's indicators
    to the goal, exactly (both splits by :func:`split`). A goal whose indicators weigh
    nothing gets zero for each of them; no goals, or goals that weigh nothing, give ``[]``.
    """
    if not goals or sum(weighting for weighting, _ in goals) <= 0:
        return []
    out = []
    for (_, weights), value in zip(goals, split(pot, [weighting for weighting, _ in goals])):
        parts = split(value, weights) if weights and sum(weights) > 0 else [ZERO] * len(weights)
        out.append((value, parts))
    return out


def instalments(total: Decimal, count: int) -> list[Decimal]:
    """``total`` in ``count`` equal instalments, the odd pennies to the earliest months."""
    return split(total, [Decimal(1)] * count)


def format_money(amount: Decimal, *, sign: bool = False) -> str:
    """``£1,234,567.89``; ``-£128,700.00`` for a negative amount. Display only."""
    amount = to_penny(amount)
    text = f"£{abs(amount):,.2f}"
    if amount < 0:
        return "-" + text
    if sign and amount > 0:
        return "+" + text
    return text


def format_percent(percent: Decimal) -> str:
    """``25%``, ``0.5%``, ``33.33%``: percentage points as a contract manager writes them."""
    text = format(percent.normalize(), "f")
    return f"{text}%"


def format_achievement(fraction: Decimal) -> str:
    """An achievement (a fraction, 1 is all of it) as a percentage with two decimals, half-up: ``78.57%``.

    Display only: JSON and CSV keep the exact fraction.
    """
    return f"{(Decimal(fraction) * HUNDRED).quantize(PENNY, rounding=ROUND_HALF_UP)}%"


def money_text(amount: Decimal) -> str:
    """Money for machine output (JSON, CSV): a string with exactly two decimals."""
    return f"{to_penny(amount):.2f}"


__all__ = [
    "PENNY",
    "ZERO",
    "HUNDRED",
    "MoneyError",
    "money",
    "format_achievement",
    "ungroup_thousands",
    "percentage",
    "to_penny",
    "fraction_to_penny",
    "of_percent",
    "split",
    "instalments",
    "format_money",
    "format_percent",
    "money_text",
    "InvalidOperation",
]
