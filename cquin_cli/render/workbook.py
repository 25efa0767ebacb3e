"""The shared craft of every cquin workbook: safe cells, house styles, print set-up, reproducible bytes.

Invariants (issue 4; DOMAIN.md §5 and §8):

* **Text is never a formula.** Every piece of scheme text goes through :func:`put_text`,
  which stores it as a string cell (a shared string in the file, never ``<f>``) whatever
  it starts with, and marks text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return with Excel's quote prefix, so that even editing the cell later does not
  turn it into a formula. Characters XML cannot hold are replaced, never an error.
* **Money is a number.** :func:`put_money` writes the exact :class:`~decimal.Decimal` with
  a £ format; :func:`put_percent` writes percentage points as a fraction (25% -> 0.25)
  with a % format. Nothing numeric is ever stored as text.
* **Same input, same bytes.** :func:`workbook_bytes` writes the document properties with
  a fixed timestamp (the scheme's commit date, else a fixed epoch) and rewrites the zip
  with sorted entries, fixed entry dates and fixed permissions.

openpyxl is imported here and in the other render modules only, never at CLI start-up.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cquin_cli.money import HUNDRED, to_penny
from cquin_cli.report.formula_guard import could_be_formula

# A fixed moment for files that are not in git: the start of the framework's first year.
FIXED_EPOCH = _dt.datetime(2009, 4, 1, 0, 0, 0)
# Zip entries need a date; 1980-01-01 is the earliest a zip can hold.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
COUNT_FORMAT = "0"
DATE_FORMAT = "d mmmm yyyy"

# XML 1.0 cannot hold these; openpyxl would raise IllegalCharacterError.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

FONT = "Arial"
BODY = Font(name=FONT, size=9)
BOLD = Font(name=FONT, size=9, bold=True)
TITLE = Font(name=FONT, size=14, bold=True)
SUBTITLE = Font(name=FONT, size=11, bold=True)
LABEL = Font(name=FONT, size=9, bold=True)
NOTE = Font(name=FONT, size=8, italic=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GOAL_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SIGN_HERE = Border(bottom=Side(style="thin", color="000000"))  # the line a signature or a date is written on
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
TOP_RIGHT = Alignment(vertical="top", horizontal="right")


def clean_text(value: object) -> str:
    """Text as a cell can hold it: XML-illegal control characters become U+FFFD."""
    return _ILLEGAL_XML.sub("\ufffd", "" if value is None else str(value))


def put_text(ws: Worksheet, row: int, column: int, value: object, *, font: Font = BODY, wrap: bool = True):
    """Scheme text as a string cell that can never be evaluated as a formula."""
    text = clean_text(value)
    cell = ws.cell(row=row, column=column)
    cell.value = text
    # openpyxl takes a leading "=" as a formula; force the string type whatever it starts with.
    cell.data_type = "s"
    if could_be_formula(text):
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    cell.font = font
    cell.alignment = WRAP if wrap else Alignment(vertical="top")
    return cell


def put_money(ws: Worksheet, row: int, column: int, amount: Decimal | None, *, font: Font = BODY):
    """An amount of money as an exact number with a £ format (blank when there is none)."""
    cell = ws.cell(row=row, column=column)
    if amount is not None:
        cell.value = to_penny(amount)
        cell.number_format = MONEY_FORMAT
    cell.font = font
    cell.alignment = TOP_RIGHT
    return cell


def percent_format(points: Decimal) -> str:
    """``0%``, ``0.0%`` or ``0.00%``: as many decimals as the percentage is written with."""
    exponent = points.normalize().as_tuple().exponent
    places = max(0, -int(exponent)) if isinstance(exponent, int) else 0
    return "0%" if places == 0 else "0." + "0" * places + "%"


def put_percent(ws: Worksheet, row: int, column: int, points: Decimal | None, *, font: Font = BODY):
    """Percentage points (25) as the fraction Excel expects (0.25) with a % format."""
    cell = ws.cell(row=row, column=column)
    if points is not None:
        cell.value = points / HUNDRED
        cell.number_format = percent_format(points)
    cell.font = font
    cell.alignment = TOP_RIGHT
    return cell


def put_number(
    ws: Worksheet, row: int, column: int, value: Decimal | int | None, *, font: Font = BODY, number_format: str = "General"
):
    """A measured value, a count or a month: a number, never text."""
    cell = ws.cell(row=row, column=column)
    if value is not None:
        cell.value = value
        cell.number_format = number_format
    cell.font = font
    cell.alignment = TOP_RIGHT
    return cell


def put_date(ws: Worksheet, row: int, column: int, value: _dt.date | None, *, font: Font = BODY):
    cell = ws.cell(row=row, column=column)
    if value is not None:
        cell.value = value
        cell.number_format = DATE_FORMAT
    cell.font = font
    cell.alignment = Alignment(vertical="top", horizontal="left")
    return cell


def header_row(ws: Worksheet, row: int, headers: Sequence[str], *, first_column: int = 1) -> None:
    """Bold, shaded, wrapped column headers; the row is as tall as its longest header (set widths first)."""
    for offset, header in enumerate(headers):
        cell = put_text(ws, row, first_column + offset, header, font=BOLD)
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = WRAP_CENTRE
    fit_row_heights(ws, row, row)


def style_row(
    ws: Worksheet, row: int, first: int, last: int, *, fill: PatternFill | None = None, bold: bool = False, border: bool = True
) -> None:
    for column in range(first, last + 1):
        cell = ws.cell(row=row, column=column)
        if fill is not None:
            cell.fill = fill
        if border:
            cell.border = GRID
        if bold:
            cell.font = BOLD


def set_widths(ws: Worksheet, widths: Iterable[float], *, first_column: int = 1) -> None:
    for offset, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(first_column + offset)].width = width


def title_block(ws: Worksheet, title: str, lines: Sequence[tuple[str, str]], *, span: int = 6, first_column: int = 1) -> int:
    """A title and label/value lines at the top of a sheet; returns the next free row.

    Set the column widths first: the label takes as many columns as it needs to be
    read, and each value is merged across the next ``span`` columns and wrapped, so
    that it never spills onto a second printed page across. ``first_column``: where the
    block starts (a sheet printed two pages across has one at the top of each page).
    """
    label_columns, width = 0, 0.0
    while width < 15 and label_columns < 3:
        width += ws.column_dimensions[get_column_letter(first_column + label_columns)].width or 8.43
        label_columns += 1
    label_last = first_column + label_columns - 1
    last = label_last + span
    put_text(ws, 1, first_column, title, font=TITLE)
    ws.merge_cells(start_row=1, start_column=first_column, end_row=1, end_column=last)
    title_width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first_column, last + 1))
    height = 20 * wrapped_lines(title, title_width, chars_per_unit=0.7) + 4
    ws.row_dimensions[1].height = max(height, ws.row_dimensions[1].height or 0)
    row = 2
    for label, value in lines:
        put_text(ws, row, first_column, label, font=LABEL, wrap=False)
        if label_columns > 1:
            ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=label_last)
        put_text(ws, row, label_last + 1, value)
        merge_wrapped(ws, row, label_last + 1, last)
        row += 1
    return row + 1


def print_setup(ws: Worksheet, *, header_rows: tuple[int, int] | None, fit_width_pages: int = 1, title: str = "") -> None:
    """Landscape A4, fit to width, header rows on every page, no gridlines (issue 4, item 4)."""
    ws.sheet_view.showGridLines = False
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = fit_width_pages
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = False
    if header_rows is not None:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    if title:
        ws.oddFooter.left.text = clean_text(title).replace("&", "&&")
        ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.right.size = 8


def chart_title(text: str):
    """A chart title in 10 pt bold (openpyxl's default is 18 pt, too big for a small chart)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun

    size = CharacterProperties(sz=1000, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=size), r=[RegularTextRun(rPr=size, t=clean_text(text))])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "cquin"
    wb.properties.lastModifiedBy = "cquin"
    # Recalculate on open: the workbook holds no formulas, but this keeps readers honest.
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    return wb


