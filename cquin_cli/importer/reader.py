"""Finding a scheme's tables in a document's grids, by their labels.

Two layouts are read, in any mix, in Word tables and Excel sheets alike:

* **labelled rows** (the NHS local CQUIN template: one table per indicator): a row whose
  first cell is a label ("Numerator", "Baseline value") and whose next cells hold its
  value. A label seen again, or the number or name of a new indicator, starts the next
  indicator; goal labels ("Goal number", "Goal name") start a goal, and the indicators
  after them are its own. A label merged down two rows reads both rows' values.
* **column tables** (a goal table, or one row per indicator like Schedule 3 Part 4C): a
  row of at least three labels is a header; the rows under it are goals and indicators
  until a row has none of their numbers or names. A goal written once above its
  indicators (or in a cell merged down beside them) is the goal of each of them. Blank
  rows, subtotal and total rows are read past.

Small tables (the commissioners and their shares, the signatories, the reconciliation
checkpoints, a separate incentive scheme's goals) are column tables of their own, told
apart by their headers (``labels.json``: ``tables``). Labels for the scheme as a whole
("Financial year", "Provider", "Tariff income") may stand anywhere, in a table or, in
Word, in a paragraph ("Provider: Northfield Hospitals NHS Trust").

Nothing here converts a value: each is kept as the cells it came from
(:class:`Field`), so the builder can report every value it could not read where the
user will find it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cquin_cli.importer.documents import Cell, Grid, Row
from cquin_cli.importer.labels import Labels, Table, labels, normal
from cquin_cli.importer.values import month_of

HEADER_MINIMUM = 3


@dataclass(slots=True)
class Field:
    """A value as the document holds it: the cells after its label (or under its heading)."""

    label: str
    cells: list[Cell]
    where: str  # the first value cell, or the label's row when the value is empty

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.cells).strip()

    @property
    def cell(self) -> Cell:
        if len(self.cells) == 1:
            return self.cells[0]
        return Cell(self.text, self.where, self.cells[0].column if self.cells else 0, self.text)


@dataclass(slots=True)
class GoalFound:
    fields: dict[str, Field]
    where: str
    file: str
    indicators: list[IndicatorFound] = field(default_factory=list)
    made: bool = False  # made for an indicator the document gives no goal


@dataclass(slots=True)
class IndicatorFound:
    fields: dict[str, Field]
    where: str
    file: str
    heading: str = ""  # Word: the paragraph above its table
    heading_where: str = ""
    milestone_rows: list[tuple[int, str, Field]] = field(default_factory=list)  # (month, note, target)
    goal_fields: dict[str, Field] = field(default_factory=dict)  # a goal's labels inside the indicator's table
    goal: GoalFound | None = None


@dataclass(slots=True)
class Unread:
    where: str
    text: str
    why: str


@dataclass(slots=True)
class Found:
    """Everything read from the documents, with where each value came from."""

    facts: dict[str, Field] = field(default_factory=dict)
    conflicts: list[tuple[str, Field, Field]] = field(default_factory=list)
    goals: list[GoalFound] = field(default_factory=list)
    indicators: list[IndicatorFound] = field(default_factory=list)
    parties: list[dict[str, Field]] = field(default_factory=list)
    signatories: list[dict[str, Field]] = field(default_factory=list)
    checkpoints: list[dict[str, Field]] = field(default_factory=list)
    incentive_goals: list[dict[str, Field]] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    headings: list[Unread] = field(default_factory=list)

    def fact(self, name: str, value: Field) -> None:
        held = self.facts.get(name)
        if held is None:
            self.facts[name] = value
        elif normal(held.text) != normal(value.text) and value.text:
            self.conflicts.append((name, held, value))

    @property
    def anything(self) -> bool:
        return bool(self.goals or self.indicators)


@dataclass(slots=True)
class _Columns:
    """A column table's header: which column holds which field."""

    kind: str  # "scheme" or a small table's kind
    columns: list[tuple[int, str, str]]  # (column, group "goal"/"indicator"/kind, field), by column
    heading: Row
    table: Table | None = None

    def field_of(self, column: int) -> tuple[str, str] | None:
        best = None
        for at, group, name in self.columns:
            if at <= column:
                best = (group, name) if name else None
        return best


