"""Reading a cell's value as a scheme value: exactly, or not at all.

Each reader returns ``(value, note)``: the value in cquin's format and, when the
document wrote it another way, a note saying what was converted ("read 30 as 30%").
A value that cannot be read without guessing raises :class:`Unreadable` with the
reason; the importer then writes a TODO stub and reports it. Conversions are made
only where the text has one meaning:

* a percentage without a % sign, when it is above 1 (``30`` is 30%; ``0.3`` could be
  0.3% or 30%, so it is not read); an Excel cell formatted as a percentage is exact;
* money with ``£``, spaces and commas that group thousands (``£1,250,000``); never
  words, never ``£1.2m``;
* dates as ISO (``2011-04-30``), in UK day/month/year order where no other order
  could be meant (``30/04/2011``; ``04/05/2011`` could be 4 May or 5 April, so it is
  not read), or in words (``30 April 2011``); never a two-digit year or a month
  without a day;
* numbers from Excel keep the shortest decimal text of the stored value (``0.07``,
  never ``0.07000000000000001``): money stays exact to the penny.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation

from cquin_cli.importer.documents import Cell
from cquin_cli.money import MoneyError, format_percent, money, ungroup_thousands

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

HUNDRED = Decimal(100)
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?\Z")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%\Z")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class Unreadable(ValueError):
    """The value cannot be read without a guess; the message says why, in the user's words."""


def _exact(value: Any) -> Decimal:
    """An Excel number as an exact decimal: the shortest text that reads back as the stored value."""
    if isinstance(value, bool):
        raise Unreadable(f"{value} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unreadable(f"{value} is not a number")
        return Decimal(repr(value))
    raise Unreadable(f"{value!r} is not a number")


def _is_number(cell: Cell) -> bool:
    return isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)


def _plain(d: Decimal) -> Decimal:
    """``30.0`` -> ``30``, ``62.50`` -> ``62.5``: a measure or a percentage as a person writes it."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def percent(cell: Cell) -> tuple[str, str]:
    """A percentage in cquin's form (``"30%"``), from ``30%``, a %-formatted cell, or ``30``."""
    if _is_number(cell):
        number = _exact(cell.value)
        if "%" in cell.number_format:
            return format_percent(_plain(number * HUNDRED)), ""
        return _bare_percent(number, cell.text)
    text = cell.text.strip()
    found = _PERCENT.match(text)
    if found:
        points = Decimal(found.group(1))
        if points > HUNDRED:
            raise Unreadable(f"{text} is more than 100%")
        return format_percent(_plain(points)), (
            "" if text == format_percent(_plain(points)) else f"read {text!r} as {format_percent(_plain(points))}"
        )
    if _NUMBER.match(text):
        return _bare_percent(Decimal(text), text)
    raise Unreadable(f"{_quote(text)} is not a percentage")


def _bare_percent(number: Decimal, shown: str) -> tuple[str, str]:
    if number < 0 or number > HUNDRED:
        raise Unreadable(f"{shown} is not a percentage between 0 and 100")
    if number <= 1:
        raise Unreadable(
            f"{shown} has no % sign and could be {format_percent(_plain(number))} or {format_percent(_plain(number * HUNDRED))}"
        )
    text = format_percent(_plain(number))
    return text, f"read {shown} (no % sign) as {text}"


def amount(cell: Cell) -> tuple[str, str]:
    """Money as cquin writes it (``"1250000.00"``), from a number or ``£1,250,000``."""
    if _is_number(cell):
        number = _exact(cell.value)
        try:
            return str(money(number)), ""
        except MoneyError as exc:
            raise Unreadable(str(exc)) from None
    text = cell.text.strip()
    squeezed = text.replace("£", "").replace("GBP", "").replace(" ", "").replace("\u00a0", "")
    if re.search(r"[0-9](?:k|m|bn|million|thousand)\Z", squeezed, re.IGNORECASE):
        raise Unreadable(f"{_quote(text)} is written in thousands or millions; give the amount in pounds")
    plain = ungroup_thousands(squeezed)
    if not _NUMBER.match(plain) or plain.startswith(("-", "+")):
        raise Unreadable(f"{_quote(text)} is not an amount of money in pounds")
    try:
        value = str(money(plain))
    except MoneyError as exc:
        raise Unreadable(str(exc)) from None
    return value, ("" if text == value else f"read {text!r} as {value}")


def signed_amount(cell: Cell) -> tuple[str, str]:
    """An amount a document may show as a deduction (``-£500,000.00`` beside "Less: ..."): its size."""
    if _is_number(cell) and _exact(cell.value) < 0:
        return amount(Cell(cell.text, cell.where, cell.column, -cell.value, cell.number_format))
    text = cell.text.strip()
    if text.startswith(("-", "−", "(")):
        inner = text.lstrip("-−(").rstrip(")")
        return amount(Cell(inner, cell.where, cell.column, inner))
    return amount(cell)


def measure(cell: Cell) -> tuple[int | Decimal, str]:
    """A measured or target value: a number (``55``, ``62.5``); ``55%`` is 55."""
    if _is_number(cell):
        number = _exact(cell.value)
        if "%" in cell.number_format:
            points = _plain(number * HUNDRED)
            return _measure(points), f"read the cell shown as {format_percent(points)} as {points}"
        return _measure(_plain(number)), ""
    text = cell.text.strip()
    found = _PERCENT.match(text)
    if found:
        value = _plain(Decimal(found.group(1)))
        return _measure(value), f"read {text!r} as {value} (a measure is a number; the % is its unit)"
    plain = ungroup_thousands(text)
    if _NUMBER.match(plain):
        value = _plain(Decimal(plain))
        return _measure(value), ("" if plain == text else f"read {text!r} as {value}")
    raise Unreadable(f"{_quote(text)} is not a number")


