"""Word and Excel documents as grids of cells that say where they are.

A Word document (``.docx``, read with python-docx) is its tables, in document order,
and its paragraphs; an Excel workbook (``.xlsx``, openpyxl) is its sheets. Either way
each becomes a :class:`Grid`: rows of :class:`Cell`, each cell knowing its place in
the user's words ("table 3 row 5", "'Sheet 1'!D12") so that every value the importer
could not read is reported where the user can find it.

Merged cells are read as the document shows them: a cell merged across columns is one
cell of its row; a cell merged down several rows is read again in each row it covers
(``merged_from_above``), so a goal written once beside its three indicators belongs
to all three. Nothing here interprets a cell; :mod:`cquin_cli.importer.reader` does.

A file that is not a document of its kind (not a zip, a damaged part, an encrypted
workbook, an old binary ``.doc``/``.xls``) raises :class:`NotADocument` with one
sentence for the user.
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from dataclasses import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

WORD = ".docx"
EXCEL = (".xlsx", ".xlsm")
# The biggest document read: a scheme is a few hundred kilobytes; this bounds a zip bomb's cost.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_CELLS = 500_000


class NotADocument(Exception):
    """The file cannot be read as a Word or Excel document: exit 2 with this message."""


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # what the cell shows, stripped
    where: str  # "scheme.docx table 3 row 5 column 2" or "[book.xlsx]'Sheet 1'!D12" (Excel's own form)
    column: int  # 1-based column of the grid
    value: Any = None  # the typed value (Excel: int, float, datetime, str; Word: the text)
    number_format: str = ""  # Excel's number format ("0%", "£#,##0.00"), else ""
    merged_from_above: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]  # non-empty cells only, left to right, one per merged area
    where: str  # "table 3 row 5" or "'Sheet 1'!5"

    @property
    def blank(self) -> bool:
        return not self.cells


@dataclass(frozen=True, slots=True)
class Grid:
    """One Word table, one run of Word paragraphs, or one Excel sheet."""

    file: str
    name: str  # "table 3", "the text between tables", "'Sheet 1'"
    rows: tuple[Row, ...]
    heading: str = ""  # Word: the paragraph just above the table (an indicator's title)
    paragraphs: bool = False  # a run of paragraphs ("Provider: ..."), not a table
    sheet_title: str = ""  # Excel: the sheet's name


def file_kind(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    if suffix == WORD:
        return "word"
    if suffix in EXCEL:
        return "excel"
    if suffix in (".doc", ".xls"):
        raise NotADocument(
            f"{path} is an old binary {'Word' if suffix == '.doc' else 'Excel'} file; "
            f"open it and save it as {'.docx' if suffix == '.doc' else '.xlsx'}, then import that"
        )
    raise NotADocument(f"{path} is not a Word (.docx) or Excel (.xlsx) document; cquin import reads those two")


def read_document(path: str) -> list[Grid]:
    """The grids of a ``.docx`` or ``.xlsx`` file; raises NotADocument when it cannot be read."""
    kind = file_kind(path)
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise NotADocument(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not os.path.isfile(path):
        raise NotADocument(f"{path} is not a file")
    if size > MAX_FILE_BYTES:
        raise NotADocument(f"{path} is {size // (1024 * 1024)} MB; cquin import reads documents up to 50 MB")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise NotADocument(f"{path} is a damaged document ({exc})") from None
        if unpacked > MAX_UNPACKED_BYTES:
            raise NotADocument(
                f"{path} unpacks to {unpacked // (1024 * 1024)} MB; cquin import reads documents up to 200 MB unpacked"
            )
    else:
        raise NotADocument(
            f"{path} is not a {'Word' if kind == 'word' else 'Excel'} document "
            "(its contents are not an Office Open XML package: damaged, encrypted, or another kind of file renamed)"
        )
    try:
        return _word(path) if kind == "word" else _excel(path)
    except NotADocument:
        raise
    except Exception as exc:  # any library's complaint about a damaged part: one sentence, no traceback
        what = "Word" if kind == "word" else "Excel"
        raise NotADocument(f"{path} cannot be read as a {what} document ({type(exc).__name__}: {exc})") from None


# ---------------------------------------------------------------------------
# Word


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs, one a line, those inside a content control (a template's fill-in box) included."""
    from docx.text.paragraph import Paragraph

    lines = []
    for p in cell._tc.xpath("./w:p | ./w:sdt/w:sdtContent/w:p"):
        text = Paragraph(p, cell).text.strip()
        if text:
            lines.append(text)
    return "\n".join(lines)


