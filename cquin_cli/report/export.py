"""Write an :class:`~cquin_cli.portfolio.export_tables.Export` as CSV, JSON or SQLite.

Every file is written to a temporary file in the destination folder and moved into
place with :func:`os.replace`, so a reader never sees half a file and an interrupted
run leaves the old file whole. Values are typed by their column's kind
(``docs/data-dictionary.md``): money as exact text plus integer pence, decimals as
their exact text, never through a float. The same export gives the same bytes.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from cquin_cli.atomic import atomic_write_pieces, atomic_write_with, check_destination, make_folder
from cquin_cli.portfolio.export_tables import BOOLEAN, DATE, DECIMAL, MONEY, PENCE, SQLITE_TYPES, TABLES, TEXT, Export, TableSpec
from cquin_cli.report.csv_table import csv_lines

FORMATS = ("csv", "json", "sqlite")


def _plain(value: Any, kind: str) -> Any:
    """A value as JSON holds it: decimals and money as exact strings."""
    if value is None:
        return None
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == DECIMAL:
        return _decimal_text(value)
    if kind == BOOLEAN:
        return bool(value)
    return value


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == DECIMAL:
        return _decimal_text(value)
    return str(value)


def _sqlite_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == BOOLEAN:
        return 1 if value else 0
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == DECIMAL:
        return _decimal_text(value)  # NUMERIC affinity: SQLite stores it as INTEGER or REAL
    return value


# --- CSV ---------------------------------------------------------------------------


def table_csv(export: Export, name: str) -> str:
    """A table as CSV: only text columns hold scheme text, so only they are formula-guarded."""
    return "".join(table_csv_lines(export, name))


def table_csv_lines(export: Export, name: str) -> Iterator[str]:
    """:func:`table_csv`, a line at a time."""
    table = export.table(name)
    kinds = [c.kind for c in table.spec.columns]
    numeric = {c.name for c in table.spec.columns if c.kind != TEXT}
    rows = ([_csv_cell(v, k) for v, k in zip(row, kinds)] for row in table.rows)
    return csv_lines(table.spec.column_names, rows, numeric)


def batched_text(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """``pieces`` joined into texts of about ``size`` characters: fewer, larger writes."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)


def csv_files(folder: str) -> list[str]:
    return [os.path.join(folder, f"{spec.name}.csv") for spec in TABLES]


def write_csv(export: Export, folder: str) -> list[str]:
    make_folder(folder)  # its parent must exist: a mistyped -o creates no tree elsewhere
    written = []
    for spec, path in zip(TABLES, csv_files(folder)):
        atomic_write_pieces(path, batched_text(table_csv_lines(export, spec.name)))
        written.append(path)
    return written


# --- JSON --------------------------------------------------------------------------


def export_document(export: Export) -> dict[str, Any]:
    tables = {}
    for table in export.tables:
        kinds = [c.kind for c in table.spec.columns]
        tables[table.name] = [{c: _plain(v, k) for c, v, k in zip(table.spec.column_names, row, kinds)} for row in table.rows]
    return {"format": "cquin-export", "version": 1, "tables": tables}


def export_json(export: Export) -> str:
    return "".join(export_json_pieces(export))


def export_json_pieces(export: Export) -> Iterator[str]:
    """:func:`export_document` as ``json.dumps(indent=2)`` writes it, row after row: the same
    text, never held whole (a 5,000-scheme export is about 150 MB of it)."""
    yield '{\n  "format": "cquin-export",\n  "version": 1,\n  "tables": {'
    for t, table in enumerate(export.tables):
        yield ("," if t else "") + f"\n    {json.dumps(table.name, ensure_ascii=False)}: "
        kinds = [c.kind for c in table.spec.columns]
        names = table.spec.column_names
        first = True
        for row in table.rows:
            text = json.dumps({c: _plain(v, k) for c, v, k in zip(names, row, kinds)}, indent=2, ensure_ascii=False)
            yield ("[\n      " if first else ",\n      ") + text.replace("\n", "\n      ")
            first = False
        yield "[]" if first else "\n    ]"
    yield "\n  }\n}\n" if export.tables else "}\n}\n"