def _a_date(cell: Cell) -> bool:
    from cquin_cli.importer.values import Unreadable, date

    try:
        date(cell)
    except Unreadable:
        return False
    return True


def _numeric(f: Field) -> bool:
    value = f.cells[0].value if len(f.cells) == 1 else f.text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return str(value).strip().isdigit()


def _up_to_repeat(row: Row) -> Row:
    """The row up to a cell that repeats its first: its label again, or its heading "(continued)".

    A sheet printed two pages across (cquin's Schedule 3 Part 4C) starts each page with the
    same title block, so a row holds "Provider | RNF ... | Provider | RNF ...": the second
    pair says nothing new, and read as part of the first value it would double it.
    """
    first = normal(row.cells[0].text)
    for k, cell in enumerate(row.cells[1:], start=1):
        text = normal(cell.text)
        if first and (text == first or text.startswith(first + " continued")):
            return Row(row.cells[:k], row.where)
    return row


def _with_others(matched: list[tuple[int, str, str]], row: Row) -> list[tuple[int, str, str]]:
    """The matched columns, and every other heading as a column of no field (its cells are not ours)."""
    taken = {column for column, _, _ in matched}
    return sorted(matched + [(c.column, "", "") for c in row.cells if c.column not in taken])


class _GridReader:
    def __init__(self, found: Found, grid: Grid, words: Labels):
        self.found = found
        self.grid = grid
        self.words = words
        self.goal: GoalFound | None = None
        self.indicator: IndicatorFound | None = None
        self.last_started = ""  # "goal" or "indicator": where a label both could take goes
        self.previous_label: tuple[str, Field] | None = None
        self.incentive_here = False
        self.heading_used = False

    # -- header detection -------------------------------------------------------

    def _scheme_header(self, row: Row) -> _Columns | None:
        if len(row.cells) < HEADER_MINIMUM:
            return None
        matched: list[tuple[int, str, str]] = []
        either: list[tuple[int, str]] = []
        for cell in row.cells:
            name = self.words.indicator.match(cell.text)
            if name is not None:
                matched.append((cell.column, "indicator", name))
                continue
            name = self.words.goal.match(cell.text)
            if name is not None:
                matched.append((cell.column, "goal", name))
                continue
            name = self.words.either.match(cell.text)
            if name is not None:
                either.append((cell.column, name))
        if len(matched) + len(either) < HEADER_MINIMUM or (len(matched) + len(either)) * 10 < len(row.cells) * 6:
            return None
        if not matched:
            return None
        has_indicator = any(g == "indicator" and n in ("number", "name") for _, g, n in matched)
        for column, name in either:
            matched.append((column, "indicator" if has_indicator else "goal", name))
        return _Columns("scheme", _with_others(matched, row), row)

    def _small_header(self, row: Row) -> _Columns | None:
        for table in self.words.tables:
            if table.only_after == "incentive_name" and not self.incentive_here:
                continue
            matched = []
            for cell in row.cells:
                name = table.fields.match(cell.text)
                if name is not None:
                    matched.append((cell.column, table.kind, name))
            names = {n for _, _, n in matched}
            if not all(n in names for n in table.needs):
                continue
            if len(names) < min(2, table.size):
                continue
            return _Columns(table.kind, _with_others(matched, row), row, table)
        return None

    def header(self, row: Row) -> _Columns | None:
        if self.incentive_here:
            small = self._small_header(row)
            if small is not None:
                return small
        return self._scheme_header(row) or self._small_header(row)

    # -- column tables ---------------------------------------------------------

    def _row_fields(self, columns: _Columns, row: Row) -> dict[tuple[str, str], Field]:
        out: dict[tuple[str, str], Field] = {}
        for cell in row.cells:
            place = columns.field_of(cell.column)
            if place is None:
                continue
            held = out.get(place)
            if held is None:
                heading = next((c.text for c in columns.heading.cells if columns.field_of(c.column) == place), place[1])
                out[place] = Field(heading, [cell], cell.where)
            else:
                held.cells.append(cell)
        return out

    def column_row(self, columns: _Columns, row: Row) -> bool:
        """Read one row under a header; False when the row is not the table's (the table has ended)."""
        first = row.cells[0].text
        if self.words.derived(first):
            return True
        fields = self._row_fields(columns, row)
        if columns.kind != "scheme":
            if len(row.cells) == 1 and len(columns.heading.cells) > 1:
                return False  # a heading after the table
            table = columns.table
            assert table is not None
            if not all((table.kind, n) in fields for n in table.needs):
                return False
            if not all(_numeric(fields[(table.kind, n)]) for n in table.numbers if (table.kind, n) in fields):
                return False
            if table.ignore:
                return True
            record = {name: f for (_, name), f in fields.items()}
            getattr(self.found, table.kind).append(record)
            return True
        if self._a_label(first):
            return False  # "Provider", "Numerator": the labelled rows after the table
        keys = [("goal", "number"), ("goal", "name"), ("indicator", "number"), ("indicator", "name")]
        fresh = {k: f for k, f in fields.items() if not all(c.merged_from_above for c in f.cells)}
        if not any(k in fields for k in keys):
            return False
        goal_fields = {n: f for (g, n), f in fresh.items() if g == "goal"}
        if goal_fields and ("number" in goal_fields or "name" in goal_fields):
            self._start_goal(goal_fields, row.where)
        elif goal_fields and self.goal is not None:
            for name, value in goal_fields.items():
                self.goal.fields.setdefault(name, value)
        indicator_fields = {n: f for (g, n), f in fields.items() if g == "indicator"}
        if indicator_fields and ("number" in indicator_fields or "name" in indicator_fields):
            self._start_indicator(row.where)
            assert self.indicator is not None
            self.indicator.fields.update(indicator_fields)
        return True

    # -- labelled rows ---------------------------------------------------------

    def _a_label(self, text: str) -> bool:
        w = self.words
        return any(g.match(text) is not None for g in (w.facts, w.goal, w.indicator))

    def _start_goal(self, fields: dict[str, Field], where: str) -> None:
        self.goal = GoalFound(dict(fields), where, self.grid.file)
        self.found.goals.append(self.goal)
        self.indicator = None
        self.last_started = "goal"

    def _start_indicator(self, where: str) -> None:
        self.indicator = IndicatorFound({}, where, self.grid.file, goal=self.goal)
        if self.grid.heading and not self.heading_used:  # the heading above a table titles its first indicator
            self.heading_used = True
            self.indicator.heading = self.grid.heading
            self.indicator.heading_where = f"{self.grid.file} the heading above {self.grid.name}"
        self.found.indicators.append(self.indicator)
        if self.goal is not None:
            self.goal.indicators.append(self.indicator)
        self.last_started = "indicator"

    def _value(self, label: Cell, row: Row) -> Field:
        cells = [c for c in row.cells[1:]]
        return Field(label.text, cells, cells[0].where if cells else label.where)

    def labelled_row(self, row: Row, first_of_grid: bool) -> None:
        row = _up_to_repeat(row)
        label = row.cells[0]
        if self.grid.paragraphs:
            self._paragraph(label)
            return
        if self.words.derived(label.text):
            self._derived_line(row)
            return
        if len(row.cells) == 1 and ":" in label.text and not self._a_label(label.text):
            # "Numerator: patients who..." in one cell: the label and its value
            head, _, rest = label.text.partition(":")
            if rest.strip() and self._a_label(head):
                text = rest.strip()
                row = Row((Cell(head, label.where, label.column, head), Cell(text, label.where, label.column, text)), row.where)
                label = row.cells[0]
        value = self._value(label, row)
        if self.previous_label is not None and label.merged_from_above:
            self.previous_label[1].cells.extend(value.cells)  # a label merged down: its rows hold one value
            return
        name = self.words.indicator.match(label.text)
        if name is not None:
            self._indicator_label(name, value, first_of_grid)
            return
        name = self.words.goal.match(label.text)
        if (
            name is not None
            and name not in ("number", "name")
            and self.indicator is not None
            and self.last_started == "indicator"
        ):
            # "Quality domain" or "Goal weighting" inside an indicator's table: its goal's, not a new goal
            self.indicator.goal_fields.setdefault(name, value)
            self.previous_label = ("goal:" + name, value)
            return
        if name is not None:
            if self.goal is None or name in self.goal.fields or self.last_started == "indicator":
                self._start_goal({}, row.where)
            assert self.goal is not None
            self.goal.fields[name] = value
            self.previous_label = ("goal:" + name, value)
            return
        name = self.words.either.match(label.text)
        if name is not None and (self.goal is not None or self.indicator is not None):
            if self.last_started == "goal" and self.goal is not None and name not in self.goal.fields:
                self.goal.fields[name] = value
            else:
                self._indicator_label(name, value, first_of_grid)
            return
        name = self.words.facts.match(label.text)
        if name is not None:
            if name == "incentive_name":
                self.incentive_here = True
            self.found.fact(name, value)
            self.previous_label = ("fact:" + name, value)
            return
        if self.indicator is not None:
            month = month_of(label.text, None)
            if month is not None:
                self.indicator.milestone_rows.append((month[0], month[1], value))
                return
            if normal(label.text).startswith("milestone") and value.cells:
                if any(_a_date(c) for c in value.cells):
                    # "Milestone 1 | 30/09/2016 | 60%": the month is the date's (the builder reads it)
                    self.indicator.milestone_rows.append((0, "", value))
                else:
                    self.found.headings.append(Unread(label.where, label.text, "the headings of a table of milestones"))
                return
        if len(row.cells) == 1:
            self.found.headings.append(Unread(label.where, label.text, "a heading or a note, with no value beside it"))
        else:
            self.found.unread.append(Unread(label.where, label.text, "not a label cquin import knows; its row was not read"))

    def _indicator_label(self, name: str, value: Field, first_of_grid: bool) -> None:
        current = self.indicator
        starts = (
            current is None
            or name in current.fields
            or (name in ("number", "name") and ("number" in current.fields or "name" in current.fields) and first_of_grid)
            or (first_of_grid and name in ("number", "name"))
            or self.last_started == "goal"
        )
        if starts:
            self._start_indicator(value.where)
        assert self.indicator is not None
        self.indicator.fields[name] = value
        self.previous_label = ("indicator:" + name, value)

    def _derived_line(self, row: Row) -> None:
        text = " ".join(c.text for c in row.cells)
        marker = "agreed by:"
        at = text.casefold().find(marker)
        if at >= 0:
            agreed = text[at + len(marker) :].strip().rstrip(".")
            cell = row.cells[0]
            self.found.fact(
                "payment_arrangement_agreed_by", Field("Agreed by", [Cell(agreed, cell.where, 1, agreed)], cell.where)
            )

    def _paragraph(self, cell: Cell) -> None:
        for separator in (":", "\t"):
            if separator in cell.text:
                label, _, rest = cell.text.partition(separator)
                name = self.words.facts.match(label)
                if name is not None and rest.strip():
                    self.found.fact(name, Field(label, [Cell(rest.strip(), cell.where, 1, rest.strip())], cell.where))
                return

    def read(self) -> None:
        columns: _Columns | None = None
        first_of_grid = True
        for row in self.grid.rows:
            if row.blank:
                continue
            if not self.grid.paragraphs:
                heading = self.header(row)
                if heading is not None:
                    columns = heading
                    continue
            if columns is not None:
                if self.column_row(columns, row):
                    continue
                columns = None
            self.labelled_row(row, first_of_grid)
            first_of_grid = False


def read_grids(grids: list[Grid], found: Found | None = None) -> Found:
    """Everything the grids hold that the label dictionary names."""
    found = found or Found()
    words = labels()
    carried: GoalFound | None = None
    for grid in grids:
        if grid.sheet_title and words.skipped_sheet(grid.sheet_title):
            found.headings.append(
                Unread(grid.name, grid.sheet_title, "a sheet of achievement figures or instructions, read past whole")
            )
            continue
        reader = _GridReader(found, grid, words)
        # The one goal of a goal table owns the indicator tables after it (the 2010/11
        # template: each goal's table, then its indicators'). After a table of several
        # goals, an indicator finds its goal by its number (builder).
        reader.goal = carried
        if carried is not None and not carried.indicators:
            reader.last_started = "goal"
        before = len(found.goals)
        reader.read()
        started = len(found.goals) - before
        if started == 1:
            carried = found.goals[-1]
        elif started > 1 or grid.file != (carried.file if carried else grid.file):
            carried = None
    return found