def _measure(d: Decimal) -> int | Decimal:
    return int(d) if d == d.to_integral_value() else d


def date(cell: Cell) -> tuple[str, str]:
    """A date as YYYY-MM-DD, from a date cell, ISO text, UK 31/03/2010 or "31 March 2010"."""
    value = cell.value
    if isinstance(value, _dt.datetime):
        return value.date().isoformat(), ""
    if isinstance(value, _dt.date):
        return value.isoformat(), ""
    text = cell.text.strip()
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if iso:
        return _checked(int(iso[1]), int(iso[2]), int(iso[3]), text), ""
    uk = re.fullmatch(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2,4})", text)
    if uk:
        if len(uk[3]) != 4:
            raise Unreadable(f"{_quote(text)} has a two-digit year; write the year in full")
        day, month = int(uk[1]), int(uk[2])
        made = _checked(int(uk[3]), month, day, text)
        if day <= 12 and month <= 12 and day != month:
            other = _checked(int(uk[3]), day, month, text)
            raise Unreadable(
                f"{_quote(text)} could be {made} (day/month, UK order) or {other} (month/day); write it as YYYY-MM-DD"
            )
        return made, f"read {text} as {made} (UK order: day/month/year)"
    words = re.fullmatch(r"([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+),?\s+([0-9]{4})", text)
    if words:
        named = _month_number(words[2])
        if named is not None:
            made = _checked(int(words[3]), named, int(words[1]), text)
            return made, f"read {text!r} as {made}"
    raise Unreadable(f"{_quote(text)} is not a date with a day, a month and a year")


def _month_number(word: str) -> int | None:
    word = word.casefold()
    for number, name in enumerate(_MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _checked(year: int, month: int, day: int, text: str) -> str:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        raise Unreadable(f"{_quote(text)} is not a day of the calendar") from None


def number(cell: Cell) -> tuple[int | str, str]:
    """A goal or indicator number as printed: ``1`` stays a number, ``"1.1"`` and ``"S1"`` text."""
    if _is_number(cell):
        d = _exact(cell.value)
        return (int(d), "") if d == d.to_integral_value() else (str(d), "")
    text = cell.text.strip().rstrip(".")
    if not text:
        raise Unreadable("the number is empty")
    return (int(text), "") if text.isdigit() and not text.startswith("0") else (text, "")


def integer(cell: Cell) -> tuple[int, str]:
    if _is_number(cell):
        d = _exact(cell.value)
        if d == d.to_integral_value():
            return int(d), ""
    text = cell.text.strip()
    if text.isdigit():
        return int(text), ""
    raise Unreadable(f"{_quote(text)} is not a whole number")


def financial_year(text: str) -> tuple[str, str]:
    """``2010/11`` from ``2010/11``, ``2010-11``, ``2010/2011`` or ``2010-2011``."""
    found = re.fullmatch(r"\s*(?:financial year\s+)?([0-9]{4})\s*[/\-–]\s*([0-9]{2}|[0-9]{4})\s*", text, re.IGNORECASE)
    if not found:
        raise Unreadable(f"{_quote(text)} is not a financial year written like 2010/11")
    start, end = int(found[1]), found[2]
    if int(end[-2:]) != (start + 1) % 100 or (len(end) == 4 and int(end) != start + 1):
        raise Unreadable(f"{_quote(text)} is not one financial year (April to March)")
    made = f"{start}/{(start + 1) % 100:02d}"
    return made, ("" if made == text.strip() else f"read {text.strip()!r} as {made}")


def month_of(text: str, year: str | None) -> tuple[int, str] | None:
    """The month of the financial year a milestone's heading names, or None when it names none.

    ``Month 6`` and ``M6`` are month 6; ``Q2`` (the quarter ending in September) is
    month 6; ``September`` is month 6 (April is month 1).
    """
    t = text.strip().casefold()
    found = re.match(r"(?:month|m)\s*([0-9]{1,2})\b", t)
    if found and 1 <= int(found[1]) <= 12:
        return int(found[1]), ""
    found = re.match(r"(?:q|quarter)\s*([1-4])\b", t)
    if found:
        month = 3 * int(found[1])
        return month, f"read {text.strip()!r} as month {month} (the end of quarter {found[1]} of the financial year)"
    found = re.match(r"([a-z]+)(?:\s+[0-9]{4})?\s*\Z", t)
    if found:
        calendar = _month_number(found[1])
        if calendar is not None and len(found[1]) >= 3:
            month = (calendar - 4) % 12 + 1
            return month, f"read {text.strip()!r} as month {month} of the financial year (April is month 1)"
    return None


def _quote(text: str) -> str:
    short = text if len(text) <= 60 else text[:57] + "..."
    return f'"{short}"'


def exact_decimal(value: Any) -> Decimal:
    """Exposed for the reader: an Excel number as an exact decimal (see :func:`_exact`)."""
    try:
        return _exact(value)
    except (Unreadable, InvalidOperation):
        raise Unreadable(f"{value!r} is not a number") from None
