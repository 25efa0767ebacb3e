"""The one shape of a table on the site: the page shows it, its CSV file is written from it.

A :class:`SiteTable` holds display cells. Its CSV is either the rows shown (each cell's
``value``: money as ``1000.00``, not ``£1,000.00``), written by
:func:`cquin_cli.report.csv_table.csv_table` with its formula guard, or, where the table
shows rows of one of ``cquin export``'s tables, that table's rows for the page, with
every column of the export (``csv`` then names the file written from
:func:`cquin_cli.report.export.table_csv`). Either way every table has a CSV beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cquin_cli.report.csv_table import csv_table


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    href: str = ""  # site-relative address (from the site's root), or ""
    number: bool = False  # a figure: right-aligned, and a number in the CSV
    value: str | None = None  # the CSV's text when it differs from the display (money)

    @property
    def csv(self) -> str:
        return self.text if self.value is None else self.value


@dataclass(frozen=True, slots=True)
class SiteTable:
    key: str  # the table's anchor on its page, and its CSV file's stem
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    csv: str = ""  # site-relative address of its CSV file
    export_table: str = ""  # the `cquin export` table its CSV holds, when it holds one
    note: str = ""
    numeric: tuple[bool, ...] = field(default=())

    def csv_text(self) -> str:
        numeric = {h for h, n in zip(self.header, self._numeric()) if n}
        return csv_table(self.header, ([c.csv for c in row] for row in self.rows), numeric)

    def _numeric(self) -> tuple[bool, ...]:
        if self.numeric:
            return self.numeric
        if not self.rows:
            return tuple(False for _ in self.header)
        return tuple(all(row[i].number or row[i].csv == "" for row in self.rows) for i in range(len(self.header)))

    @property
    def column_numeric(self) -> tuple[bool, ...]:
        return self._numeric()

    def body(self) -> list[list[tuple[bool, Cell]]]:
        """The rows as the page draws them: each cell with whether its column holds figures."""
        numeric = self._numeric()
        return [list(zip(numeric, row)) for row in self.rows]


def text_cells(values: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(Cell(v) for v in values)