def _word(path: str) -> list[Grid]:
    import docx
    from docx.table import Table

    document = docx.Document(path)
    grids: list[Grid] = []
    loose: list[Row] = []
    last_paragraph = ""
    table_number = 0
    cells_read = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_number += 1
            name = f"table {table_number}"
            place = f"{path} {name}"
            rows: list[Row] = []
            above: list[Any] = []
            for r, row in enumerate(block.rows, start=1):
                tcs = [c for c in row.cells]
                cells: list[Cell] = []
                seen: list[Any] = []
                for column, cell in enumerate(tcs, start=1):
                    tc = cell._tc
                    if any(tc is s for s in seen):  # merged across: one cell
                        continue
                    seen.append(tc)
                    cells_read += 1
                    text = _cell_text(cell)
                    if text:
                        from_above = any(tc is a for a in above)
                        cells.append(Cell(text, f"{place} row {r} column {column}", column, text, "", from_above))
                above = seen
                rows.append(Row(tuple(cells), f"{place} row {r}"))
                if cells_read > MAX_CELLS:
                    raise NotADocument(f"{path} has more than {MAX_CELLS} table cells; that is no CQUIN scheme")
            grids.append(Grid(path, name, tuple(rows), heading=last_paragraph))
            last_paragraph = ""
        else:
            text = block.text.strip()
            if text:
                last_paragraph = text
                n = len(loose) + 1
                loose.append(Row((Cell(text, f"{path} paragraph {n}", 1, text),), f"{path} paragraph {n}"))
    if loose:
        grids.append(Grid(path, "the text outside tables", tuple(loose), paragraphs=True))
    return grids


# ---------------------------------------------------------------------------
# Excel


def _sheet_ref(title: str) -> str:
    plain = title.replace("_", "").isalnum()
    return title if plain else "'" + title.replace("'", "''") + "'"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _excel(path: str) -> list[Grid]:
    import warnings

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "unknown extension", "data validation": not the user's concern here
        book = load_workbook(path, data_only=True)
    grids: list[Grid] = []
    cells_read = 0
    for ws in book.worksheets:
        ref = f"[{os.path.basename(path)}]" + _sheet_ref(ws.title)
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for area in ws.merged_cells.ranges:
            for r in range(area.min_row, area.max_row + 1):
                for c in range(area.min_col, area.max_col + 1):
                    merged[(r, c)] = (area.min_row, area.min_col)
        # Only the cells that hold something: a sheet whose dimension runs to row 1,048,576
        # because of one stray format costs nothing (openpyxl keeps its cells in ``_cells``).
        filled: dict[int, dict[int, Any]] = {}
        for (r, c), source in ws._cells.items():
            if source.value is None:
                continue
            cells_read += 1
            if cells_read > MAX_CELLS:
                raise NotADocument(f"{path} has more than {MAX_CELLS} cells; that is no CQUIN scheme")
            filled.setdefault(r, {})[c] = source
        for (r, c), origin in merged.items():  # a cell merged down reads its area's value in each row
            if origin[0] != r and origin[1] == c and origin[0] in filled and c in filled[origin[0]]:
                filled.setdefault(r, {})[c] = filled[origin[0]][c]
        rows: list[Row] = []
        for r in sorted(filled):  # blank rows say nothing: they are left out
            cells: list[Cell] = []
            for c in sorted(filled.get(r, {})):
                origin = merged.get((r, c), (r, c))
                if origin[1] != c:  # merged across: the leftmost cell of the area speaks for it
                    continue
                source = filled[r][c]
                value = source.value
                if isinstance(value, str) and value.startswith("=") and source.data_type == "f":
                    value = None  # a formula whose value the file does not hold
                text = _shown(value)
                if text:
                    cell = Cell(
                        text, f"{ref}!{get_column_letter(c)}{r}", c, value, str(source.number_format or ""), origin[0] != r
                    )
                    cells.append(cell)
            rows.append(Row(tuple(cells), f"{ref}!{r}:{r}"))
        grids.append(Grid(path, ref, tuple(rows), sheet_title=ws.title))
    return grids
