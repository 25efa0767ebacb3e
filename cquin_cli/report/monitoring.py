"""Reporters for `cquin monitor`: the monthly quality report as text, markdown, JSON and CSV.

Pure functions from :class:`~cquin_cli.compute.monitoring.MonthlyReport` (one scheme) or
a list of them (a portfolio) to text; the same input gives the same bytes. Money is
``£1,234.56`` in text and markdown, a string with two decimals in JSON and CSV. Each
indicator's series is drawn as a line of glyphs (▁▂▃▄▅▆▇█, lowest to highest value of the
series), the baseline year's months before a bar (``|``), and under it a ``^`` below every
point that belongs to a special-cause signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from cquin_cli.compute import spc
from cquin_cli.compute.monitoring import STATUS_WORDS, IndicatorMonitor, MonitorSummary, MonthlyReport
from cquin_cli.money import format_money, format_percent, money_text
from cquin_cli.report.money import _csv, _json, _number, _table, month_name

FORMATS = ("text", "json", "csv", "markdown")
GLYPHS = "▁▂▃▄▅▆▇█"


def sparkline(indicator: IndicatorMonitor) -> tuple[str, str]:
    """The series as glyphs and, under it, ``^`` below each signalled point."""
    values = [p.value for p in indicator.points]
    if not values:
        return "", ""
    low, high = min(values), max(values)
    flagged = indicator.chart.flagged if indicator.chart else frozenset()
    glyphs, marks = [], []
    for k, p in enumerate(indicator.points):
        if k and p.year == "this" and indicator.points[k - 1].year == "baseline":
            glyphs.append("|")
            marks.append(" ")
        step = 0 if high == low else int((p.value - low) * (len(GLYPHS) - 1) / (high - low) + Decimal("0.5"))
        glyphs.append(GLYPHS[min(step, len(GLYPHS) - 1)])
        marks.append("^" if k in flagged else " ")
    return "".join(glyphs), "".join(marks).rstrip()


def _latest(i: IndicatorMonitor) -> str:
    if i.latest is None:
        return ""
    if i.latest.met is not None:
        return f"{'met' if i.latest.met else 'not met'} (m{i.latest.month})"
    return f"{_number(i.latest.value)} (m{i.latest.month})"


def _next(i: IndicatorMonitor) -> str:
    if i.rule.met_or_not:
        return "milestones"
    return "" if i.next_target is None else f"{_number(i.next_target[1])} (m{i.next_target[0]})"


def _spc(i: IndicatorMonitor) -> str:
    if i.chart is None:
        return "" if i.rule.met_or_not else "too few points"
    words = spc.VARIATION_WORDS[i.chart.variation]
    if i.chart.assurance:
        words += "; " + spc.ASSURANCE_WORDS[i.chart.assurance]
    return words


def _forecast_p50(report: MonthlyReport, number: str) -> str:
    if report.forecast is None:
        return ""
    line = next(f for f in report.forecast.indicators if f.number == number)
    return format_money(line.earned.p50) + ("" if line.forecastable else " *")


def _heading(report: MonthlyReport) -> list[str]:
    s = report.scheme
    return [
        f"CQUIN monitoring at month {report.month} ({month_name(s.financial_year, report.month)}): {s.provider.name} ({s.provider.code}), {s.financial_year}",
        f"Scheme: {s.file}",
        f"Achievement data: {report.achievement_file}",
    ]


def _money_rows(report: MonthlyReport) -> list[list[str]]:
    m = report.month
    rows = [["Expected value (pot) at the planned base", format_money(report.pot)]]
    cp = report.checkpoint
    if cp is not None:
        rows += [
            [f"Earned to date E({m}) (month {m} is a checkpoint)", format_money(cp.earned)],
            [f"Paid to date P({m})", format_money(cp.paid)],
            [f"Adjustment A({m})", format_money(cp.adjustment)],
        ]
    now = report.year_ended_now
    rows += [
        ["If the year ended now: earned E(12)", format_money(now.earned)],
        ["If the year ended now: paid P(12)", format_money(now.paid)],
        ["If the year ended now: adjustment A(12)", format_money(now.adjustment)],
        ["Money at risk (value of indicators at risk or off track)", format_money(report.money_at_risk)],
    ]
    return rows


def _forecast_rows(report: MonthlyReport) -> list[list[str]]:
    f = report.forecast
    assert f is not None
    rows = [["", "P10", "P50", "P90"]]
    rows.append(["E(12) earned", format_money(f.earned.p10), format_money(f.earned.p50), format_money(f.earned.p90)])
    rows.append(
        ["A(12) adjustment", format_money(f.adjustment.p10), format_money(f.adjustment.p50), format_money(f.adjustment.p90)]
    )
    for c in f.commissioners:
        rows.append(
            [f"{c.code} A(12)", format_money(c.adjustment.p10), format_money(c.adjustment.p50), format_money(c.adjustment.p90)]
        )
    return rows


def _forecast_notes(report: MonthlyReport) -> list[str]:
    f = report.forecast
    assert f is not None
    notes = [
        f"{f.runs} seeded runs (seed {f.seed}); each indicator's month-12 value drawn from its own process, priced by the year-end reconciliation."
    ]
    for line in f.indicators:
        if line.forecastable and line.meets_final is not None:
            notes.append(f"{line.number}: meets the final value in {float(line.meets_final) * 100:.1f}% of runs.")
        elif not line.forecastable:
            notes.append(f"{line.number}: not forecast ({line.reason}); held at what is known now.")
    return notes


def monitoring_text(report: MonthlyReport) -> str:
    lines = _heading(report) + ["", "Indicators"]
    rows = [["", "", "status", "latest", "next target", "SPC", "value", "if ended now", "forecast P50"]]
    for i in report.indicators:
        rows.append(
            [
                i.number,
                i.name,
                i.status_words,
                _latest(i),
                _next(i),
                _spc(i),
                format_money(i.value),
                format_money(i.year_ended_now),
                _forecast_p50(report, i.number),
            ]
        )
    lines += _table(rows, "llllllrrr", wrap=(5, 1))
    for i in report.indicators:
        lines += ["", f"{i.number} {i.name}: {i.status_words} - {i.reason}"]
        glyphs, marks = sparkline(i)
        if glyphs:
            first, last = i.points[0].label, i.points[-1].label
            lines.append(f"  {glyphs}  {first}..{last}, {len(i.points)} points")
            if marks:
                lines.append(f"  {marks}")
        if i.chart is not None:
            c = i.chart
            lines.append(
                f"  mean {_number(spc.as_decimal(c.mean))}, process limits {_number(spc.as_decimal(c.lower))} to {_number(spc.as_decimal(c.upper))}"
            )
            for words in c.signal_words():
                lines.append(f"  signal: {words}")
        if i.results:
            lines.append("  " + ", ".join(f"m{month} {'met' if met else 'not met'}" for month, met in i.results))
    lines += ["", "Money"]
    lines += _table(_money_rows(report), "lr", indent=2)
    if report.checkpoint_refusal:
        lines += [f"  (no reconciliation at month {report.month}: {report.checkpoint_refusal})"]
    if report.forecast is not None:
        lines += ["", f"Year-end forecast from month {report.month}"]
        lines += _table(_forecast_rows(report), "lrrr", indent=2)
        lines += [f"  - {note}" for note in _forecast_notes(report)]
        if any(not f.forecastable for f in report.forecast.indicators):
            lines.append("  * not forecast: held at what is known now")
    return "\n".join(lines) + "\n"


def _md_table(rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """The project's one Markdown table writer, right-aligning the ``r`` columns; no blank line after."""
    from cquin_cli.report.portfolio_text import Table
    from cquin_cli.report.portfolio_text import _md_table as table

    head, *body = rows
    return table(Table(head, body, frozenset(k for k, a in enumerate(align) if a == "r")))[:-1]