def workbook_bytes(wb: Workbook, moment: _dt.datetime | None = None) -> bytes:
    """The workbook as reproducible bytes: fixed document dates, sorted zip entries, fixed entry dates."""
    moment = (moment or FIXED_EPOCH).replace(tzinfo=None, microsecond=0)
    wb.properties.created = moment
    wb.properties.modified = moment
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # ExcelWriter directly: openpyxl's save_workbook stamps "modified" with the clock.
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        # "[Content_Types].xml" sorts first, where readers expect it.
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def fit_row_heights(ws: Worksheet, first_row: int, last_row: int, *, line_height: float = 11.5) -> None:
    """Row heights for wrapped text, estimated from column widths.

    Excel does not size rows to wrapped text when it opens a file, and merged cells are
    never sized by anyone; so cquin sets each height itself, the same on every run.
    """
    # The cells ``ws[row]`` would give, with the sheet's width found once: ``ws[row]``
    # scans every cell of the sheet for it on each call (a 337-scheme portfolio: 0.4 s).
    rows = ws.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=ws.max_column)
    for row, cells in enumerate(rows, start=first_row):
        lines = 1
        for cell in cells:
            if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            lines = max(lines, wrapped_lines(cell.value, ws.column_dimensions[cell.column_letter].width or 8.43))
        if lines > 1:
            ws.row_dimensions[row].height = round(lines * line_height + 3, 1)


def wrapped_lines(text: str, width: float, chars_per_unit: float = 1.25) -> int:
    """How many lines ``text`` takes in a column ``width`` units wide (9 pt Arial; words wrap whole)."""
    per_line = max(1, int(width * chars_per_unit) - 1)
    return sum(max(1, -(-len(paragraph) * 11 // (per_line * 10))) for paragraph in text.split("\n"))


def merge_wrapped(ws: Worksheet, row: int, first_column: int, last_column: int, *, line_height: float = 11.5) -> None:
    """Merge a row's cells for a long text and size the row to it (no reader sizes merged cells)."""
    ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=last_column)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first_column, last_column + 1))
    value = ws.cell(row=row, column=first_column).value
    lines = wrapped_lines(value if isinstance(value, str) else "", width)
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, round(lines * line_height + 3, 1))