def write_json(export: Export, path: str) -> None:
    atomic_write_pieces(path, batched_text(export_json_pieces(export)))


# --- SQLite ------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(spec: TableSpec) -> str:
    lines = []
    for c in spec.columns:
        line = f"  {_quote(c.name)} {SQLITE_TYPES[c.kind]}"
        if c.required:
            line += " NOT NULL"
        if c.kind == BOOLEAN:
            line += f" CHECK ({_quote(c.name)} IN (0, 1))"
        if c.kind == MONEY:
            line += f" CHECK ({_quote(c.name)} GLOB '*[0-9].[0-9][0-9]')"
        if c.kind == DATE:
            line += f" CHECK ({_quote(c.name)} IS date({_quote(c.name)}))"
        lines.append(line)
    lines.append(f"  PRIMARY KEY ({', '.join(_quote(k) for k in spec.primary_key)})")
    for fk in spec.foreign_keys:
        lines.append(
            f"  FOREIGN KEY ({', '.join(_quote(c) for c in fk.columns)}) REFERENCES {_quote(fk.table)} ({', '.join(_quote(c) for c in fk.references)})"
        )
    return f"CREATE TABLE {_quote(spec.name)} (\n" + ",\n".join(lines) + "\n)"


class ExportError(Exception):
    """The export could not be written consistently (a programmer error; never expected)."""


def write_sqlite(export: Export, path: str) -> None:
    import sqlite3

    def write(temp: str) -> None:
        try:
            fill(temp)
        except sqlite3.OperationalError as exc:  # SQLite's own word for a full disk or quota
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                raise OSError(errno.ENOSPC, str(exc)) from exc
            raise

    def fill(temp: str) -> None:
        os.unlink(temp)  # sqlite3 creates a fresh database file
        connection = sqlite3.connect(temp)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            with connection:
                for table in export.tables:
                    connection.execute(create_table_sql(table.spec))
                    kinds = [c.kind for c in table.spec.columns]
                    placeholders = ", ".join("?" for _ in kinds)
                    connection.executemany(
                        f"INSERT INTO {_quote(table.name)} VALUES ({placeholders})",
                        ([_sqlite_value(v, k) for v, k in zip(row, kinds)] for row in table.rows),
                    )
            problems = connection.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise ExportError(f"foreign keys do not hold: {problems[:3]}")
        finally:
            connection.close()

    atomic_write_with(path, write)


def write(export: Export, fmt: str, out: str) -> list[str]:
    """Write ``export`` in ``fmt`` to ``out`` (a folder for CSV, a file otherwise); the paths written."""
    if fmt == "csv":
        return write_csv(export, out)
    if fmt == "json":
        write_json(export, out)
    else:
        write_sqlite(export, out)
    return [out]


def targets(fmt: str, out: str) -> list[str]:
    """The files a write would replace."""
    return csv_files(out) if fmt == "csv" else [out]


def check_targets(fmt: str, out: str, inputs: list[str] | tuple[str, ...] = ()) -> None:
    """Refuse (``CannotWrite``) an ``out`` that cannot be written in ``fmt``, before any work:
    :func:`cquin_cli.atomic.check_destination` for the folder (CSV) and each file."""
    if fmt == "csv":
        check_destination(out, folder=True, inputs=inputs)
    for target in targets(fmt, out):
        check_destination(target, new_folders=fmt == "csv", inputs=inputs)


__all__ = [
    "FORMATS",
    "write",
    "targets",
    "check_targets",
    "export_json",
    "export_document",
    "table_csv",
    "create_table_sql",
    "ExportError",
    "PENCE",
    "DATE",
]
