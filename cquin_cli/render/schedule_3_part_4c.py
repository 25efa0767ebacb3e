"""Schedule 3 Part 4C: the CQUIN indicators, beside the contract's other quality indicators (guidance ¶44, footnote 28).

One row per indicator, grouped under its goal, with the columns of DOMAIN.md §5: the
goal (number, name, description, quality domain, weighting, expected £) on the first
row of each goal, the indicator (number, name, weighting, expected £) and its
specification. After each goal's indicators a subtotal row adds up their weightings
and £; the total row adds up the goals and equals the expected value. Every figure is
taken from :func:`cquin_cli.compute.pricing.price`; the sums are checked against the
pot before anything is written.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break

from cquin_cli.compute.pricing import Price
from cquin_cli.load.scheme import Scheme
from cquin_cli.render import words
from cquin_cli.render.version import SchemeVersion
from cquin_cli.render.workbook import (
    BOLD,
    GOAL_FILL,
    GRID,
    TOTAL_FILL,
    fit_row_heights,
    header_row,
    print_setup,
    put_date,
    put_money,
    put_number,
    put_percent,
    put_text,
    set_widths,
    style_row,
    title_block,
)

SHEET = "Schedule 3 Part 4C"  # the acute contract's CQUIN indicators
# Footnote 17: in community, mental health, ambulance and specialised contracts (the contracts
# of guidance ¶45) "the exact position of the relevant text varies depending on the contract,
# however the relevant schedules will be Schedule 18 and Schedule 3, Part 4"; a quality
# improvement plan "will need to be reflected in Schedule 3, Part 4".
NON_ACUTE_SHEET = "Schedule 3 Part 4"
NON_ACUTE_SECTORS = frozenset({"community", "mental_health", "ambulance", "specialised"})


def sheet_name(scheme: Scheme) -> str:
    """Where the scheme's indicators sit in its contract: Part 4C of the acute contract, else Part 4 (footnote 17)."""
    return NON_ACUTE_SHEET if scheme.provider.sector in NON_ACUTE_SECTORS else SHEET


def sheet_title(scheme: Scheme) -> str:
    what = "quality improvement plan" if scheme.scheme_kind == "quality_improvement_plan" else "CQUIN indicators"
    return f"{sheet_name(scheme)}: {what}, {scheme.provider.name}, {scheme.financial_year}"


# (header, width): the columns of DOMAIN.md §5, in the order of the 2010/11 CQUIN template.
COLUMNS = (
    ("Goal number", 7),
    ("Goal name", 18),
    ("Goal description", 20),
    ("Quality domain", 12),
    ("Goal weighting", 9),
    ("Expected value of goal (£)", 13),
    ("Indicator number", 9),
    ("Indicator name", 20),
    ("Indicator weighting", 9),
    ("Expected value of indicator (£)", 13),
    ("Indicator description", 22),
    ("Numerator", 18),
    ("Denominator", 18),
    ("Rationale for inclusion", 24),
    ("Data source", 16),
    ("Frequency of data collection", 11),
    ("Organisation responsible for data collection", 16),
    ("Frequency of reporting to commissioner", 11),
    ("Baseline period", 10),
    ("Baseline value", 9),
    ("Final indicator period", 10),
    ("Final indicator value (payment threshold)", 11),
    ("Final indicator reporting date", 12),
    ("Milestones", 24),
    ("Partial achievement (rules)", 22),
)
HEADERS = tuple(h for h, _ in COLUMNS)
# The last column of each printed page across (see add_sheet): the summary of goals and
# indicators with their money and measures, then their specification.
PRINT_PARTS = ("Denominator", "Partial achievement (rules)")
SPECIFICATION = "Rationale for inclusion"  # the first column of the second page across
COL = {h: i + 1 for i, h in enumerate(HEADERS)}
LAST = len(COLUMNS)


class TotalsMismatch(AssertionError):
    """The priced parts do not add up to the pot: a bug in pricing, never shown as a contract."""


def title_lines(price: Price, version: SchemeVersion) -> list[tuple[str, str]]:
    scheme = price.scheme
    return [
        ("Provider", words.provider_line(scheme)),
        ("Commissioners", words.commissioners_line(scheme)),
        ("Financial year", scheme.financial_year),
        (
            "Scheme",
            f"{words.sentence(words.words(scheme.scheme_kind, words.SCHEME_KINDS))}; {words.words(scheme.commissioning_route, words.ROUTES)}",
        ),
        *(
            [("Quality improvement plan", scheme.quality_improvement_plan)]
            if scheme.scheme_kind == "quality_improvement_plan" and scheme.quality_improvement_plan.strip()
            else []
        ),
        ("Version", version.text),
    ]


def check_totals(price: Price) -> None:
    goals_total = sum((g.value for g in price.goals), Decimal("0.00"))
    if price.goals and goals_total != price.expected_value:
        raise TotalsMismatch(f"goal values add up to {goals_total}, not the expected value {price.expected_value}")
    for goal in price.goals:
        if goal.indicators and sum((i.value for i in goal.indicators), Decimal("0.00")) != goal.value:
            raise TotalsMismatch(f"goal {goal.number}'s indicators do not add up to its value")


