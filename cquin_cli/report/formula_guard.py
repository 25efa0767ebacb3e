"""Text that a spreadsheet would evaluate: the one definition (DOMAIN.md §8).

Excel, LibreOffice and Google Sheets take a cell whose text starts with ``=``, ``+``,
``-`` or ``@`` (and, through CSV import, a tab or carriage return) as a formula. Scheme
text comes from many hands, so every writer of spreadsheets or CSV asks this module:
the workbook keeps such text a string cell with a quote prefix, CSV prefixes an
apostrophe.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def could_be_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """Text for a CSV cell, with an apostrophe in front when a spreadsheet would evaluate it."""
    return "'" + text if could_be_formula(text) else text
