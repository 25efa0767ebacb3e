"""``cquin render --portfolio FILE.xlsx``: one summary workbook across many schemes (guidance ¶36, ¶71, ¶76-77).

Sheet *Portfolio*: one row per scheme (source file, provider, financial year, sector,
commissioning route, commissioners and their shares, expected value, on-account total,
indicators per quality domain, the scheme's version). Sheet *Totals per year*: per
financial year the schemes, indicators, expected value and paid on account. Money comes
from :func:`cquin_cli.compute.pricing.price`; the year totals are exact sums of it.
Rows are in the order of the files (sorted paths), so the same schemes give the same
bytes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from cquin_cli.compute.pricing import Price
from cquin_cli.load.scheme import DOMAINS
from cquin_cli.money import ZERO, format_percent
from cquin_cli.portfolio.aggregate import year_totals
from cquin_cli.render import words
from cquin_cli.render.version import SchemeVersion
from cquin_cli.render.workbook import (
    BOLD,
    TITLE,
    TOTAL_FILL,
    fit_row_heights,
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

SHEET = "Portfolio"
YEARS_SHEET = "Totals per year"
COLUMNS = (
    ("Scheme file", 26),
    ("Provider code", 9),
    ("Provider", 24),
    ("Financial year", 9),
    ("Sector", 11),
    ("Commissioning route", 13),
    ("Commissioners (share)", 30),
    ("Expected value (£)", 15),
    ("Paid on account (£)", 15),
    *((f"{words.domain_title(d)} indicators", 10) for d in DOMAINS),
    ("All indicators", 9),
    ("Version", 27),
)
HEADERS = tuple(h for h, _ in COLUMNS)
COL = {h: i + 1 for i, h in enumerate(HEADERS)}
YEAR_HEADERS = ("Financial year", "Schemes", "Indicators", "Expected value (£)", "Paid on account (£)")


def portfolio_workbook(priced: Sequence[tuple[str, Price, SchemeVersion]]) -> bytes:
    wb = new_workbook()
    ws = wb.create_sheet(SHEET)
    set_widths(ws, (w for _, w in COLUMNS))
    put_text(ws, 1, 1, "CQUIN schemes: portfolio summary", font=TITLE, wrap=False)
    put_text(
        ws,
        2,
        1,
        f"{len(priced)} scheme{'s' if len(priced) != 1 else ''}; money from cquin price at each scheme's planned base",
        wrap=False,
    )
    head = 4
    header_row(ws, head, HEADERS)
    fit_row_heights(ws, head, head)
    row = head + 1
    for file, price, version in priced:
        scheme = price.scheme
        put_text(ws, row, COL["Scheme file"], file)
        put_text(ws, row, COL["Provider code"], scheme.provider.code)
        put_text(ws, row, COL["Provider"], scheme.provider.name)
        put_text(ws, row, COL["Financial year"], scheme.financial_year)
        put_text(ws, row, COL["Sector"], words.words(scheme.provider.sector, words.SECTORS))
        put_text(ws, row, COL["Commissioning route"], words.words(scheme.commissioning_route, words.ROUTES))
        put_text(
            ws,
            row,
            COL["Commissioners (share)"],
            "\n".join(f"{c.name} ({format_percent(c.share)})" for c in scheme.commissioners),
        )
        put_money(ws, row, COL["Expected value (£)"], price.expected_value)
        put_money(ws, row, COL["Paid on account (£)"], price.on_account_total)
        for domain in DOMAINS:
            count = sum(1 for i in scheme.indicators if i.domain == domain)
            put_number(ws, row, COL[f"{words.domain_title(domain)} indicators"], count, number_format="0")
        put_number(ws, row, COL["All indicators"], len(scheme.indicators), number_format="0")
        put_text(ws, row, COL["Version"], version.text)
        style_row(ws, row, 1, len(HEADERS))
        row += 1
    fit_row_heights(ws, head + 1, row - 1)
    put_text(ws, row, COL["Provider"], "Total, all schemes listed", font=BOLD)
    put_money(ws, row, COL["Expected value (£)"], sum((p.expected_value for _, p, _ in priced), ZERO), font=BOLD)
    put_money(ws, row, COL["Paid on account (£)"], sum((p.on_account_total for _, p, _ in priced), ZERO), font=BOLD)
    put_number(ws, row, COL["All indicators"], sum(len(p.scheme.indicators) for _, p, _ in priced), font=BOLD, number_format="0")
    style_row(ws, row, 1, len(HEADERS), fill=TOTAL_FILL)
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    print_setup(ws, header_rows=(head, head), title="CQUIN schemes: portfolio summary")

    # Totals per financial year on their own sheet: money is not carried between years (guidance ¶50).
    years = wb.create_sheet(YEARS_SHEET)
    set_widths(years, (16, 10, 12, 18, 18))
    put_text(years, 1, 1, "CQUIN schemes: totals per financial year", font=TITLE, wrap=False)
    header_row(years, 3, YEAR_HEADERS)
    row = 4
    for total in year_totals(p for _, p, _ in priced):
        put_text(years, row, 1, total.financial_year)
        put_number(years, row, 2, total.schemes, number_format="0")
        put_number(years, row, 3, total.indicators, number_format="0")
        put_money(years, row, 4, total.expected_value)
        put_money(years, row, 5, total.on_account)
        style_row(years, row, 1, 5)
        row += 1
    years.freeze_panes = "A4"
    print_setup(years, header_rows=(3, 3), title="CQUIN schemes: totals per financial year")
    dates = [v.date for _, _, v in priced if v.date is not None]
    moment: _dt.datetime | None = max(dates) if dates else None
    return workbook_bytes(wb, moment)