def _md_cell(text: str) -> str:
    from cquin_cli.report.portfolio_text import _md_cell as cell

    return cell(text)


def monitoring_markdown(report: MonthlyReport) -> str:
    s = report.scheme
    lines = [
        f"## {_md_cell(s.provider.name)} ({_md_cell(s.provider.code)}) {s.financial_year}: monitoring at month {report.month} ({month_name(s.financial_year, report.month)})",
        "",
    ]
    rows = [["Indicator", "Status", "Reason", "Trend", "SPC", "Value", "If ended now", "Forecast P50"]]
    for i in report.indicators:
        glyphs, _ = sparkline(i)
        rows.append(
            [
                f"{i.number} {i.name}",
                i.status_words,
                i.reason,
                glyphs,
                _spc(i),
                format_money(i.value),
                format_money(i.year_ended_now),
                _forecast_p50(report, i.number),
            ]
        )
    lines += _md_table(rows, "llllllrr")
    lines += ["", *_md_table([["", "£"], *_money_rows(report)], "lr")]
    if report.forecast is not None:
        lines += ["", f"Year-end forecast from month {report.month}:", "", *_md_table(_forecast_rows(report), "lrrr"), ""]
        lines += [f"- {_md_cell(note)}" for note in _forecast_notes(report)]
    return "\n".join(lines) + "\n"


def _percentiles(p: Any) -> dict[str, str]:
    return {"p10": money_text(p.p10), "p50": money_text(p.p50), "p90": money_text(p.p90)}


