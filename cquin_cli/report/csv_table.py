"""CSV as every cquin command writes it: one home for quoting and the formula guard.

A field holding a comma, a quote, a carriage return or a line feed is quoted (quotes
doubled). Python's :mod:`csv` writer quotes only the characters of its line terminator,
so with ``"\\n"`` lines a bare carriage return went out unquoted and a spreadsheet
started a new row there; quoting here is explicit, the same on every Python version.

Every cell of a text column passes through :func:`~cquin_cli.report.formula_guard.csv_text`,
whatever its text looks like (an indicator named ``-1`` is guarded too). Cells of the
columns named ``numeric`` are written as they are: they hold only numbers cquin wrote
itself (money such as ``-128700.00``, pence, decimals), never scheme text, so a negative
amount stays a number a spreadsheet can add up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

from cquin_cli.report.formula_guard import csv_text

_NEEDS_QUOTES = (",", '"', "\r", "\n")


def csv_field(text: str) -> str:
    """One field, quoted when it holds a comma, quote, carriage return or line feed."""
    if any(c in text for c in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(fields: Sequence[str]) -> str:
    if len(fields) == 1 and fields[0] == "":
        return '""\n'  # a lone empty field still makes a row
    return ",".join(csv_field(f) for f in fields) + "\n"


def csv_table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Collection[str] = ()) -> str:
    """A header line and one line per row; text cells guarded, ``numeric`` columns kept as numbers."""
    return "".join(csv_lines(header, rows, numeric))


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Collection[str] = ()) -> Iterator[str]:
    """:func:`csv_table`, a line at a time (a large table is written as it is made)."""
    kept = [name in numeric for name in header]
    yield csv_line(list(header))
    for row in rows:
        yield csv_line([cell if number else csv_text(cell) for cell, number in zip(row, kept)])