def add_sheet(wb: Workbook, price: Price, version: SchemeVersion, source_name: str) -> None:
    check_totals(price)
    scheme = price.scheme
    ws = wb.create_sheet(sheet_name(scheme))
    title = sheet_title(scheme)
    set_widths(ws, (w for _, w in COLUMNS))
    # The title block stays left of the indicator columns, which repeat on every page across;
    # the second page across starts with its own, so that no page starts with blank rows.
    lines = title_lines(price, version)
    head = title_block(ws, title, lines, span=COL["Indicator number"] - 3)
    continued = f"{title} (continued): the indicators' specification"
    head = max(
        head, title_block(ws, continued, lines, span=COL["Data source"] + 3 - COL[SPECIFICATION], first_column=COL[SPECIFICATION])
    )
    header_row(ws, head, HEADERS)
    row = head + 1
    indicators_by_goal = {g.number: g for g in scheme.goals}
    for goal_value in price.goals:
        goal = indicators_by_goal.get(goal_value.number)
        first = row
        put_text(ws, row, COL["Goal number"], goal_value.number, font=BOLD)
        put_text(ws, row, COL["Goal name"], goal_value.name, font=BOLD)
        put_text(ws, row, COL["Goal description"], goal.description if goal else "")
        put_text(ws, row, COL["Quality domain"], words.domain_title(goal_value.domain))
        put_percent(ws, row, COL["Goal weighting"], goal_value.weighting)
        put_money(ws, row, COL["Expected value of goal (£)"], goal_value.value)
        specs = goal.indicators if goal else ()
        for indicator_value, indicator in zip(goal_value.indicators, specs):
            put_text(ws, row, COL["Indicator number"], indicator_value.number, font=BOLD)
            put_text(ws, row, COL["Indicator name"], indicator_value.name, font=BOLD)
            put_percent(ws, row, COL["Indicator weighting"], indicator_value.weighting)
            put_money(ws, row, COL["Expected value of indicator (£)"], indicator_value.value)
            put_text(ws, row, COL["Indicator description"], indicator.description)
            put_text(ws, row, COL["Numerator"], indicator.numerator)
            put_text(ws, row, COL["Denominator"], indicator.denominator)
            put_text(ws, row, COL["Rationale for inclusion"], indicator.rationale)
            put_text(ws, row, COL["Data source"], indicator.data_source)
            put_text(ws, row, COL["Frequency of data collection"], indicator.collection_frequency)
            put_text(ws, row, COL["Organisation responsible for data collection"], indicator.responsible_organisation)
            put_text(ws, row, COL["Frequency of reporting to commissioner"], indicator.reporting_frequency)
            if indicator.baseline is not None:
                put_text(ws, row, COL["Baseline period"], indicator.baseline.period)
                put_number(ws, row, COL["Baseline value"], indicator.baseline.value)
            if indicator.final is not None:
                put_text(ws, row, COL["Final indicator period"], indicator.final.period)
                put_number(ws, row, COL["Final indicator value (payment threshold)"], indicator.final.value)
            put_date(ws, row, COL["Final indicator reporting date"], indicator.final_reporting_date)
            put_text(ws, row, COL["Milestones"], words.milestones_text(indicator, scheme.financial_year))
            put_text(ws, row, COL["Partial achievement (rules)"], words.partial_achievement_text(indicator))
            style_row(ws, row, 1, LAST)
            row += 1
        if row == first:  # a goal with no indicators still shows its own row
            style_row(ws, row, 1, LAST)
            row += 1
        put_text(ws, row, COL["Indicator name"], f"Goal {goal_value.number} subtotal", font=BOLD)
        put_percent(ws, row, COL["Indicator weighting"], sum((i.weighting for i in goal_value.indicators), Decimal(0)), font=BOLD)
        put_money(
            ws,
            row,
            COL["Expected value of indicator (£)"],
            sum((i.value for i in goal_value.indicators), Decimal("0.00")),
            font=BOLD,
        )
        style_row(ws, row, 1, LAST, fill=GOAL_FILL)
        row += 1
    put_text(ws, row, COL["Goal name"], "Total: expected value of the scheme", font=BOLD)
    put_percent(ws, row, COL["Goal weighting"], sum((g.weighting for g in price.goals), Decimal(0)), font=BOLD)
    put_money(ws, row, COL["Expected value of goal (£)"], sum((g.value for g in price.goals), Decimal("0.00")), font=BOLD)
    put_percent(ws, row, COL["Indicator weighting"], sum((i.weighting for i in price.indicators), Decimal(0)), font=BOLD)
    put_money(
        ws, row, COL["Expected value of indicator (£)"], sum((i.value for i in price.indicators), Decimal("0.00")), font=BOLD
    )
    style_row(ws, row, 1, LAST, fill=TOTAL_FILL)
    for column in range(1, LAST + 1):
        ws.cell(row=row, column=column).border = GRID
    fit_row_heights(ws, head + 1, row)
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    # Twenty-five columns do not fit one A4 page legibly. The table prints two pages
    # across: the goals and indicators with their money and measures, then their
    # specification, with the indicator's number and name repeated at the left of the second.
    print_setup(ws, header_rows=(head, head), fit_width_pages=len(PRINT_PARTS), title=f"{title}. Source: {source_name}")
    ws.print_title_cols = f"{get_column_letter(COL['Indicator number'])}:{get_column_letter(COL['Indicator name'])}"
    for last_column in PRINT_PARTS[:-1]:
        ws.col_breaks.append(Break(id=COL[last_column]))


def total_cell(ws) -> tuple[int, int]:
    """Row and column of the total expected value (for tests and the portfolio's cross-check)."""
    for row in range(ws.max_row, 0, -1):
        if ws.cell(row=row, column=COL["Goal name"]).value == "Total: expected value of the scheme":
            return row, COL["Expected value of goal (£)"]
    raise LookupError("no total row")
