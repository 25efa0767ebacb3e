"""Reporters for `cquin price` and `cquin reconcile`: text for a finance officer, JSON and CSV for machines.

Pure functions from :class:`~cquin_cli.compute.pricing.Price` and
:class:`~cquin_cli.compute.reconciliation.Reconciliation` to text. The same input gives
the same bytes out: no dates, no colours, rows in scheme order. Money in text is
``£1,234,567.89`` (negative ``-£128,700.00``) in right-aligned columns; in JSON and CSV
it is a string with exactly two decimals (``"-128700.00"``), so no consumer ever
parses it as a float. Percentages are written as a contract manager writes them
(``30%``, ``0.5%``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from cquin_cli.check.year_rules import base_origin, rate_origin
from cquin_cli.compute.held_back import HeldBackValue, total_due
from cquin_cli.compute.pricing import Price
from cquin_cli.compute.reconciliation import CARRIED_ON_ACCOUNT, MISSING_AT_YEAR_END, Reconciliation
from cquin_cli.compute.separate_incentive import IncentiveValue
from cquin_cli.money import ZERO, format_achievement, format_money, format_percent, money_text
from cquin_cli.portfolio.aggregate import YearTotal, year_totals
from cquin_cli.report.csv_table import csv_line, csv_table

FORMATS = ("text", "json", "csv")
_MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


# --- shared helpers -------------------------------------------------------------------


def month_name(financial_year: str, month: int) -> str:
    """Month ``month`` of financial year ``2009/10`` as ``Apr 2009`` (1 is April, 12 is March)."""
    try:
        first = int(financial_year[:4])
    except ValueError:
        return _MONTHS[month - 1]
    return f"{_MONTHS[month - 1]} {first if month <= 9 else first + 1}"


def terminal_width() -> int | None:
    """The width to wrap names to: ``COLUMNS`` if set, else the terminal's; None when piped (names stay on one line)."""
    import os

    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    if getattr(sys.stdout, "isatty", lambda: False)():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _sentence(text: str) -> list[str]:
    """A long line of prose, wrapped to the terminal's width on a terminal, else whole."""
    width = terminal_width()
    return _wrapped(text, width) if width else [text]


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words (a longer word is kept whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# The narrowest a wrapped name column gets, however narrow the terminal.
_MIN_NAME_WIDTH = 16


def _table(
    rows: Sequence[Sequence[str]], align: str, indent: int = 2, wrap: tuple[int, ...] = (), width: int | None = None
) -> list[str]:
    """Rows of cells in columns two spaces apart; ``align`` has one ``l`` or ``r`` per column.

    The columns of ``wrap`` (names, long words) are wrapped between words, never cut, so
    that lines fit ``width`` (default: the terminal's; piped output is not wrapped), the
    first of them narrowed first; continuation lines leave the other columns blank.
    """
    widths = [max(len(row[c]) for row in rows) for c in range(len(align))]
    width = terminal_width() if width is None else width
    if width is not None:
        for column in wrap:
            over = indent + sum(widths) + 2 * (len(widths) - 1) - width
            if over <= 0:
                break
            widths[column] = max(min(_MIN_NAME_WIDTH, widths[column]), widths[column] - over)
    lines = []
    for row in rows:
        parts = [_wrapped(cell, widths[c]) if c in wrap and len(cell) > widths[c] else [cell] for c, cell in enumerate(row)]
        for n in range(max(len(p) for p in parts)):
            cells = [p[n] if n < len(p) else "" for p in parts]
            cells = [cell.ljust(w) if a == "l" else cell.rjust(w) for cell, w, a in zip(cells, widths, align)]
            lines.append((" " * indent + "  ".join(cells)).rstrip())
    return lines


def _number(value: Decimal | None) -> str:
    """A measured value, target or floor as written: ``62.5``, ``60``."""
    return "" if value is None else format(value.normalize(), "f")


def _fraction(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != 0 else "0"


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Collection[str]) -> str:
    """CSV with the cells of ``numeric`` columns (amounts cquin wrote) kept as numbers, every other cell guarded."""
    return csv_table(header, ([("" if cell is None else str(cell)) for cell in row] for row in rows), numeric)


# --- price ----------------------------------------------------------------------------


def _price_text_one(p: Price) -> list[str]:
    s = p.scheme
    cv = s.contract_value
    lines = [
        f"CQUIN scheme {s.financial_year}: {s.provider.name} ({s.provider.code})",
        f"Scheme: {s.file}",
    ]
    if p.what_if:
        lines.append(f"What-if: priced {p.what_if}; on-account payments stay at the planned base")
    lines += ["", "Contract value (guidance ¶39-40)"]
    rows = [
        ["Tariff income (incl. MFF)", format_money(cv.tariff_income)],
        ["Non-tariff income", format_money(cv.non_tariff_income)],
        ["Excluded income", format_money(-cv.excluded_income)],
        ["Planned base", format_money(p.planned_base)],
    ]
    if p.base != p.planned_base:
        rows.append(["Base priced (what-if)", format_money(p.base)])
    rows += [["CQUIN rate", format_percent(p.rate)], ["Expected value", format_money(p.expected_value)]]
    lines += _table(rows, "lr")
    base_words = base_origin(s)
    if base_words:
        lines.append(f"Base: {base_words}")
    lines.append(f"Rate: {rate_origin(s)}")

    lines += ["", "Goals and indicators"]
    rows = [["", "", "domain", "weighting", "expected value"]]
    for g in p.goals:
        rows.append([f"Goal {g.number}", g.name, g.domain.replace("_", " "), format_percent(g.weighting), format_money(g.value)])
        for i in g.indicators:
            rows.append([f"  {i.number}", i.name, "", format_percent(i.weighting), format_money(i.value)])
    rows.append(
        [
            "Total",
            "",
            "",
            format_percent(sum((g.weighting for g in p.goals), Decimal(0))),
            format_money(sum((g.value for g in p.goals), ZERO)),
        ]
    )
    lines += _table(rows, "lllrr", wrap=(1,))

    lines += ["", "Commissioners"]
    rows = [["", "", "share", "expected value", p.payment_mode.heading.lower()]]
    for c in p.commissioners:
        rows.append(
            [
                c.code,
                c.name + (" (coordinating)" if c.coordinating else ""),
                format_percent(c.share),
                format_money(c.value),
                format_money(c.on_account),
            ]
        )
    rows.append(
        [
            "Total",
            "",
            format_percent(sum((c.share for c in p.commissioners), Decimal(0))),
            format_money(sum((c.value for c in p.commissioners), ZERO)),
            format_money(sum((c.on_account for c in p.commissioners), ZERO)),
        ]
    )
    lines += _table(rows, "llrrr", wrap=(1,))

    lines += _held_back_text(p.held_back, p.commissioners, "Held back, apart from the expected value and not paid on account")
    lines += _incentive_text(p.separate_incentive, "apart from the expected value and not paid on account")
    count = len(p.instalment_months)
    lines += [
        "",
        f"{p.payment_mode.heading} ({p.payment_source}): {format_percent(p.on_account_share)} of {format_money(_planned_pot(p))} = "
        f"{format_money(p.on_account_total)}, in {count} instalment{'s' if count != 1 else ''}",
    ]
    rows = [["month", ""] + [c.code for c in p.commissioners] + ["total"]]
    for k, month in enumerate(p.instalment_months):
        rows.append(
            [str(month), month_name(s.financial_year, month)]
            + [format_money(c.instalments[k]) for c in p.commissioners]
            + [format_money(p.instalments[k])]
        )
    rows.append(["Total", ""] + [format_money(c.on_account) for c in p.commissioners] + [format_money(sum(p.instalments, ZERO))])
    lines += _table(rows, "rl" + "r" * (len(p.commissioners) + 1))
    uneven = [c.code for c in p.commissioners if len(set(c.instalments)) > 1]
    if uneven or len(set(p.instalments)) > 1:
        who = f" of {', '.join(uneven)}" if uneven else ""
        amounts = f"amounts {p.payment_mode.heading.lower()}" if p.payment_mode.in_advance else "on-account amounts"
        note = (
            f"Odd pennies: the {amounts}{who} do not split into {count} equal pennies, so the earliest months "
            "carry a penny more; the instalments add up exactly."
        )
        width = terminal_width()
        lines += ["  " + line for line in (_wrapped(note, width - 2) if width else [note])]
    checkpoints = ", ".join(str(m) for m in sorted(s.payment.checkpoints))
    months = "month" if len(s.payment.checkpoints) == 1 else "months"
    lines += ["", f"Reconciled at {months} {checkpoints} (guidance ¶66): `cquin reconcile {s.file} --month N`"]
    return lines


def _held_back_text(
    parts: Sequence[HeldBackValue], commissioners: Sequence[Any], heading: str, *, outcomes: bool = False
) -> list[str]:
    """The parts held back (2017/18, 2018/19) as their own table; nothing in the other years."""
    if not parts:
        return []
    codes = [c.code for c in commissioners]
    rows = [["", "rate", "value"] + codes + (["outcome", "due to the provider"] if outcomes else [])]
    for v in parts:
        shares = dict(v.by_commissioner)
        row = [v.label, format_percent(v.part.rate), format_money(v.value)] + [format_money(shares.get(c, ZERO)) for c in codes]
        if outcomes:
            row += [v.status, format_money(v.due)]
        rows.append(row)
    total = ["Total", "", format_money(sum((v.value for v in parts), ZERO))]
    total += [format_money(sum((dict(v.by_commissioner).get(c, ZERO) for v in parts), ZERO)) for c in codes]
    if outcomes:
        total += ["", format_money(total_due(parts))]
    rows.append(total)
    align = "lrr" + "r" * len(codes) + ("lr" if outcomes else "")
    lines = ["", f"{heading} (B = {format_money(parts[0].base)})"]
    lines += _table(rows, align, wrap=(3 + len(codes),) if outcomes else ())
    sources = sorted({v.part.source for v in parts})
    lines += _sentence(f"Rates from: {'; '.join(sources)}")
    paid_words = " or ".join(f"{v.part.kind.named} {v.part.kind.paid_outcome}" for v in parts)
    lines += _sentence(f"A part is paid only once the achievement data records {paid_words}, under `held_back:`.")
    return lines


def _incentive_text(v: IncentiveValue | None, apart: str, *, outcomes: bool = False) -> list[str]:
    """A separate incentive scheme (Schedule 18 Part 3, ¶41) as its own table, ``apart`` from the pot or A(m)."""
    if v is None:
        return []
    lines = [
        "",
        f"Separate incentive scheme (Schedule 18 Part 3, guidance ¶41), {apart}",
        f"  {v.name}: {format_money(v.value)}",
    ]
    rows = [["", "", "value"] + (["outcome", "due to the provider"] if outcomes else [])]
    for g in v.goals:
        row = [f"Goal {g.number}", g.name, format_money(g.value) if g.value is not None else "no value of its own"]
        if outcomes:
            row += [g.status, format_money(g.due)]
        rows.append(row)
    if v.unattached:
        rows.append(["", "not attached to a goal", format_money(v.unattached)] + (["", format_money(ZERO)] if outcomes else []))
    rows.append(["Total", "", format_money(v.value)] + (["", format_money(v.due)] if outcomes else []))
    lines += _table(rows, "llr" + ("lr" if outcomes else ""), wrap=(1,))
    if not outcomes:
        lines += _sentence("A goal is paid only once the achievement data records it earned, under `separate_incentive:`.")
    return lines


def _incentive_document(v: IncentiveValue | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "name": v.name,
        "value": money_text(v.value),
        "goals": [
            {
                "number": g.number,
                "name": g.name,
                "value": money_text(g.value) if g.value is not None else None,
                "outcome": g.outcome,
                "recorded": g.recorded.isoformat() if g.recorded else None,
                "source": g.source or None,
                "due": money_text(g.due),
            }
            for g in v.goals
        ],
        "not_attached_to_a_goal": money_text(v.unattached),
        "due": money_text(v.due),
    }


def _held_back_document(parts: Sequence[HeldBackValue]) -> list[dict[str, Any]]:
    return [
        {
            "part": v.name,
            "label": v.label,
            "rate": format_percent(v.part.rate),
            "rate_source": v.part.source,
            "base": money_text(v.base),
            "value": money_text(v.value),
            "by_commissioner": {code: money_text(amount) for code, amount in v.by_commissioner},
            "outcome": v.outcome,
            "recorded": v.recorded.isoformat() if v.recorded else None,
            "source": v.source or None,
            "due": money_text(v.due),
            "due_by_commissioner": {code: money_text(v.due_to(code)) for code, _ in v.by_commissioner},
        }
        for v in parts
    ]


def _planned_pot(p: Price) -> Decimal:
    from cquin_cli.compute.pricing import expected_value

    return expected_value(p.scheme)


def price_text(prices: Sequence[Price]) -> str:
    return "".join(price_output((price_piece(p, "text") for p in prices), year_totals(prices), len(prices), "text"))


def price_piece(p: Price, format: str) -> str:
    """One scheme's part of ``cquin price``'s output in ``format``, made where the scheme was priced
    (a worker process), so the run streams: it keeps each scheme's text, never its records."""
    if format == "text":
        return "\n".join(_price_text_one(p))
    if format == "json":  # as it sits in the "schemes" list of the document: indented twice
        return "\n".join("    " + line for line in json.dumps(price_document(p), indent=2, ensure_ascii=False).split("\n"))
    return _csv_body(PRICE_CSV_HEADER, _price_csv_rows(p), PRICE_CSV_NUMERIC)


def price_output(pieces: Iterable[str], totals: Sequence[YearTotal], count: int, format: str) -> Iterator[str]:
    """``cquin price``'s output, piece by piece: the schemes' pieces in order, then the totals by
    financial year; byte for byte what one document of every scheme would be."""
    if format == "json":
        yield '{\n  "schemes": [\n'
        for k, piece in enumerate(pieces):
            yield (",\n" if k else "") + piece
        documents = [
            {
                "financial_year": t.financial_year,
                "schemes": t.schemes,
                "base": money_text(t.base),
                "expected_value": money_text(t.expected_value),
                "on_account": money_text(t.on_account),
            }
            for t in totals
        ]
        yield '\n  ],\n  "totals": ' + json.dumps(documents, indent=2, ensure_ascii=False).replace("\n", "\n  ") + "\n}\n"
        return
    if format == "csv":
        yield csv_line(list(PRICE_CSV_HEADER))
        yield from pieces
        yield _csv_body(PRICE_CSV_HEADER, _year_total_csv_rows(totals), PRICE_CSV_NUMERIC)
        return
    for k, piece in enumerate(pieces):
        yield ("\n\n" + "=" * 72 + "\n\n" if k else "") + piece
    if count > 1:
        lines = ["", "=" * 72, "", f"{count} schemes, totals by financial year"]
        rows = [["year", "schemes", "base", "expected value", "on account"]]
        for t in totals:
            rows.append(
                [
                    f"Total {t.financial_year}",
                    str(t.schemes),
                    format_money(t.base),
                    format_money(t.expected_value),
                    format_money(t.on_account),
                ]
            )
        yield "\n" + "\n".join(lines + _table(rows, "lrrrr"))
    yield "\n"


def price_document(p: Price) -> dict[str, Any]:
    s = p.scheme
    cv = s.contract_value
    return {
        "file": s.file,
        "financial_year": s.financial_year,
        "provider": {"code": s.provider.code, "name": s.provider.name},
        "commissioning_route": s.commissioning_route,
        "what_if": p.what_if or None,
        "contract_value": {
            "tariff_income": money_text(cv.tariff_income),
            "non_tariff_income": money_text(cv.non_tariff_income),
            "excluded_income": money_text(cv.excluded_income),
            "planned_base": money_text(p.planned_base),
        },
        "base": money_text(p.base),
        "base_definition": base_origin(s) or None,
        "rate": format_percent(p.rate),
        "rate_source": rate_origin(s),
        "expected_value": money_text(p.expected_value),
        "goals": [
            {
                "number": g.number,
                "name": g.name,
                "domain": g.domain,
                "weighting": format_percent(g.weighting),
                "expected_value": money_text(g.value),
                "indicators": [
                    {
                        "number": i.number,
                        "name": i.name,
                        "weighting": format_percent(i.weighting),
                        "expected_value": money_text(i.value),
                    }
                    for i in g.indicators
                ],
            }
            for g in p.goals
        ],
        "commissioners": [
            {
                "code": c.code,
                "name": c.name,
                "coordinating": c.coordinating,
                "share": format_percent(c.share),
                "expected_value": money_text(c.value),
                "on_account": money_text(c.on_account),
            }
            for c in p.commissioners
        ],
        "held_back": _held_back_document(p.held_back),
        "separate_incentive": _incentive_document(p.separate_incentive),
        "payment_mode": {"mode": p.payment_mode.name, "words": p.payment_mode.words, "source": p.payment_source},
        "on_account": {
            "share": format_percent(p.on_account_share),
            "total": money_text(p.on_account_total),
            "instalments": [
                {
                    "month": month,
                    "month_name": month_name(s.financial_year, month),
                    "amount": money_text(p.instalments[k]),
                    "by_commissioner": {c.code: money_text(c.instalments[k]) for c in p.commissioners},
                }
                for k, month in enumerate(p.instalment_months)
            ],
        },
        "checkpoints": sorted(s.payment.checkpoints),
    }


def price_json(prices: Sequence[Price]) -> str:
    return "".join(price_output((price_piece(p, "json") for p in prices), year_totals(prices), len(prices), "json"))


PRICE_CSV_HEADER = ("file", "financial_year", "provider", "section", "code", "name", "percentage", "month", "amount")


PRICE_CSV_NUMERIC = frozenset({"amount"})


def price_csv(prices: Sequence[Price]) -> str:
    """One row per amount: contract value parts, goals, indicators, commissioners, instalments, year totals."""
    return "".join(price_output((price_piece(p, "csv") for p in prices), year_totals(prices), len(prices), "csv"))


def _csv_body(header: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Collection[str]) -> str:
    """The CSV lines of ``rows``, without the header line."""
    return _csv(header, rows, numeric)[len(csv_line(list(header))) :]


def _price_csv_rows(p: Price) -> list[list[Any]]:
    rows: list[list[Any]] = []
    s = p.scheme
    head = [s.file, s.financial_year, s.provider.code]
    cv = s.contract_value
    rows += [
        head + ["contract_value", "tariff_income", "Tariff income (incl. MFF)", "", "", money_text(cv.tariff_income)],
        head + ["contract_value", "non_tariff_income", "Non-tariff income", "", "", money_text(cv.non_tariff_income)],
        head + ["contract_value", "excluded_income", "Excluded income", "", "", money_text(cv.excluded_income)],
        head + ["contract_value", "planned_base", "Planned base", "", "", money_text(p.planned_base)],
        head + ["base", "", p.what_if or "Planned base", "", "", money_text(p.base)],
        head + ["expected_value", "", "Expected value", format_percent(p.rate), "", money_text(p.expected_value)],
    ]
    for g in p.goals:
        rows.append(head + ["goal", g.number, g.name, format_percent(g.weighting), "", money_text(g.value)])
        for i in g.indicators:
            rows.append(head + ["indicator", i.number, i.name, format_percent(i.weighting), "", money_text(i.value)])
    for c in p.commissioners:
        rows.append(head + ["commissioner", c.code, c.name, format_percent(c.share), "", money_text(c.value)])
    if p.separate_incentive is not None:
        sis = p.separate_incentive
        rows.append(head + ["separate_incentive", "", sis.name, "", "", money_text(sis.value)])
        for sg in sis.goals:
            if sg.value is not None:
                rows.append(head + ["separate_incentive_goal", sg.number, sg.name, "", "", money_text(sg.value)])
    for v in p.held_back:
        rows.append(head + ["held_back", v.name, v.label, format_percent(v.part.rate), "", money_text(v.value)])
        for code, amount in v.by_commissioner:
            rows.append(head + ["held_back_commissioner", code, f"{v.label}: {code}", "", "", money_text(amount)])
    rows.append(
        head
        + [
            "on_account",
            "",
            p.payment_mode.heading,
            format_percent(p.on_account_share),
            "",
            money_text(p.on_account_total),
        ]
    )
    for k, month in enumerate(p.instalment_months):
        for c in p.commissioners:
            rows.append(head + ["instalment", c.code, c.name, "", month, money_text(c.instalments[k])])
        rows.append(head + ["instalment", "", "Total", "", month, money_text(p.instalments[k])])
    return rows


def _year_total_csv_rows(totals: Sequence[YearTotal]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for t in totals:
        rows.append(
            [
                "",
                t.financial_year,
                "",
                "year_total",
                "expected_value",
                f"{t.schemes} schemes",
                "",
                "",
                money_text(t.expected_value),
            ]
        )
        rows.append(
            ["", t.financial_year, "", "year_total", "on_account", f"{t.schemes} schemes", "", "", money_text(t.on_account)]
        )
    return rows


# --- reconcile ------------------------------------------------------------------------


def _measured_words(i) -> str:
    if i.rule.met_or_not:
        return "" if i.met is None else ("met" if i.met else "not met")
    return _number(i.measured)


def _commissioner_words(r: Reconciliation, part: Decimal, name: str) -> str:
    provider = r.scheme.provider.name
    if part > 0:
        return f"{name} pays {provider} {format_money(part)}"
    if part < 0:
        return f"{provider} repays {name} {format_money(-part)}"
    return "nothing to pay"


def reconciliation_text(r: Reconciliation) -> str:
    s = r.scheme
    m = r.month
    lines = [
        f"CQUIN reconciliation at month {m} ({month_name(s.financial_year, m)}): {s.provider.name} ({s.provider.code}), {s.financial_year}",
        f"Scheme: {s.file}",
        f"Achievement data: {r.achievement_file or '(none)'}",
        "",
    ]
    rows = [
        [f"Base B({m})", format_money(r.base), r.base_source],
        [f"Expected value at B({m})", format_money(r.pot), f"rate {format_percent(s.rate)}"],
    ]
    lines += _table(rows, "lrl", indent=0)
    lines += ["", f"Indicators at month {m}"]
    rows = [["", "", "weighting", "target", "floor", "measured", "achieved", "earned", "rule applied"]]
    for i in r.indicators:
        rows.append(
            [
                i.number,
                i.name,
                format_percent(i.weighting),
                _number(i.target),
                _number(i.floor),
                _measured_words(i),
                format_achievement(i.fraction),
                format_money(i.earned),
                i.rule_applied,
            ]
        )
    rows.append(
        [
            "Total",
            "",
            format_percent(sum((i.weighting for i in r.indicators), Decimal(0))),
            "",
            "",
            "",
            format_achievement(r.weighted_achievement),
            format_money(sum((i.earned for i in r.indicators), ZERO)),
            "sum of weighting x achieved",
        ]
    )
    lines += _table(rows, "llrrrrrrl", wrap=(8, 1))

    lines += [""]
    rows = [
        [
            f"Earned to date E({m}) = {format_money(r.pot)} x {format_achievement(r.weighted_achievement)} x {m}/12",
            format_money(r.earned),
        ]
    ]
    rows.append([f"{r.payment_mode.paid_label}, months 1-{m}", format_money(r.paid_on_account)])
    for adj in r.earlier_adjustments:
        rows.append([f"Adjustment recorded at month {adj.month}", format_money(adj.amount)])
    rows.append([f"Paid to date P({m})", format_money(r.paid)])
    if r.payment_mode.repayment_only:
        rows.append([f"Adjustment A({m}) = the lesser of 0 and E({m}) - P({m})", format_money(r.adjustment)])
    else:
        rows.append([f"Adjustment A({m}) = E({m}) - P({m})", format_money(r.adjustment)])
    lines += _table(rows, "lr", indent=0)

    lines += ["", f"{r.who_pays}:" if r.adjustment else r.who_pays]
    if r.adjustment:
        rows = []
        for c in r.commissioners:
            name = c.name + (" (coordinating)" if c.coordinating else "")
            rows.append(
                [
                    c.code,
                    name,
                    format_percent(c.share),
                    format_money(c.adjustment),
                    _commissioner_words(r, c.adjustment, c.name),
                ]
            )
        lines += _table(rows, "llrrl", wrap=(4, 1))
    lines += _held_back_text(r.held_back, r.commissioners, f"Held back, apart from A({m}): priced at B({m})", outcomes=True)
    if r.held_back and total_due(r.held_back):
        owed = "; ".join(
            f"{c.code} {c.name} {format_money(sum((v.due_to(c.code) for v in r.held_back), ZERO))}" for c in r.commissioners
        )
        lines += _sentence(f"Commissioners pay the provider for the parts held back: {owed}")
    lines += _incentive_text(r.separate_incentive, f"apart from A({m})", outcomes=True)
    if r.notes:
        lines += ["", "Notes"]
        lines += [f"  - {note}" for note in r.notes]
    return "\n".join(lines) + "\n"


def _maybe(value: Decimal | None) -> str | None:
    return None if value is None else _number(value)


def reconciliation_document(r: Reconciliation) -> dict[str, Any]:
    s = r.scheme
    recorded = None
    if r.recorded is not None:
        recorded = {
            "month": r.recorded.month,
            "amount": money_text(r.recorded.amount),
            "recorded": r.recorded.recorded.isoformat() if r.recorded.recorded else None,
        }
    return {
        "file": s.file,
        "achievement_file": r.achievement_file or None,
        "financial_year": s.financial_year,
        "provider": {"code": s.provider.code, "name": s.provider.name},
        "month": r.month,
        "month_name": month_name(s.financial_year, r.month),
        "checkpoints": list(r.checkpoints),
        "base": money_text(r.base),
        "base_source": r.base_source,
        "rate": format_percent(s.rate),
        "expected_value": money_text(r.pot),
        "on_account_share": format_percent(r.on_account_share),
        "weighted_achievement": _fraction(r.weighted_achievement),
        "indicators": [
            {
                "goal": i.goal_number,
                "number": i.number,
                "name": i.name,
                "domain": i.domain,
                "weighting": format_percent(i.weighting),
                "rule": i.rule.name,
                "direction": i.direction,
                "rule_applied": i.rule_applied,
                "target": _maybe(i.target),
                "floor": _maybe(i.floor),
                "milestone": i.milestone or None,
                "measured": _maybe(i.measured),
                "met": i.met,
                "status": i.status,
                "achieved": _fraction(i.fraction),
                "achieved_exact": f"{i.exact_fraction.numerator}/{i.exact_fraction.denominator}",
                "earned": money_text(i.earned),
            }
            for i in r.indicators
        ],
        "earned": money_text(r.earned),
        "paid_on_account": money_text(r.paid_on_account),
        "earlier_adjustments": [{"month": a.month, "amount": money_text(a.amount)} for a in r.earlier_adjustments],
        "paid": money_text(r.paid),
        "payment_mode": r.payment_mode.name,
        "difference": money_text(r.difference),
        "adjustment": money_text(r.adjustment),
        "direction": r.direction,
        "who_pays": r.who_pays,
        "commissioners": [
            {
                "code": c.code,
                "name": c.name,
                "coordinating": c.coordinating,
                "share": format_percent(c.share),
                "adjustment": money_text(c.adjustment),
            }
            for c in r.commissioners
        ],
        "held_back": _held_back_document(r.held_back),
        "held_back_due": money_text(total_due(r.held_back)),
        "separate_incentive": _incentive_document(r.separate_incentive),
        "unrecorded_checkpoints": list(r.unrecorded_checkpoints),
        "recorded": recorded,
        "notes": list(r.notes),
    }


def reconciliation_json(r: Reconciliation) -> str:
    return _json(reconciliation_document(r))


RECONCILIATION_CSV_HEADER = (
    "month",
    "section",
    "code",
    "name",
    "percentage",
    "rule_applied",
    "target",
    "floor",
    "measured",
    "achieved",
    "amount",
)


def reconciliation_csv(r: Reconciliation) -> str:
    """One row per indicator, then the totals E, P, A, then one row per commissioner."""
    m = r.month
    rows: list[list[Any]] = []
    for i in r.indicators:
        rows.append(
            [
                m,
                "indicator",
                i.number,
                i.name,
                format_percent(i.weighting),
                i.rule_applied,
                _number(i.target),
                _number(i.floor),
                _measured_words(i),
                _fraction(i.fraction),
                money_text(i.earned),
            ]
        )
    rows.append(
        [
            m,
            "expected_value",
            "",
            f"Expected value at {r.base_source}",
            format_percent(r.scheme.rate),
            "",
            "",
            "",
            "",
            "",
            money_text(r.pot),
        ]
    )
    rows.append(
        [m, "earned", "", f"Earned to date E({m})", "", "", "", "", "", _fraction(r.weighted_achievement), money_text(r.earned)]
    )
    rows.append(
        [
            m,
            "paid_on_account",
            "",
            f"{r.payment_mode.paid_label}, months 1-{m}",
            "",
            "",
            "",
            "",
            "",
            "",
            money_text(r.paid_on_account),
        ]
    )
    for adj in r.earlier_adjustments:
        rows.append(
            [
                m,
                "earlier_adjustment",
                str(adj.month),
                f"Adjustment recorded at month {adj.month}",
                "",
                "",
                "",
                "",
                "",
                "",
                money_text(adj.amount),
            ]
        )
    rows.append([m, "paid", "", f"Paid to date P({m})", "", "", "", "", "", "", money_text(r.paid)])
    rows.append([m, "adjustment", "", r.who_pays, "", "", "", "", "", "", money_text(r.adjustment)])
    for c in r.commissioners:
        rows.append([m, "commissioner", c.code, c.name, format_percent(c.share), "", "", "", "", "", money_text(c.adjustment)])
    for v in r.held_back:
        rows.append([m, "held_back", v.name, v.label, format_percent(v.part.rate), v.status, "", "", "", "", money_text(v.value)])
        rows.append(
            [m, "held_back_due", v.name, f"{v.label}: due to the provider", "", v.outcome, "", "", "", "", money_text(v.due)]
        )
    if r.separate_incentive is not None:
        for g in r.separate_incentive.goals:
            rows.append([m, "separate_incentive_due", g.number, g.name, "", g.status, "", "", "", "", money_text(g.due)])
    return _csv(RECONCILIATION_CSV_HEADER, rows, numeric={"month", "target", "floor", "measured", "achieved", "amount"})


__all__ = [
    "FORMATS",
    "month_name",
    "price_text",
    "price_json",
    "price_csv",
    "price_document",
    "reconciliation_text",
    "reconciliation_json",
    "reconciliation_csv",
    "reconciliation_document",
    "CARRIED_ON_ACCOUNT",
    "MISSING_AT_YEAR_END",
]
