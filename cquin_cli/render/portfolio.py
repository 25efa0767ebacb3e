"""``cquin render --portfolio FILE.xlsx``: one summary workbook across many schemes (guidance ¶36, ¶71, ¶76-77).

Sheet *Portfolio*: one row per scheme (source file, provider, financial year, sector,
commissioning route, commissioners and their shares, expected value, on-account total,
indicators per quality domain, the scheme's version). Sheet *Totals per year*: per
financial year the schemes, indicators, expected value and paid on account. Money comes
from :func:`cquin_cli.compute.pricing.price`; the year totals are exact sums of it.
Rows are in the order of the files (sorted paths), so the same schemes give the same
bytes.

A portfolio streams: each scheme is checked and priced in a worker process
(:func:`cquin_cli.render.run.render_chunk`), which returns only its :class:`PortfolioRow`
(what its row and its year's totals show, :func:`portfolio_row`), so the run never holds
the schemes, nor their prices.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cquin_cli.compute.pricing import Price
from cquin_cli.load.scheme import DOMAINS
from cquin_cli.money import ZERO, format_percent
from cquin_cli.portfolio.aggregate import year_entry, year_totals_of
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


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One scheme of the portfolio: what its row shows and what it adds to its year's totals
    (a few hundred bytes, where its scheme record and price are tens of KB)."""

    file: str
    provider_code: str
    provider_name: str
    financial_year: str
    sector: str
    commissioning_route: str
    commissioners: tuple[tuple[str, Decimal], ...]  # (name, share in percentage points)
    expected_value: Decimal
    on_account_total: Decimal
    domain_indicators: tuple[int, ...]  # indicators per quality domain, in the order of DOMAINS
    indicators: int
    version: SchemeVersion
    year: tuple[str, int, Decimal, Decimal, Decimal]  # its year totals' entry (year_entry)


def portfolio_row(file: str, price: Price, version: SchemeVersion) -> PortfolioRow:
    """The row of ``file``'s scheme, priced at its planned base."""
    scheme = price.scheme
    return PortfolioRow(
        file,
        scheme.provider.code,
        scheme.provider.name,
        scheme.financial_year,
        scheme.provider.sector,
        scheme.commissioning_route,
        tuple((c.name, c.share) for c in scheme.commissioners),
        price.expected_value,
        price.on_account_total,
        tuple(sum(1 for i in scheme.indicators if i.domain == domain) for domain in DOMAINS),
        len(scheme.indicators),
        version,
        year_entry(price),
    )


def portfolio_workbook(rows: Sequence[PortfolioRow]) -> bytes:
    wb = new_workbook()
    ws = wb.create_sheet(SHEET)
    set_widths(ws, (w for _, w in COLUMNS))
    put_text(ws, 1, 1, "CQUIN schemes: portfolio summary", font=TITLE, wrap=False)
    put_text(
        ws,
        2,
        1,
        f"{len(rows)} scheme{'s' if len(rows) != 1 else ''}; money from cquin price at each scheme's planned base",
        wrap=False,
    )
    head = 4
    header_row(ws, head, HEADERS)
    fit_row_heights(ws, head, head)
    row = head + 1
    for r in rows:
        put_text(ws, row, COL["Scheme file"], r.file)
        put_text(ws, row, COL["Provider code"], r.provider_code)
        put_text(ws, row, COL["Provider"], r.provider_name)
        put_text(ws, row, COL["Financial year"], r.financial_year)
        put_text(ws, row, COL["Sector"], words.words(r.sector, words.SECTORS))
        put_text(ws, row, COL["Commissioning route"], words.words(r.commissioning_route, words.ROUTES))
        put_text(
            ws,
            row,
            COL["Commissioners (share)"],
            "\n".join(f"{name} ({format_percent(share)})" for name, share in r.commissioners),
        )
        put_money(ws, row, COL["Expected value (£)"], r.expected_value)
        put_money(ws, row, COL["Paid on account (£)"], r.on_account_total)
        for domain, count in zip(DOMAINS, r.domain_indicators, strict=True):
            put_number(ws, row, COL[f"{words.domain_title(domain)} indicators"], count, number_format="0")
        put_number(ws, row, COL["All indicators"], r.indicators, number_format="0")
        put_text(ws, row, COL["Version"], r.version.text)
        style_row(ws, row, 1, len(HEADERS))
        row += 1
    fit_row_heights(ws, head + 1, row - 1)
    put_text(ws, row, COL["Provider"], "Total, all schemes listed", font=BOLD)
    put_money(ws, row, COL["Expected value (£)"], sum((r.expected_value for r in rows), ZERO), font=BOLD)
    put_money(ws, row, COL["Paid on account (£)"], sum((r.on_account_total for r in rows), ZERO), font=BOLD)
    put_number(ws, row, COL["All indicators"], sum(r.indicators for r in rows), font=BOLD, number_format="0")
    style_row(ws, row, 1, len(HEADERS), fill=TOTAL_FILL)
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    print_setup(ws, header_rows=(head, head), title="CQUIN schemes: portfolio summary")

    # Totals per financial year on their own sheet: money is not carried between years (guidance ¶50).
    years = wb.create_sheet(YEARS_SHEET)
    set_widths(years, (16, 10, 12, 18, 18))
    put_text(years, 1, 1, "CQUIN schemes: totals per financial year", font=TITLE, wrap=False)
    header_row(years, 3, YEAR_HEADERS)
    row = 4
    for total in year_totals_of(r.year for r in rows):
        put_text(years, row, 1, total.financial_year)
        put_number(years, row, 2, total.schemes, number_format="0")
        put_number(years, row, 3, total.indicators, number_format="0")
        put_money(years, row, 4, total.expected_value)
        put_money(years, row, 5, total.on_account)
        style_row(years, row, 1, 5)
        row += 1
    years.freeze_panes = "A4"
    print_setup(years, header_rows=(3, 3), title="CQUIN schemes: totals per financial year")
    dates = [r.version.date for r in rows if r.version.date is not None]
    moment: _dt.datetime | None = max(dates) if dates else None
    return workbook_bytes(wb, moment)
