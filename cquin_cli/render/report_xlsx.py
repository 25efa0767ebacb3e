"""The portfolio report as an Excel workbook, with native charts (``cquin report --xlsx FILE``).

Sheets: Summary, Schemes, Domains (chart: money by quality domain), Indicators,
Requirements, Challenge (chart: stretch by provider, guidance ¶71), Pathways, Paid twice.
Cells go through the shared helpers of :mod:`cquin_cli.render.workbook`: money is an exact
number with a £ format, percentages are numbers with a % format, and text never becomes
a formula. :func:`report_workbook_bytes` gives the same bytes for the same report; the
file is written to a temporary file beside the target and moved into place.

openpyxl is imported here only, never at CLI start-up.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import BarChart, Reference

from cquin_cli.portfolio.aggregate import PortfolioReport, Requirement, Spread
from cquin_cli.render.workbook import (
    BOLD,
    SUBTITLE,
    header_row,
    new_workbook,
    print_setup,
    put_money,
    put_number,
    put_text,
    set_widths,
    style_row,
    workbook_bytes,
)
from cquin_cli.report.portfolio_text import label

PERCENT_1 = "0.0%"
PERCENT_2 = "0.00%"  # stretch: the compute stage's two decimals, shown as they are
_FRACTION = Decimal("0.000001")


def _fraction(points: Decimal | None) -> Decimal | None:
    """Percentage points as the fraction Excel shows with a % format, to 0.0001 of a point."""
    return None if points is None else (points / 100).quantize(_FRACTION)


def _put_share(ws, row: int, column: int, points: Decimal | None):
    return put_number(ws, row, column, _fraction(points), number_format=PERCENT_1)


def _table(ws, row: int, headers, rows, kinds) -> int:
    """Headers then rows; ``kinds`` per column: text, money, share, number. Returns the next free row."""
    header_row(ws, row, headers)
    for values in rows:
        row += 1
        for column, (value, kind) in enumerate(zip(values, kinds), start=1):
            if kind == "money":
                put_money(ws, row, column, value)
            elif kind == "share":
                _put_share(ws, row, column, value)
            elif kind == "stretch":
                put_number(ws, row, column, _fraction(value), number_format=PERCENT_2)
            elif kind == "number":
                put_number(ws, row, column, value)
            else:
                put_text(ws, row, column, value)
        style_row(ws, row, 1, len(headers))
    return row + 2


def _spread_row(ws, row: int, name: str, spread: Spread, kind: str) -> int:
    put_text(ws, row, 1, name, font=BOLD)
    for column, value in enumerate((spread.minimum, spread.median, spread.maximum), start=2):
        if kind == "share":
            _put_share(ws, row, column, value)
        elif kind == "stretch":
            put_number(ws, row, column, _fraction(value), number_format=PERCENT_2)
        else:
            put_number(ws, row, column, value)
    style_row(ws, row, 1, 4)
    return row + 1


def _summary(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Summary")
    set_widths(ws, (34, 16, 16, 16, 16, 16))
    put_text(ws, 1, 1, "CQUIN portfolio report", font=SUBTITLE, wrap=False)
    lines: list[tuple[str, Decimal | int, str]] = [
        ("Schemes", len(report.schemes), "number"),
        ("Indicators", len(report.indicators), "number"),
        ("Expected value", report.expected_value, "money"),
        ("Scheme files left out", len(report.skipped_files), "number"),
    ]
    f = report.filters
    row = 3
    if f.any:
        put_text(
            ws,
            2,
            1,
            "Filtered to: "
            + "; ".join(
                p
                for p in (
                    "year " + ", ".join(f.years) if f.years else "",
                    "commissioner " + ", ".join(f.commissioners) if f.commissioners else "",
                    "provider " + ", ".join(f.providers) if f.providers else "",
                )
                if p
            ),
            wrap=False,
        )
    for name, value, kind in lines:
        put_text(ws, row, 1, name, font=BOLD)
        if kind == "money":
            assert isinstance(value, Decimal)
            put_money(ws, row, 2, value)
        else:
            put_number(ws, row, 2, value)
        style_row(ws, row, 1, 2)
        row += 1
    row += 1
    for title, what, counts in (
        ("Schemes per year", "schemes", report.by_year),
        ("Schemes per sector", "schemes", report.by_sector),
        ("Schemes per commissioning route", "schemes", report.by_route),
        ("Indicator kinds", "indicators", report.kinds),
        ("Provenance", "indicators", report.provenance),
    ):
        put_text(ws, row, 1, title, font=SUBTITLE, wrap=False)
        row = _table(
            ws, row + 1, ["", what, "share"], [(label(c.key), c.count, c.share) for c in counts], ("text", "number", "share")
        )
    put_text(ws, row, 1, "Distributions", font=SUBTITLE, wrap=False)
    header_row(ws, row + 1, ["", "min", "median", "max"])
    row += 2
    row = _spread_row(ws, row, "Indicators per scheme", report.indicators_per_scheme, "number")
    row = _spread_row(ws, row, "Stretch of indicators", report.stretch.indicator_spread, "stretch")
    row = _spread_row(ws, row, "Stretch of schemes", report.stretch.scheme_spread, "stretch")
    row += 1
    v = report.value_per_indicator
    put_text(ws, row, 1, "£ per indicator (seed 004)", font=SUBTITLE, wrap=False)
    header_row(ws, row + 1, ["", "min", "lower quartile", "median", "upper quartile", "max"])
    put_text(ws, row + 2, 1, "Expected value of an indicator", font=BOLD)
    for column, amount in enumerate((v.minimum, v.lower_quartile, v.median, v.upper_quartile, v.maximum), start=2):
        put_money(ws, row + 2, column, amount)
    style_row(ws, row + 2, 1, 6)
    put_text(ws, row + 3, 1, f"Worth less than the minimum of £{v.min_value:,.2f}", font=BOLD)
    put_number(ws, row + 3, 2, v.under_min_value)
    style_row(ws, row + 3, 1, 2)
    row += 5
    st = report.stretch
    put_text(ws, row, 1, "Stretch (guidance ¶13, ¶26, ¶58)", font=SUBTITLE, wrap=False)
    for offset, (name, value) in enumerate(
        (
            ("Indicators with a stretch", st.with_stretch),
            ("Without one", st.without_stretch),
            ("Not stretching", st.not_stretching),
        ),
        start=1,
    ):
        put_text(ws, row + offset, 1, name, font=BOLD)
        put_number(ws, row + offset, 2, value)
        style_row(ws, row + offset, 1, 2)
    print_setup(ws, header_rows=None, title="CQUIN portfolio report")


def _schemes(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Schemes")
    set_widths(ws, (22, 40, 14, 18, 14, 12, 16, 10))
    _table(
        ws,
        1,
        ["scheme", "provider", "sector", "route", "coordinating commissioner", "indicators", "expected value", "stretch"],
        [
            (
                s.scheme_id,
                s.provider_name,
                label(s.sector),
                label(s.commissioning_route),
                s.coordinating_commissioner,
                s.indicators,
                s.expected_value,
                s.stretch,
            )
            for s in report.schemes
        ],
        ("text", "text", "text", "text", "text", "number", "money", "stretch"),
    )
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows=(1, 1), title="Schemes")


def _domains(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Domains")
    set_widths(ws, (22, 12, 10, 18, 14))
    _table(
        ws,
        1,
        ["domain", "indicators", "share", "expected value", "share of money"],
        [(label(d.domain), d.indicators, d.indicator_share, d.value, d.value_share) for d in report.domains],
        ("text", "number", "share", "money", "share"),
    )
    last = 1 + len(report.domains)
    chart = BarChart()
    chart.type = "col"
    chart.title = "Expected value by quality domain"
    chart.y_axis.title = "£"
    chart.y_axis.numFmt = '"£"#,##0'
    chart.legend = None
    chart.add_data(Reference(ws, min_col=4, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 16, 8
    ws.add_chart(chart, f"A{last + 3}")
    print_setup(ws, header_rows=(1, 1), title="Quality domains")


def _indicators(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Indicators")
    set_widths(ws, (22, 8, 40, 16, 20, 11, 9, 10, 10, 10, 15, 10, 14))
    _table(
        ws,
        1,
        [
            "scheme",
            "indicator",
            "name",
            "domain",
            "kind",
            "provenance",
            "direction",
            "baseline",
            "final",
            "weighting",
            "expected value",
            "stretch",
            "pathway",
        ],
        [
            (
                i.scheme_id,
                i.number,
                i.name,
                label(i.domain),
                label(i.kind),
                i.provenance,
                i.direction or "",
                i.baseline,
                i.final,
                i.weighting / 100,
                i.value,
                i.stretch,
                i.pathway or "",
            )
            for i in report.indicators
        ],
        ("text", "text", "text", "text", "text", "text", "text", "number", "number", "number", "money", "stretch", "text"),
    )
    for row in range(2, len(report.indicators) + 2):
        ws.cell(row=row, column=10).number_format = "0.##%"
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows=(1, 1), title="Indicators")


def _requirements(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Requirements")
    set_widths(ws, (8, 56, 30, 12, 10, 12, 12))

    def rows(reqs: tuple[Requirement, ...]):
        return [(r.code, r.title, r.source, r.schemes_meeting, r.schemes, r.share, r.schemes_suppressed) for r in reqs]

    put_text(ws, 1, 1, "Framework requirements (cquin validate): schemes with no finding of each rule", font=SUBTITLE, wrap=False)
    kinds = ("text", "text", "text", "number", "number", "share", "number")
    headers = ["code", "requirement", "source", "schemes meeting", "schemes", "share", "suppressed (reasoned)"]
    row = _table(ws, 2, headers, rows(report.framework_requirements), kinds)
    put_text(ws, row, 1, "Design quality (cquin lint)", font=SUBTITLE, wrap=False)
    if report.lint_available:
        _table(ws, row + 1, headers, rows(report.design_requirements), kinds)
    else:
        put_text(ws, row + 1, 1, "no design-quality (lint) rules are registered", wrap=False)
    print_setup(ws, header_rows=None, title="Requirements met")


def _challenge(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Challenge")
    set_widths(ws, (22, 10, 12, 40, 12, 10))
    rows = [
        (
            f"{g.coordinating_commissioner} {g.financial_year}",
            g.financial_year,
            p.provider_code,
            p.provider_name,
            p.indicators_with_stretch,
            p.stretch,
        )
        for g in report.challenge
        for p in g.providers
    ]
    _table(
        ws,
        1,
        ["coordinating commissioner", "year", "provider", "name", "indicators with stretch", "stretch"],
        rows,
        ("text", "text", "text", "text", "number", "stretch"),
    )
    last = 1 + len(rows)
    if rows:
        # Category labels "5N5 2009/10 RP5": the ¶71 comparison is within a commissioner's group.
        for row in range(2, last + 1):
            ws.cell(row=row, column=7).value = f"{ws.cell(row=row, column=1).value} {ws.cell(row=row, column=3).value}"
            ws.cell(row=row, column=7).data_type = "s"
        ws.column_dimensions["G"].hidden = True
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Stretch by provider, per coordinating commissioner (guidance ¶71)"
        chart.x_axis.title = "provider"
        chart.y_axis.title = "stretch"
        chart.y_axis.numFmt = "0%"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=7, min_row=2, max_row=last))
        chart.width, chart.height = 18, max(6, 0.6 * len(rows) + 3)
        ws.add_chart(chart, f"A{last + 3}")
    print_setup(ws, header_rows=(1, 1), title="Equivalent challenge")


def _pathways(wb, report: PortfolioReport) -> None:
    ws = wb.create_sheet("Pathways")
    set_widths(ws, (18, 10, 40, 14, 10, 24, 16))
    _table(
        ws,
        1,
        ["pathway", "provider", "name", "sector", "year", "indicators", "expected value"],
        [
            (
                p.pathway,
                part.provider_code,
                part.provider_name,
                label(part.sector),
                part.financial_year,
                ", ".join(part.indicators),
                part.value,
            )
            for p in report.pathways
            for part in p.parts
        ],
        ("text", "text", "text", "text", "text", "text", "money"),
    )
    print_setup(ws, header_rows=(1, 1), title="Pathways across providers")
    ws = wb.create_sheet("Paid twice")
    set_widths(ws, (10, 10, 22, 36, 15, 22, 36, 15, 18))
    _table(
        ws,
        1,
        ["provider", "year", "PCT scheme", "PCT indicator", "£", "SCG scheme", "SCG indicator", "£", "matched by"],
        [
            (
                d.provider_code,
                d.financial_year,
                d.pct_scheme_id,
                f"{d.pct_indicator} {d.pct_indicator_name}",
                d.pct_value,
                d.scg_scheme_id,
                f"{d.scg_indicator} {d.scg_indicator_name}",
                d.scg_value,
                d.matched_by,
            )
            for d in report.double_payments
        ],
        ("text", "text", "text", "text", "money", "text", "text", "money", "text"),
    )
    print_setup(ws, header_rows=(1, 1), title="Same indicator paid by a PCT and an SCG scheme (seed 002)")


def report_workbook_bytes(report: PortfolioReport) -> bytes:
    wb = new_workbook()
    _summary(wb, report)
    _schemes(wb, report)
    _domains(wb, report)
    _indicators(wb, report)
    _requirements(wb, report)
    _challenge(wb, report)
    _pathways(wb, report)
    return workbook_bytes(wb)


def write_report_workbook(report: PortfolioReport, path: str) -> None:
    """Write the workbook atomically: a temporary file beside ``path``, then a rename."""
    from cquin_cli.atomic import atomic_write_bytes

    atomic_write_bytes(path, report_workbook_bytes(report))