def _fraction_text(value: Any) -> str:
    return _number(spc.as_decimal(value, 4))


def monitoring_document(report: MonthlyReport) -> dict[str, Any]:
    s = report.scheme
    f = report.forecast
    return {
        "scheme": s.file,
        "provider": s.provider.code,
        "financial_year": s.financial_year,
        "achievement_file": report.achievement_file,
        "month": report.month,
        "pot": money_text(report.pot),
        "money_at_risk": money_text(report.money_at_risk),
        "indicators": [
            {
                "number": i.number,
                "name": i.name,
                "rule": i.rule.name,
                "direction": i.direction,
                "status": i.status,
                "reason": i.reason,
                "series": [{"year": p.year, "month": p.month, "value": _number(p.value)} for p in i.points],
                "results": [{"month": month, "met": met} for month, met in i.results],
                "targets": [{"month": month, "target": _number(t)} for month, t in i.targets],
                "next_target": None
                if i.next_target is None
                else {"month": i.next_target[0], "target": _number(i.next_target[1])},
                "spc": None
                if i.chart is None
                else {
                    "mean": _fraction_text(i.chart.mean),
                    "lower_limit": _fraction_text(i.chart.lower),
                    "upper_limit": _fraction_text(i.chart.upper),
                    "mean_moving_range": _fraction_text(i.chart.mean_moving_range),
                    "variation": i.chart.variation,
                    "assurance": i.chart.assurance,
                    "signals": [
                        {"test": sg.test, "side": sg.side, "points": [i.points[k].label for k in sg.points]}
                        for sg in i.chart.signals
                    ],
                },
                "value": money_text(i.value),
                "if_year_ended_now": money_text(i.year_ended_now),
                "forecast": None
                if f is None
                else next(
                    {
                        "forecastable": line.forecastable,
                        "reason": line.reason or None,
                        "earned": _percentiles(line.earned),
                        "meets_final": None if line.meets_final is None else _fraction_text(line.meets_final),
                    }
                    for line in f.indicators
                    if line.number == i.number
                ),
            }
            for i in report.indicators
        ],
        "checkpoint": None
        if report.checkpoint is None
        else {
            "earned": money_text(report.checkpoint.earned),
            "paid": money_text(report.checkpoint.paid),
            "adjustment": money_text(report.checkpoint.adjustment),
        },
        "if_year_ended_now": {
            "earned": money_text(report.year_ended_now.earned),
            "paid": money_text(report.year_ended_now.paid),
            "adjustment": money_text(report.year_ended_now.adjustment),
            "by_commissioner": {c.code: money_text(c.adjustment) for c in report.year_ended_now.commissioners},
        },
        "forecast": None
        if f is None
        else {
            "runs": f.runs,
            "seed": f.seed,
            "earned": _percentiles(f.earned),
            "adjustment": _percentiles(f.adjustment),
            "by_commissioner": {
                c.code: {"earned": _percentiles(c.earned), "adjustment": _percentiles(c.adjustment)} for c in f.commissioners
            },
        },
    }


def monitoring_json(report: MonthlyReport) -> str:
    return _json(monitoring_document(report))


_CSV_HEADER = (
    "scheme",
    "provider",
    "financial_year",
    "month",
    "indicator",
    "name",
    "status",
    "reason",
    "latest_month",
    "latest",
    "next_target_month",
    "next_target",
    "mean",
    "lower_limit",
    "upper_limit",
    "variation",
    "assurance",
    "signals",
    "value",
    "if_year_ended_now",
    "forecast_p10",
    "forecast_p50",
    "forecast_p90",
)
_CSV_NUMERIC = (
    "month",
    "latest_month",
    "next_target_month",
    "mean",
    "lower_limit",
    "upper_limit",
    "value",
    "if_year_ended_now",
    "forecast_p10",
    "forecast_p50",
    "forecast_p90",
)


def monitoring_csv(report: MonthlyReport) -> str:
    s = report.scheme
    rows = []
    for i in report.indicators:
        c = i.chart
        line = None if report.forecast is None else next(f for f in report.forecast.indicators if f.number == i.number)
        latest = (
            ""
            if i.latest is None
            else (_number(i.latest.value) if i.latest.value is not None else ("met" if i.latest.met else "not met"))
        )
        rows.append(
            [
                s.file,
                s.provider.code,
                s.financial_year,
                report.month,
                i.number,
                i.name,
                i.status,
                i.reason,
                "" if i.latest is None else i.latest.month,
                latest,
                "" if i.next_target is None else i.next_target[0],
                "" if i.next_target is None else _number(i.next_target[1]),
                "" if c is None else _fraction_text(c.mean),
                "" if c is None else _fraction_text(c.lower),
                "" if c is None else _fraction_text(c.upper),
                "" if c is None else c.variation,
                "" if c is None or c.assurance is None else c.assurance,
                "" if c is None else "; ".join(f"{sg.test} {sg.side}" for sg in c.signals),
                money_text(i.value),
                money_text(i.year_ended_now),
                *(
                    ("", "", "")
                    if line is None
                    else (money_text(line.earned.p10), money_text(line.earned.p50), money_text(line.earned.p90))
                ),
            ]
        )
    return _csv(_CSV_HEADER, rows, _CSV_NUMERIC)


