"""The Monitoring sheet (``cquin render --month N``, any month 1-12): ``cquin monitor``'s view in the workbook.

Every figure is read from the :class:`~cquin_cli.compute.monitoring.MonthlyReport` that
:func:`cquin_cli.compute.monitoring.monitor` returns, the same object the ``cquin
monitor`` reporters print (and with the same seeded forecast), so the sheet and the
command cannot disagree. Nothing is recomputed here; means and limits are written as
``cquin monitor --format json`` writes them (four decimal places, from the exact
fractions).

1. **Indicators at month N**: status and its reason, the money (value, "if the year
   ended now", forecast P50), the latest value and the next target, the chart's mean,
   process limits, variation and assurance verdicts and its signals.
2. **Money**: the pot, the checkpoint's E(m), P(m) and A(m) on a checkpoint month, the
   year-end figures if the year ended now, the money at risk.
3. **Year-end forecast**: P10, P50 and P90 of E(12) and A(12), in total and per
   commissioner, each indicator's line of E(12) and the share of runs meeting its final
   value; an indicator that is not forecast is named with the reason.
4. **Charts**: for each indicator measured as a value, its series (the baseline year,
   then this year up to month N) in a table beside a native Excel line chart of it: the
   measured values, the mean, the lower and upper process limits, the next target, and
   the points of a special-cause signal as markers of their own (a series with no line).
   A milestone indicator (met / not met) has its results in a table and no chart; an
   indicator with fewer than two points has no process limits, and its table says so.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from cquin_cli.compute import spc
from cquin_cli.compute.monitoring import IndicatorMonitor, MonthlyReport, Point
from cquin_cli.compute.pricing import Price
from cquin_cli.render import words
from cquin_cli.render.schedule_3_part_4c import title_lines
from cquin_cli.render.version import SchemeVersion
from cquin_cli.render.workbook import (
    BODY,
    BOLD,
    NOTE,
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

SHEET = "Monitoring"

INDICATOR_HEADERS = (
    "Indicator",
    "Indicator name",
    "Status",
    "Value (£)",
    "If the year ended now (£)",
    "Forecast P50 (£)",
    "Latest month",
    "Latest",
    "Next target month",
    "Next target",
    "Mean",
    "Lower process limit",
    "Upper process limit",
    "Variation",
    "Assurance",
    "Signals",
    "Why",
)
WIDTHS = (10, 28, 11, 15, 15, 15, 9, 10, 9, 10, 10, 10, 10, 18, 18, 34, 48)
SERIES_HEADERS = ("Point", "Month", "Measured", "Mean", "Lower process limit", "Upper process limit", "Target", "Special cause")
CHART_ROWS = 28  # rows of sheet an indicator's table and chart take at least
LIMIT_PLACES = 4  # as `cquin monitor --format json` writes means and limits
LIMIT_FORMAT = "0.00"


def _limit(value) -> Decimal:
    return spc.as_decimal(value, LIMIT_PLACES)


def _point_month(financial_year: str, point: Point) -> str:
    if point.year == "baseline":
        try:
            year = str(int(financial_year[:4]) - 1)
        except ValueError:
            return ""
        return words.calendar_month(year, point.month, short=True)
    return words.calendar_month(financial_year, point.month, short=True)


def _label(point: Point) -> str:
    return f"B{point.month}" if point.year == "baseline" else str(point.month)


def add_sheet(wb: Workbook, price: Price, report: MonthlyReport, version: SchemeVersion, source_name: str) -> None:
    scheme = report.scheme
    ws = wb.create_sheet(SHEET)
    set_widths(ws, WIDTHS)
    month_name = words.calendar_month(scheme.financial_year, report.month)
    title = (
        f"CQUIN monitoring at month {report.month}"
        + (f" ({month_name})" if month_name else "")
        + f", {scheme.provider.name}, {scheme.financial_year}"
    )
    lines = title_lines(price, version)
    lines.append(("Achievement data", report.achievement_file or "none recorded"))
    row = title_block(ws, title, lines, span=8)

    put_text(ws, row, 1, f"1. Indicators at month {report.month}", font=SUBTITLE, wrap=False)
    row += 1
    header_row(ws, row, INDICATOR_HEADERS)
    row += 1
    first = row
    forecast_lines = {f.number: f for f in report.forecast.indicators} if report.forecast else {}
    for i in report.indicators:
        _indicator_row(ws, row, i, forecast_lines.get(i.number))
        row += 1
    put_text(ws, row, 2, "Total", font=BOLD)
    put_money(ws, row, 4, sum((i.value for i in report.indicators), Decimal("0.00")), font=BOLD)
    put_money(ws, row, 5, report.year_ended_now.earned, font=BOLD)
    style_row(ws, row, 1, len(INDICATOR_HEADERS), fill=TOTAL_FILL)
    fit_row_heights(ws, first, row)
    row += 2

    row = _money(ws, row, report)
    if report.forecast is not None:
        row = _forecast(ws, row, report)

    # The charts start on a new printed page, two indicators a page.
    ws.row_breaks.append(Break(id=row - 1))
    put_text(ws, row, 1, "4. Each indicator's series: mean, process limits, target and special causes", font=SUBTITLE, wrap=False)
    row += 2
    for k, indicator in enumerate(report.indicators):
        if k and k % 2 == 0:
            ws.row_breaks.append(Break(id=row - 1))
        row = _indicator_series(ws, row, report, indicator)
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows=(1, 1), title=f"{title}. Source: {source_name}")


def _indicator_row(ws: Worksheet, row: int, i: IndicatorMonitor, forecast_line) -> None:
    put_text(ws, row, 1, i.number, font=BOLD)
    put_text(ws, row, 2, i.name)
    put_text(ws, row, 3, i.status_words)
    put_money(ws, row, 4, i.value)
    put_money(ws, row, 5, i.year_ended_now)
    if forecast_line is not None:
        put_money(ws, row, 6, forecast_line.earned.p50)
    if i.latest is not None:
        put_number(ws, row, 7, i.latest.month, number_format="0")
        if i.latest.met is not None:
            put_text(ws, row, 8, "met" if i.latest.met else "not met")
        else:
            put_number(ws, row, 8, i.latest.value)
    if i.rule.met_or_not:
        put_text(ws, row, 10, "milestones")
    elif i.next_target is not None:
        put_number(ws, row, 9, i.next_target[0], number_format="0")
        put_number(ws, row, 10, i.next_target[1])
    c = i.chart
    if c is not None:
        for column, value in ((11, c.mean), (12, c.lower), (13, c.upper)):
            put_number(ws, row, column, _limit(value), number_format=LIMIT_FORMAT)
        put_text(ws, row, 14, spc.VARIATION_WORDS[c.variation])
        put_text(ws, row, 15, spc.ASSURANCE_WORDS[c.assurance] if c.assurance else "no target")
        put_text(ws, row, 16, "\n".join(c.signal_words()) or "none")
    elif not i.rule.met_or_not:
        put_text(ws, row, 14, "too few points for process limits")
    put_text(ws, row, 17, i.reason)
    style_row(ws, row, 1, len(INDICATOR_HEADERS))


def _money(ws: Worksheet, row: int, report: MonthlyReport) -> int:
    m = report.month
    put_text(ws, row, 1, "2. Money", font=SUBTITLE, wrap=False)
    row += 1
    rows: list[tuple[str, Decimal, bool]] = [("Expected value (pot) at the planned base", report.pot, False)]
    cp = report.checkpoint
    if cp is not None:
        rows += [
            (f"Earned to date E({m}) (month {m} is a checkpoint)", cp.earned, False),
            (f"Paid to date P({m})", cp.paid, False),
            (f"Adjustment A({m})", cp.adjustment, True),
        ]
    now = report.year_ended_now
    rows += [
        ("If the year ended now: earned E(12)", now.earned, False),
        ("If the year ended now: paid P(12)", now.paid, False),
        ("If the year ended now: adjustment A(12)", now.adjustment, True),
        ("Money at risk (value of indicators at risk or off track)", report.money_at_risk, True),
    ]
    for label, amount, bold in rows:
        put_text(ws, row, 1, label, font=BOLD, wrap=False)
        put_money(ws, row, 4, amount, font=BOLD if bold else BODY)
        if bold:
            style_row(ws, row, 1, 4, fill=TOTAL_FILL, border=False)
        row += 1
    if report.checkpoint_refusal:
        put_text(ws, row, 1, f"No reconciliation at month {m}: {report.checkpoint_refusal}", font=NOTE)
        merge_wrapped(ws, row, 1, 10)
        row += 1
    return row + 1


def _percentile_cells(ws: Worksheet, row: int, p, *, first_column: int = 4) -> None:
    for offset, amount in enumerate((p.p10, p.p50, p.p90)):
        put_money(ws, row, first_column + offset, amount)


def _forecast(ws: Worksheet, row: int, report: MonthlyReport) -> int:
    f = report.forecast
    assert f is not None
    put_text(ws, row, 1, f"3. Year-end forecast from month {report.month}", font=SUBTITLE, wrap=False)
    row += 1
    header_row(ws, row, ("Forecast", "", "", "P10 (£)", "P50 (£)", "P90 (£)", "Meets its final value"))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    row += 1
    first = row

    def line(label: str, percentiles, share=None, *, bold: bool = False) -> None:
        nonlocal row
        put_text(ws, row, 1, label, font=BOLD, wrap=False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        _percentile_cells(ws, row, percentiles)
        if share is not None:
            put_percent(ws, row, 7, spc.as_decimal(share * 100, 1)).number_format = "0.0%"
        style_row(ws, row, 1, 7, fill=TOTAL_FILL if bold else None)
        row += 1

    line("E(12) earned", f.earned, bold=True)
    line("A(12) adjustment", f.adjustment, bold=True)
    for c in f.commissioners:
        line(f"{c.code} {c.name}: share of E(12)", c.earned)
        line(f"{c.code} {c.name}: A(12)", c.adjustment)
    names = {i.number: i.name for i in report.indicators}
    not_forecast = []
    for i in f.indicators:
        if i.forecastable:
            line(f"{i.number} {names.get(i.number, '')}: its line of E(12)", i.earned, i.meets_final)
        else:
            not_forecast.append(i)
    fit_row_heights(ws, first, row - 1)
    for i in not_forecast:
        put_text(ws, row, 1, f"{i.number} {names.get(i.number, '')}: not forecast ({i.reason}); held at what is known now")
        merge_wrapped(ws, row, 1, 10)
        row += 1
    put_text(
        ws,
        row,
        1,
        f"{f.runs} seeded runs (seed {f.seed}); each forecastable indicator's month-12 value drawn from its own process "
        "(its mean, and sigma = mean moving range / 1.128), priced by the year-end reconciliation; "
        "P10, P50 and P90 by nearest rank.",
        font=NOTE,
    )
    merge_wrapped(ws, row, 1, 10)
    return row + 2


def _indicator_series(ws: Worksheet, row: int, report: MonthlyReport, i: IndicatorMonitor) -> int:
    """One indicator's table and, when it has process limits, its line chart; returns the next free row."""
    scheme = report.scheme
    put_text(ws, row, 1, f"{i.number} {i.name}: {i.status_words}", font=BOLD, wrap=False)
    row += 1
    if i.rule.met_or_not:
        header_row(ws, row, ("Month", "Calendar month", "Milestone"))
        row += 1
        if not i.results:
            put_text(ws, row, 1, f"No milestone result recorded up to month {report.month}.", font=NOTE, wrap=False)
            row += 1
        for month, met in i.results:
            put_number(ws, row, 1, month, number_format="0")
            put_text(ws, row, 2, words.calendar_month(scheme.financial_year, month, short=True), wrap=False)
            put_text(ws, row, 3, "met" if met else "not met")
            style_row(ws, row, 1, 3)
            row += 1
        return row + 1
    c = i.chart
    if c is None:
        put_text(
            ws,
            row,
            1,
            f"{len(i.points)} point{'s' if len(i.points) != 1 else ''} measured: too few for process limits (a chart needs two).",
            font=NOTE,
            wrap=False,
        )
        row += 1
        for point in i.points:
            put_text(ws, row, 1, _label(point))
            put_text(ws, row, 2, _point_month(scheme.financial_year, point), wrap=False)
            put_number(ws, row, 3, point.value)
            row += 1
        return row + 1
    header_row(ws, row, SERIES_HEADERS)
    head = row
    row += 1
    flagged = c.flagged
    target = i.next_target[1] if i.next_target is not None else None
    mean, lower, upper = _limit(c.mean), _limit(c.lower), _limit(c.upper)
    for k, point in enumerate(i.points):
        put_text(ws, row, 1, _label(point))
        put_text(ws, row, 2, _point_month(scheme.financial_year, point), wrap=False)
        put_number(ws, row, 3, point.value)
        put_number(ws, row, 4, mean, number_format=LIMIT_FORMAT)
        put_number(ws, row, 5, lower, number_format=LIMIT_FORMAT)
        put_number(ws, row, 6, upper, number_format=LIMIT_FORMAT)
        put_number(ws, row, 7, target)
        if k in flagged:
            put_number(ws, row, 8, point.value)
        style_row(ws, row, 1, len(SERIES_HEADERS))
        row += 1
    last = row - 1
    if i.next_target is not None:
        when = "the final value" if i.next_target[0] == 12 else f"the month-{i.next_target[0]} milestone"
        put_text(ws, row, 1, f"Target: {when}. B1-B12: the baseline year.", font=NOTE, wrap=False)
        row += 1
    chart = LineChart()
    chart.title = chart_title(f"{i.number} {i.name}"[:80])
    chart.y_axis.title = words.direction_words(i.direction).capitalize() or "Value"
    chart.x_axis.title = "The baseline year's months, then this year's"
    chart.display_blanks = "gap"  # the special-cause series has points only where a signal is
    chart.height = 9.0
    chart.width = 18.0
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(Reference(ws, min_col=3, max_col=8, min_row=head, max_row=last), titles_from_data=True)
    # The calendar months are text: a string reference, or Excel would number the points 1, 2, 3...
    months = Reference(ws, min_col=2, min_row=head + 1, max_row=last)
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(months)))
    measured, centre, low, high, goal, special = chart.series
    measured.marker.symbol = "circle"
    measured.marker.size = 5
    measured.marker.graphicalProperties = GraphicalProperties(solidFill="1F4E79")
    measured.graphicalProperties.line.solidFill = "1F4E79"
    measured.graphicalProperties.line.width = 22000
    centre.graphicalProperties.line.solidFill = "595959"
    for limit in (low, high):
        limit.graphicalProperties.line.solidFill = "A6A6A6"
        limit.graphicalProperties.line.dashStyle = "dash"
    goal.graphicalProperties.line.solidFill = "548235"
    goal.graphicalProperties.line.dashStyle = "sysDash"
    for line in (centre, low, high, goal):
        line.marker.symbol = "none"
    special.marker.symbol = "circle"
    special.marker.size = 9
    special.marker.graphicalProperties = GraphicalProperties(solidFill="ED7D31")
    special.marker.graphicalProperties.line.solidFill = "ED7D31"
    special.graphicalProperties.line.noFill = True  # markers only: the signalled points
    for series in chart.series:
        series.smooth = False
    ws.add_chart(chart, f"J{head}")
    return max(row + 1, head + CHART_ROWS)
