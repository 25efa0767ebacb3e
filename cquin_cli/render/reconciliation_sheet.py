"""The Reconciliation sheet (``cquin render --month N``): the figures of ``cquin reconcile``, and a chart per indicator.

Every figure is read from the :class:`~cquin_cli.compute.reconciliation.Reconciliation`
that :func:`~cquin_cli.compute.reconciliation.reconcile` returns, the same object the
``cquin reconcile`` reporters print, so the sheet and the command cannot disagree.
Nothing is recomputed here.

Below the figures, each indicator measured as a value has a small table, month by
month, of its measured values up to the checkpoint, its in-year milestone targets and
its final target, and beside it a native Excel line chart of that table. A milestone
indicator (met / not met) has no values to draw; its table says met or not met.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break

from cquin_cli.compute.pricing import Price
from cquin_cli.compute.reconciliation import (
    CARRIED_ON_ACCOUNT,
    MISSING_AT_YEAR_END,
    PAID_IN_FULL,
    Reconciliation,
    fraction_decimal,
)
from cquin_cli.load.achievement import Achievement
from cquin_cli.money import ZERO
from cquin_cli.render import words
from cquin_cli.render.schedule_3_part_4c import title_lines
from cquin_cli.render.version import SchemeVersion
from cquin_cli.render.workbook import (
    BOLD,
    SUBTITLE,
    TOTAL_FILL,
    chart_title,
    fit_row_heights,
    header_row,
    merge_wrapped,
    print_setup,
    put_money,
    put_number,
    put_percent,
    put_text,
    set_widths,
    style_row,
    title_block,
)

SHEET = "Reconciliation"

INDICATOR_HEADERS = (
    "Goal",
    "Indicator",
    "Indicator name",
    "Weighting",
    "Rule applied at this checkpoint",
    "Target",
    "Floor",
    "Measured",
    "Status",
    "Achievement",
    "Earned to date (£)",
)
CHART_HEADERS = ("Month", "Calendar month", "Measured", "Milestone target", "Final target")
STATUS_WORDS = {
    "assessed": "assessed",
    CARRIED_ON_ACCOUNT: "carried on account",
    MISSING_AT_YEAR_END: "no measurement: counts 0",
    PAID_IN_FULL: "paid in full (CQUIN suspended)",
}
CHART_ROWS = 16  # rows of sheet an indicator's table and chart take


def _fraction_points(value) -> Decimal:
    """An exact fraction as percentage points for a % cell (display; the arithmetic used the exact value)."""
    return fraction_decimal(value) * 100


def _fraction_cell(ws, row: int, column: int, value, *, font=None):
    cell = put_percent(ws, row, column, _fraction_points(value), **({"font": font} if font else {}))
    cell.number_format = "0.00%"
    return cell


def add_sheet(
    wb: Workbook, price: Price, reconciliation: Reconciliation, achievement: Achievement, version: SchemeVersion, source_name: str
) -> None:
    r = reconciliation
    scheme = r.scheme
    ws = wb.create_sheet(SHEET)
    set_widths(ws, (9, 10, 24, 11, 36, 10, 10, 10, 16, 12, 16))
    month_name = words.calendar_month(scheme.financial_year, r.month)
    title = (
        f"CQUIN reconciliation at month {r.month}"
        + (f" ({month_name})" if month_name else "")
        + f", {scheme.provider.name}, {scheme.financial_year}"
    )
    lines = title_lines(price, version)
    lines.append(("Achievement data", r.achievement_file or "none recorded"))
    row = title_block(ws, title, lines, span=10)

    put_text(ws, row, 1, "1. The checkpoint", font=SUBTITLE, wrap=False)
    row += 1
    for label, kind, value in (
        ("Checkpoint month", "number", r.month),
        (f"Contract value base used ({r.base_source})", "money", r.base),
        ("Expected value at that base", "money", r.pot),
        (
            "On-account share" if not r.payment_mode.in_advance else f"Share {r.payment_mode.heading.lower()}",
            "percent",
            r.on_account_share,
        ),
    ):
        put_text(ws, row, 1, label, font=BOLD, wrap=False)
        if kind == "money":
            put_money(ws, row, 5, Decimal(value))
        elif kind == "percent":
            put_percent(ws, row, 5, Decimal(value))
        else:
            put_number(ws, row, 5, value, number_format="0")
        row += 1
    row += 1

    put_text(ws, row, 1, "2. Achievement by indicator", font=SUBTITLE, wrap=False)
    row += 1
    header_row(ws, row, INDICATOR_HEADERS)
    fit_row_heights(ws, row, row)
    row += 1
    first = row
    for line in r.indicators:
        put_text(ws, row, 1, line.goal_number)
        put_text(ws, row, 2, line.number, font=BOLD)
        put_text(ws, row, 3, line.name)
        put_percent(ws, row, 4, line.weighting)
        rule = line.rule_applied + (f". Milestone: {line.milestone}" if line.milestone else "")
        put_text(ws, row, 5, rule)
        put_number(ws, row, 6, line.target)
        put_number(ws, row, 7, line.floor)
        if line.met is not None:
            put_text(ws, row, 8, "met" if line.met else "not met")
        else:
            put_number(ws, row, 8, line.measured)
        put_text(ws, row, 9, STATUS_WORDS.get(line.status, line.status))
        _fraction_cell(ws, row, 10, line.exact_fraction)
        put_money(ws, row, 11, line.earned)
        style_row(ws, row, 1, 11)
        row += 1
    put_text(ws, row, 3, "Total (weighted achievement)", font=BOLD)
    put_percent(ws, row, 4, sum((i.weighting for i in r.indicators), Decimal(0)), font=BOLD)
    _fraction_cell(ws, row, 10, r.exact_weighted_achievement, font=BOLD)
    put_money(ws, row, 11, sum((i.earned for i in r.indicators), ZERO), font=BOLD)
    style_row(ws, row, 1, 11, fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    row += 2

    put_text(ws, row, 1, "3. Earned, paid and the adjustment (guidance ¶66)", font=SUBTITLE, wrap=False)
    row += 1
    summary = [
        (f"Earned to date E({r.month}) = expected value × weighted achievement × {r.month}/12", r.earned, False),
        (f"{r.payment_mode.paid_label}, instalments for months 1 to {r.month}", r.paid_on_account, False),
    ]
    summary += [(f"Adjustment recorded at month {a.month}", a.amount, False) for a in r.earlier_adjustments]
    summary += [
        (f"Paid to date P({r.month})", r.paid, False),
        (
            f"Adjustment A({r.month}) = the lesser of 0 and E({r.month}) − P({r.month})"
            if r.payment_mode.repayment_only
            else f"Adjustment A({r.month}) = E({r.month}) − P({r.month})",
            r.adjustment,
            True,
        ),
    ]
    for label, amount, bold in summary:
        put_text(ws, row, 1, label, font=BOLD, wrap=False)
        put_money(ws, row, 5, amount, font=BOLD)
        if bold:
            style_row(ws, row, 1, 5, fill=TOTAL_FILL, border=False)
        row += 1
    put_text(ws, row, 1, r.who_pays, font=BOLD, wrap=False)
    row += 2

    put_text(ws, row, 1, "4. The adjustment by commissioner share", font=SUBTITLE, wrap=False)
    row += 1
    header_row(ws, row, ("Code", "Role", "Commissioner", "Share", "Who pays whom", "Adjustment (£)"), first_column=1)
    row += 1
    first = row
    for c in r.commissioners:
        put_text(ws, row, 1, c.code)
        put_text(ws, row, 2, "coordinating" if c.coordinating else "associate")
        put_text(ws, row, 3, c.name)
        put_percent(ws, row, 4, c.share)
        if c.adjustment > 0:
            who = f"{c.name} pays the provider"
        elif c.adjustment < 0:
            who = f"The provider repays {c.name}"
        else:
            who = "nothing to pay"
        put_text(ws, row, 5, who)
        put_money(ws, row, 6, c.adjustment)
        style_row(ws, row, 1, 6)
        row += 1
    put_text(ws, row, 3, "Total", font=BOLD)
    put_percent(ws, row, 4, sum((c.share for c in r.commissioners), Decimal(0)), font=BOLD)
    put_money(ws, row, 6, sum((c.adjustment for c in r.commissioners), ZERO), font=BOLD)
    style_row(ws, row, 1, 6, fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    row += 2
    if r.held_back:
        row = _held_back(ws, row, r)
    if r.separate_incentive is not None:
        row = _separate_incentive(ws, row, r)

    if r.notes:
        put_text(ws, row, 1, "Notes", font=SUBTITLE, wrap=False)
        row += 1
        for note in r.notes:
            put_text(ws, row, 1, note)
            merge_wrapped(ws, row, 1, 11)
            row += 1
        row += 1

    # The charts start on a new printed page, two indicators a page, so no chart is cut in two.
    ws.row_breaks.append(Break(id=row - 1))
    put_text(ws, row, 1, "5. Measured values against the milestones and the final target", font=SUBTITLE, wrap=False)
    row += 2
    specs = {i.number: i for i in scheme.indicators}
    drawn = 0
    for line in r.indicators:
        indicator = specs.get(line.number)
        if indicator is None:
            continue
        if drawn and drawn % 2 == 0:
            ws.row_breaks.append(Break(id=row - 1))
        row = _indicator_chart(ws, row, r, achievement, indicator)
        drawn += 1
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows=(1, 1), title=f"{title}. Source: {source_name}")


def _held_back(ws, row: int, r: Reconciliation) -> int:
    """4b: the parts held back at B(m), apart from A(m): each one's outcome as recorded and what is due."""
    put_text(ws, row, 1, f"4b. Parts held back, apart from A({r.month})", font=SUBTITLE, wrap=False)
    row += 1
    header_row(
        ws,
        row,
        ("Part held back", "Rate", f"Value at B({r.month}) (£)", "Outcome", "", "Due to the provider (£)"),
        first_column=1,
    )
    row += 1
    first = row
    for v in r.held_back:
        put_text(ws, row, 1, v.label)
        put_percent(ws, row, 2, v.part.rate)
        put_money(ws, row, 3, v.value)
        put_text(ws, row, 4, v.status)
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
        put_money(ws, row, 6, v.due)
        style_row(ws, row, 1, 6)
        row += 1
    put_text(ws, row, 1, "Total", font=BOLD)
    put_money(ws, row, 3, sum((v.value for v in r.held_back), ZERO), font=BOLD)
    put_money(ws, row, 6, sum((v.due for v in r.held_back), ZERO), font=BOLD)
    style_row(ws, row, 1, 6, fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    row += 1
    for c in r.commissioners:
        due = sum((v.due_to(c.code) for v in r.held_back), ZERO)
        put_text(ws, row, 1, f"Due from {c.name} ({c.code})")
        put_money(ws, row, 6, due)
        style_row(ws, row, 1, 6)
        row += 1
    return row + 1


def _separate_incentive(ws, row: int, r: Reconciliation) -> int:
    """4c: the separate incentive scheme (Schedule 18 Part 3, ¶41), apart from A(m): each goal's outcome and what is due."""
    v = r.separate_incentive
    assert v is not None
    put_text(ws, row, 1, f"4c. Separate incentive scheme, apart from A({r.month}): {v.name}", font=SUBTITLE, wrap=False)
    row += 1
    header_row(ws, row, ("Goal", "Goal name", "Value (£)", "Outcome", "", "Due to the provider (£)"), first_column=1)
    row += 1
    first = row
    for g in v.goals:
        put_text(ws, row, 1, g.number)
        put_text(ws, row, 2, g.name)
        if g.value is not None:
            put_money(ws, row, 3, g.value)
        else:
            put_text(ws, row, 3, "no value of its own")
        put_text(ws, row, 4, g.status)
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
        put_money(ws, row, 6, g.due)
        style_row(ws, row, 1, 6)
        row += 1
    put_text(ws, row, 1, "Total", font=BOLD)
    put_money(ws, row, 3, v.value, font=BOLD)
    put_money(ws, row, 6, v.due, font=BOLD)
    style_row(ws, row, 1, 6, fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    return row + 2


def _indicator_chart(ws, row: int, r: Reconciliation, achievement: Achievement, indicator) -> int:
    """A month-by-month table for one indicator and, when it is measured as a value, its line chart."""
    scheme = r.scheme
    put_text(ws, row, 1, f"{indicator.number} {indicator.name}", font=BOLD, wrap=False)
    row += 1
    milestone_kind = indicator.partial_achievement.rule.met_or_not
    headers = CHART_HEADERS if not milestone_kind else ("Month", "Calendar month", "Milestone", "Met?")
    header_row(ws, row, headers)
    fit_row_heights(ws, row, row)
    head = row
    row += 1
    final = indicator.final.value if indicator.final is not None else None
    for month in range(1, 13):
        put_number(ws, row, 1, month, number_format="0")
        put_text(ws, row, 2, words.calendar_month(scheme.financial_year, month, short=True), wrap=False)
        milestone = indicator.milestone_at(month)
        measurement = None
        if month <= r.month:  # the reconciliation is as at its checkpoint: later data are not shown
            measurement = achievement.measurement(indicator.number, month)
        if milestone_kind:
            put_text(ws, row, 3, milestone.description if milestone else "")
            if measurement is not None and measurement.met is not None:
                put_text(ws, row, 4, "met" if measurement.met else "not met")
        else:
            put_number(ws, row, 3, measurement.value if measurement is not None else None)
            put_number(ws, row, 4, milestone.target if milestone is not None else None)
            put_number(ws, row, 5, final)
        style_row(ws, row, 1, len(headers))
        row += 1
    if milestone_kind:
        fit_row_heights(ws, head + 1, row - 1)
        return row + 1
    chart = LineChart()
    chart.title = chart_title(f"{indicator.number} {indicator.name}"[:80])
    chart.y_axis.title = words.direction_words(indicator.direction).capitalize() or "Value"
    chart.x_axis.title = "Month of the financial year"
    chart.display_blanks = "span"  # the measured line joins the months that were measured
    chart.height = 7.0
    chart.width = 16.0
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(ws, min_col=3, max_col=5, min_row=head, max_row=head + 12)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=head + 12))
    measured, milestones, target = chart.series
    measured.marker.symbol = "circle"
    measured.marker.size = 6
    measured.graphicalProperties.line.solidFill = "1F4E79"
    measured.graphicalProperties.line.width = 22000
    measured.marker.graphicalProperties = GraphicalProperties(solidFill="1F4E79")
    measured.smooth = False
    milestones.marker.symbol = "diamond"
    milestones.marker.size = 9
    milestones.marker.graphicalProperties = GraphicalProperties(solidFill="C00000")
    milestones.marker.graphicalProperties.line.solidFill = "C00000"
    milestones.graphicalProperties.line.noFill = True  # milestone targets are points, not a line
    milestones.smooth = False
    target.graphicalProperties.line.dashStyle = "dash"
    target.graphicalProperties.line.solidFill = "548235"
    target.marker.symbol = "none"
    target.smooth = False
    ws.add_chart(chart, f"G{head}")
    return max(row + 1, head + CHART_ROWS)