# --- a portfolio: one table, money at risk worst first (from each scheme's MonitorSummary) ---


def portfolio_rows(reports: Sequence[MonitorSummary]) -> list[MonitorSummary]:
    """Worst first: the most money at risk, then the least earned if the year ended now, then file."""
    return sorted(reports, key=lambda r: (-r.money_at_risk, r.earned - r.pot, r.file))


def _portfolio_table(reports: Sequence[MonitorSummary]) -> list[list[str]]:
    rows = [
        ["scheme", "provider", "year", "month", "at risk", "off track", "money at risk", "pot", "if ended now E(12)", "A(12)"]
    ]
    for r in portfolio_rows(reports):
        rows.append(
            [
                r.file,
                r.provider,
                r.financial_year,
                str(r.month),
                str(r.count("at_risk")),
                str(r.count("off_track")),
                format_money(r.money_at_risk),
                format_money(r.pot),
                format_money(r.earned),
                format_money(r.adjustment),
            ]
        )
    return rows


def _total(reports: Sequence[MonitorSummary]) -> str:
    at_risk = sum((r.money_at_risk for r in reports), Decimal("0.00"))
    pot = sum((r.pot for r in reports), Decimal("0.00"))
    share = "" if not pot else f" ({format_percent((at_risk * 100 / pot).quantize(Decimal('0.1')))} of the pots)"
    return f"{len(reports)} scheme{'s' if len(reports) != 1 else ''}: money at risk {format_money(at_risk)}{share}"


def portfolio_text(reports: Sequence[MonitorSummary], skipped: Sequence[str] = ()) -> str:
    lines = ["CQUIN monitoring across schemes, money at risk worst first", ""]
    lines += _table(_portfolio_table(reports), "lllrrrrrrr", indent=0)
    lines += ["", _total(reports)]
    lines += [f"  - {why}" for why in skipped]
    return "\n".join(lines) + "\n"


def portfolio_markdown(reports: Sequence[MonitorSummary], skipped: Sequence[str] = ()) -> str:
    lines = ["## CQUIN monitoring across schemes, money at risk worst first", ""]
    lines += _md_table(_portfolio_table(reports), "lllrrrrrrr")
    lines += ["", _md_cell(_total(reports))]
    lines += [f"- {_md_cell(why)}" for why in skipped]
    return "\n".join(lines) + "\n"


def portfolio_json(reports: Sequence[MonitorSummary], skipped: Sequence[str] = ()) -> str:
    return _json(
        {
            "schemes": [
                {
                    "scheme": r.file,
                    "provider": r.provider,
                    "financial_year": r.financial_year,
                    "month": r.month,
                    "statuses": {status: r.count(status) for status in STATUS_WORDS},
                    "money_at_risk": money_text(r.money_at_risk),
                    "pot": money_text(r.pot),
                    "if_year_ended_now": {
                        "earned": money_text(r.earned),
                        "adjustment": money_text(r.adjustment),
                    },
                }
                for r in portfolio_rows(reports)
            ],
            "money_at_risk": money_text(sum((r.money_at_risk for r in reports), Decimal("0.00"))),
            "not_monitored": list(skipped),
        }
    )


def portfolio_csv(reports: Sequence[MonitorSummary], skipped: Sequence[str] = ()) -> str:
    header = (
        "scheme",
        "provider",
        "financial_year",
        "month",
        "at_risk",
        "off_track",
        "money_at_risk",
        "pot",
        "if_year_ended_now_earned",
        "if_year_ended_now_adjustment",
    )
    rows = [
        [
            r.file,
            r.provider,
            r.financial_year,
            r.month,
            r.count("at_risk"),
            r.count("off_track"),
            money_text(r.money_at_risk),
            money_text(r.pot),
            money_text(r.earned),
            money_text(r.adjustment),
        ]
        for r in portfolio_rows(reports)
    ]
    return _csv(
        header,
        rows,
        ("month", "at_risk", "off_track", "money_at_risk", "pot", "if_year_ended_now_earned", "if_year_ended_now_adjustment"),
    )
