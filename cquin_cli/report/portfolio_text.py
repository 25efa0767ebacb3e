"""The portfolio report as text, Markdown or JSON (``cquin report``).

The figures come whole from :class:`cquin_cli.portfolio.aggregate.PortfolioReport`; this
module only lays them out. Text and Markdown share one section model (a title, a few
lines, tables), so the two never disagree. JSON keeps every money amount as a string
with two decimals and every share as a string rounded half-up to two decimals, so no
digit is lost to a float and the bytes are the same on every run. Stretch comes
already rounded to two decimals (``portfolio.aggregate.rounded_stretch``) and every
format shows it as it is, never rounded again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cquin_cli.money import format_money, money_text
from cquin_cli.portfolio.aggregate import PortfolioReport, Spread

FORMATS = ("text", "markdown", "json")

_LABELS = {
    "pct": "PCT-led",
    "specialised_commissioning_group": "specialised commissioning group",
    "mental_health": "mental health",
    "independent_sector": "independent sector",
    "patient_reported_outcome": "patient-reported outcome",
    "patient_experience": "patient experience",
    "data_quality": "data collection / data quality",
    "innovation_milestone": "innovation milestone",
}


def label(key: str) -> str:
    return _LABELS.get(key, key.replace("_", " "))


def fixed(value: Decimal, places: int = 2) -> str:
    """A share, stretch or median as fixed decimals, half-up."""
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def decimal_text(value: Decimal | None, places: int = 2) -> str | None:
    """:func:`fixed`, with None staying None."""
    return None if value is None else fixed(value, places)


def percent(value: Decimal | None, places: int = 1) -> str:
    return "n/a" if value is None else f"{decimal_text(value, places)}%"


def signed_percent(value: Decimal | None) -> str:
    """A stretch figure, already rounded to two decimals by the compute stage, with its sign."""
    if value is None:
        return "n/a"
    text = fixed(value, 2)
    return f"{'+' if not text.startswith('-') and Decimal(text) != 0 else ''}{text}%"


def number(value: Decimal | None) -> str:
    """A count-like figure (a median of counts may be a half): ``4``, ``4.5``."""
    if value is None:
        return "n/a"
    return format(value.normalize(), "f") if value == value.to_integral_value() else fixed(value, 1)


def measure(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def money_or_na(value: Decimal | None) -> str:
    return "n/a" if value is None else format_money(value)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


# --- the section model ------------------------------------------------------------


@dataclass(slots=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    right: frozenset[int] = frozenset()  # columns aligned right (numbers)


@dataclass(slots=True)
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def _spread_line(name: str, s: Spread, fmt) -> str:
    return f"{name}: min {fmt(s.minimum)}, median {fmt(s.median)}, max {fmt(s.maximum)}"


def _count_table(title_key: str, counts) -> Table:
    return Table(
        [title_key, "schemes" if title_key in ("year", "sector", "route") else "indicators", "share"],
        [[label(c.key), str(c.count), percent(c.share)] for c in counts],
        frozenset({1, 2}),
    )


def sections(report: PortfolioReport) -> list[Section]:
    out: list[Section] = []
    indicators = len(report.indicators)
    head = Section(
        "Portfolio report",
        [
            f"{plural(len(report.schemes), 'scheme')}, {plural(indicators, 'indicator')}, expected value {format_money(report.expected_value)}"
        ],
    )
    f = report.filters
    if f.any:
        parts = []
        if f.years:
            parts.append("year " + ", ".join(f.years))
        if f.commissioners:
            parts.append("commissioner " + ", ".join(f.commissioners))
        if f.providers:
            parts.append("provider " + ", ".join(f.providers))
        head.lines.append("Filtered to " + "; ".join(parts) + ".")
    if report.skipped_files:
        head.lines.append(
            f"{plural(len(report.skipped_files), 'scheme file')} could not be used and {'is' if len(report.skipped_files) == 1 else 'are'} left out (see the diagnostics)."
        )
    out.append(head)
    if not report.schemes:
        return out

    out.append(
        Section(
            "Schemes",
            tables=[
                Table(
                    ["scheme", "provider", "sector", "coordinating commissioner", "indicators", "expected value", "stretch"],
                    [
                        [
                            s.scheme_id,
                            s.provider_name,
                            label(s.sector),
                            s.coordinating_commissioner,
                            str(s.indicators),
                            format_money(s.expected_value),
                            signed_percent(s.stretch),
                        ]
                        for s in report.schemes
                    ],
                    frozenset({4, 5, 6}),
                )
            ],
        )
    )
    out.append(
        Section(
            "Schemes per year, sector and commissioning route",
            tables=[
                _count_table("year", report.by_year),
                _count_table("sector", report.by_sector),
                _count_table("route", report.by_route),
            ],
        )
    )
    out.append(Section("Indicators per scheme", [_spread_line("indicators per scheme", report.indicators_per_scheme, number)]))
    out.append(
        Section(
            "Quality domains (guidance ¶33)",
            tables=[
                Table(
                    ["domain", "indicators", "share", "expected value", "share of money"],
                    [
                        [
                            label(d.domain),
                            str(d.indicators),
                            percent(d.indicator_share),
                            format_money(d.value),
                            percent(d.value_share),
                        ]
                        for d in report.domains
                    ],
                    frozenset({1, 2, 3, 4}),
                )
            ],
        )
    )
    out.append(Section("Indicator kinds (guidance ¶16-17, ¶56, ¶60-61)", tables=[_count_table("kind", report.kinds)]))
    out.append(Section("Provenance (guidance ¶55, ¶57)", tables=[_count_table("provenance", report.provenance)]))
    v = report.value_per_indicator
    out.append(
        Section(
            "£ per indicator (seed 004)",
            [
                f"min {money_or_na(v.minimum)}, lower quartile {money_or_na(v.lower_quartile)}, median {money_or_na(v.median)}, "
                f"upper quartile {money_or_na(v.upper_quartile)}, max {money_or_na(v.maximum)}",
                f"{v.under_min_value} of {plural(v.indicators, 'indicator')} worth less than {format_money(v.min_value)} (--min-value)",
            ],
        )
    )
    st = report.stretch
    stretch_section = Section(
        "Stretch: target against baseline (guidance ¶13, ¶26, ¶58)",
        [
            "stretch = (final - baseline) / |baseline|, positive when the target improves on the baseline in the indicator's direction",
            f"{st.with_stretch} of {plural(st.indicators, 'indicator')} have a stretch ({st.without_stretch} without a numeric baseline, final value and direction); "
            f"{st.not_stretching} not stretching (target no better than baseline)",
            _spread_line("indicators", st.indicator_spread, signed_percent),
            _spread_line("schemes (mean of their indicators)", st.scheme_spread, signed_percent),
        ],
    )
    stretched = [i for i in report.indicators if i.stretch is not None]
    if stretched:
        stretch_section.tables.append(
            Table(
                ["scheme", "indicator", "name", "direction", "baseline", "final", "stretch"],
                [
                    [
                        i.scheme_id,
                        i.number,
                        i.name,
                        i.direction or "",
                        measure(i.baseline),
                        measure(i.final),
                        signed_percent(i.stretch),
                    ]
                    for i in stretched
                ],
                frozenset({4, 5, 6}),
            )
        )
    out.append(stretch_section)
    out.append(
        _requirements_section(
            "Framework requirements met (cquin validate): share of schemes with no finding of each rule",
            report.framework_requirements,
        )
    )
    if report.lint_available and report.design_requirements:
        out.append(
            _requirements_section(
                "Design quality (cquin lint): share of schemes with no finding of each check, "
                "or only findings suppressed with a recorded reason",
                report.design_requirements,
            )
        )
    else:
        out.append(
            Section("Design quality (cquin lint)", ["no design-quality (lint) rules are registered in this version of cquin"])
        )

    challenge = Section(
        "Equivalent challenge between providers (guidance ¶71): each provider's stretch, per coordinating commissioner"
    )
    for g in report.challenge:
        spread_text = (
            f"spread {decimal_text(g.spread, 2)} points"
            if g.spread is not None
            else "nothing to compare"
            if len(g.providers) < 2
            else "spread n/a"
        )
        challenge.lines.append(
            f"{g.coordinating_commissioner} {g.coordinating_commissioner_name}, {g.financial_year}: {plural(len(g.providers), 'provider')}, {spread_text}"
        )
    if report.challenge:
        challenge.tables.append(
            Table(
                ["coordinating commissioner", "year", "provider", "name", "indicators with stretch", "stretch"],
                [
                    [
                        g.coordinating_commissioner,
                        g.financial_year,
                        p.provider_code,
                        p.provider_name,
                        str(p.indicators_with_stretch),
                        signed_percent(p.stretch),
                    ]
                    for g in report.challenge
                    for p in g.providers
                ],
                frozenset({4, 5}),
            )
        )
    out.append(challenge)

    double = Section("Same indicator paid by a PCT scheme and a specialised commissioning group scheme (seed 002)")
    if report.double_payments:
        double.tables.append(
            Table(
                ["provider", "year", "PCT scheme indicator", "£", "SCG scheme indicator", "£", "matched by"],
                [
                    [
                        d.provider_code,
                        d.financial_year,
                        f"{d.pct_indicator} {d.pct_indicator_name}",
                        format_money(d.pct_value),
                        f"{d.scg_indicator} {d.scg_indicator_name}",
                        format_money(d.scg_value),
                        d.matched_by,
                    ]
                    for d in report.double_payments
                ],
                frozenset({3, 5}),
            )
        )
    else:
        double.lines.append("none found")
    out.append(double)

    pathways = Section("Pathways across providers (guidance ¶56; seed 002)")
    if not report.pathways:
        pathways.lines.append("no indicator carries a pathway tag")
    for p in report.pathways:
        pathways.lines.append(
            f"{p.pathway}: {plural(p.providers, 'provider')}, {plural(len(p.parts), 'scheme')}, {format_money(p.value)}"
        )
    if report.pathways:
        pathways.tables.append(
            Table(
                ["pathway", "provider", "name", "sector", "year", "indicators", "expected value"],
                [
                    [
                        p.pathway,
                        part.provider_code,
                        part.provider_name,
                        label(part.sector),
                        part.financial_year,
                        ", ".join(part.indicators),
                        format_money(part.value),
                    ]
                    for p in report.pathways
                    for part in p.parts
                ],
                frozenset({6}),
            )
        )
    out.append(pathways)
    return out


def _requirements_section(title: str, requirements) -> Section:
    section = Section(title)
    rows = []
    for r in requirements:
        note = f" ({plural(r.skipped_files, 'file')} failing it could not be loaded)" if r.skipped_files else ""
        rows.append(
            [r.code, r.title + note, r.source, f"{r.schemes_meeting}/{r.schemes}", percent(r.share), str(r.schemes_suppressed)]
        )
    section.tables.append(
        Table(["code", "requirement", "source", "schemes", "share", "suppressed (reasoned)"], rows, frozenset({3, 4, 5}))
    )
    return section


# --- text and Markdown ------------------------------------------------------------


def _text_table(table: Table) -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(table.headers, *table.rows)]

    def line(cells: Sequence[str]) -> str:
        parts = [str(c).rjust(w) if i in table.right else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return ("  " + "  ".join(parts)).rstrip()

    return [line(table.headers), line(["-" * w for w in widths]), *(line(r) for r in table.rows)]


def render_text(report: PortfolioReport) -> str:
    lines: list[str] = []
    for section in sections(report):
        if lines:
            lines.append("")
        lines.append(section.title)
        lines.extend("  " + line for line in section.lines)
        for table in section.tables:
            if section.lines or table is not section.tables[0]:
                lines.append("")
            lines.extend(_text_table(table))
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table) -> list[str]:
    """A Markdown (GFM) table, numbers right-aligned, then a blank line: the one writer
    for the portfolio report and the Quality Accounts."""
    return [
        "| " + " | ".join(_md_cell(h) for h in table.headers) + " |",
        "|" + "|".join("---:" if c in table.right else "---" for c in range(len(table.headers))) + "|",
        *("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows),
        "",
    ]


def render_markdown(report: PortfolioReport) -> str:
    lines: list[str] = []
    for i, section in enumerate(sections(report)):
        lines.append(("# " if i == 0 else "## ") + section.title)
        lines.append("")
        for line in section.lines:
            lines.append(f"- {_md_cell(line)}" if len(section.lines) > 1 else _md_cell(line))
        if section.lines:
            lines.append("")
        for table in section.tables:
            lines.extend(_md_table(table))
    return "\n".join(lines).rstrip("\n") + "\n"


# --- JSON -------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_text(value)


def _spread(s: Spread) -> dict[str, Any]:
    return {"min": decimal_text(s.minimum), "median": decimal_text(s.median), "max": decimal_text(s.maximum)}


def _counts(counts) -> list[dict[str, Any]]:
    return [{"key": c.key, "count": c.count, "share": decimal_text(c.share)} for c in counts]


def _requirements(reqs) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "title": r.title,
            "source": r.source,
            "schemes_meeting": r.schemes_meeting,
            "schemes": r.schemes,
            "share": decimal_text(r.share),
            "skipped_files": r.skipped_files,
            "schemes_suppressed": r.schemes_suppressed,
        }
        for r in reqs
    ]


def report_document(report: PortfolioReport) -> dict[str, Any]:
    v = report.value_per_indicator
    st = report.stretch
    return {
        "filters": {
            "years": list(report.filters.years),
            "commissioners": list(report.filters.commissioners),
            "providers": list(report.filters.providers),
        },
        "schemes_count": len(report.schemes),
        "indicators_count": len(report.indicators),
        "expected_value": money_text(report.expected_value),
        "skipped_files": list(report.skipped_files),
        "schemes": [
            {
                "scheme_id": s.scheme_id,
                "file": s.file,
                "financial_year": s.financial_year,
                "provider": s.provider_code,
                "provider_name": s.provider_name,
                "sector": s.sector,
                "commissioning_route": s.commissioning_route,
                "coordinating_commissioner": s.coordinating_commissioner,
                "associates": list(s.associates),
                "expected_value": money_text(s.expected_value),
                "indicators": s.indicators,
                "indicators_with_stretch": s.indicators_with_stretch,
                "stretch": decimal_text(s.stretch),
            }
            for s in report.schemes
        ],
        "by_year": _counts(report.by_year),
        "by_sector": _counts(report.by_sector),
        "by_route": _counts(report.by_route),
        "indicators_per_scheme": _spread(report.indicators_per_scheme),
        "domains": [
            {
                "domain": d.domain,
                "indicators": d.indicators,
                "indicator_share": decimal_text(d.indicator_share),
                "expected_value": money_text(d.value),
                "value_share": decimal_text(d.value_share),
            }
            for d in report.domains
        ],
        "kinds": _counts(report.kinds),
        "provenance": _counts(report.provenance),
        "value_per_indicator": {
            "indicators": v.indicators,
            "min": _money(v.minimum),
            "lower_quartile": _money(v.lower_quartile),
            "median": _money(v.median),
            "upper_quartile": _money(v.upper_quartile),
            "max": _money(v.maximum),
            "min_value": money_text(v.min_value),
            "under_min_value": v.under_min_value,
        },
        "stretch": {
            "definition": "(final - baseline) / |baseline| x 100, positive when the target improves in the indicator's direction",
            "indicators": st.indicators,
            "with_stretch": st.with_stretch,
            "without_stretch": st.without_stretch,
            "not_stretching": st.not_stretching,
            "indicator_spread": _spread(st.indicator_spread),
            "scheme_spread": _spread(st.scheme_spread),
        },
        "indicators": [
            {
                "scheme_id": i.scheme_id,
                "number": i.number,
                "name": i.name,
                "domain": i.domain,
                "kind": i.kind,
                "provenance": i.provenance,
                "direction": i.direction,
                "baseline": measure(i.baseline) or None,
                "final": measure(i.final) or None,
                "weighting": format(i.weighting, "f"),
                "expected_value": money_text(i.value),
                "stretch": decimal_text(i.stretch),
                "pathway": i.pathway,
            }
            for i in report.indicators
        ],
        "framework_requirements": _requirements(report.framework_requirements),
        "lint_available": report.lint_available,
        "design_requirements": _requirements(report.design_requirements),
        "equivalent_challenge": [
            {
                "coordinating_commissioner": g.coordinating_commissioner,
                "coordinating_commissioner_name": g.coordinating_commissioner_name,
                "financial_year": g.financial_year,
                "spread": decimal_text(g.spread),
                "providers": [
                    {
                        "provider": p.provider_code,
                        "provider_name": p.provider_name,
                        "schemes": list(p.scheme_ids),
                        "indicators_with_stretch": p.indicators_with_stretch,
                        "stretch": decimal_text(p.stretch),
                    }
                    for p in g.providers
                ],
            }
            for g in report.challenge
        ],
        "double_payments": [
            {
                "provider": d.provider_code,
                "provider_name": d.provider_name,
                "financial_year": d.financial_year,
                "pct_scheme_id": d.pct_scheme_id,
                "pct_indicator": d.pct_indicator,
                "pct_indicator_name": d.pct_indicator_name,
                "pct_expected_value": money_text(d.pct_value),
                "scg_scheme_id": d.scg_scheme_id,
                "scg_indicator": d.scg_indicator,
                "scg_indicator_name": d.scg_indicator_name,
                "scg_expected_value": money_text(d.scg_value),
                "matched_by": d.matched_by,
            }
            for d in report.double_payments
        ],
        "pathways": [
            {
                "pathway": p.pathway,
                "providers": p.providers,
                "expected_value": money_text(p.value),
                "parts": [
                    {
                        "scheme_id": part.scheme_id,
                        "provider": part.provider_code,
                        "provider_name": part.provider_name,
                        "sector": part.sector,
                        "financial_year": part.financial_year,
                        "indicators": list(part.indicators),
                        "indicator_names": list(part.indicator_names),
                        "expected_value": money_text(part.value),
                    }
                    for part in p.parts
                ],
            }
            for p in report.pathways
        ],
    }


def render_json(report: PortfolioReport) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"


def render(fmt: str, report: PortfolioReport) -> str:
    return {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt](report)


# --- Quality Accounts (cquin report --achievement) --------------------------------

_STATUS = {
    "assessed": "assessed",
    "carried_on_account": "carried on account",
    "missing_at_year_end": "no measurement at year end",
    "paid_in_full": "paid in full (CQUIN suspended)",
}


def _measured(line) -> str:
    if line.met is not None:
        return "met" if line.met else "not met"
    return measure(line.measured)


def quality_sections(qa) -> list[Section]:
    from cquin_cli.money import format_percent

    head = Section(f"Quality Accounts: CQUIN achievement and money earned at month {qa.month} (guidance ¶9, ¶48, ¶80)")
    head.lines.append(f"{plural(len(qa.accounts), 'scheme')} with achievement data")
    if qa.without_data:
        head.lines.append(f"no achievement data beside {plural(len(qa.without_data), 'scheme')}: {', '.join(qa.without_data)}")
    for sid, why in qa.refused:
        head.lines.append(f"{sid}: not reconciled at month {qa.month}: {why}")
    out = [head]
    for a in qa.accounts:
        section = Section(
            f"{a.provider_code} {a.provider_name}, {a.financial_year} ({label(a.commissioning_route)})",
            [
                f"scheme {a.scheme_id}; achievement data {a.achievement_file}",
                f"expected value {format_money(a.expected_value)} at the planned base; at month {a.month}: base {format_money(a.base)} ({a.base_source}), "
                f"pot {format_money(a.pot)}",
                f"earned to date {format_money(a.earned)}; paid to date {format_money(a.paid)}; adjustment {format_money(a.adjustment, sign=True)}",
            ],
        )
        section.tables.append(
            Table(
                [
                    "goal",
                    "indicator",
                    "name",
                    "domain",
                    "weighting",
                    "expected value",
                    "target",
                    "measured",
                    "achievement",
                    "earned",
                    "status",
                ],
                [
                    [
                        line.goal_number,
                        line.number,
                        line.name,
                        label(line.domain),
                        format_percent(line.weighting),
                        format_money(line.expected_value),
                        measure(line.target) if line.target is not None else ("milestone" if line.milestone else ""),
                        _measured(line),
                        percent(line.achievement, 2),
                        format_money(line.earned),
                        _STATUS.get(line.status, line.status),
                    ]
                    for line in a.lines
                ],
                frozenset({4, 5, 6, 7, 8, 9}),
            )
        )
        if a.notes:
            section.tables.append(Table(["notes"], [[n] for n in a.notes]))
        out.append(section)
    return out


def _render_sections(section_list: list[Section], fmt: str) -> str:
    if fmt == "markdown":
        lines: list[str] = []
        for i, section in enumerate(section_list):
            lines += [("# " if i == 0 else "## ") + section.title, ""]
            lines += [f"- {_md_cell(line)}" for line in section.lines]
            if section.lines:
                lines.append("")
            for table in section.tables:
                lines.extend(_md_table(table))
        return "\n".join(lines).rstrip("\n") + "\n"
    lines = []
    for section in section_list:
        if lines:
            lines.append("")
        lines.append(section.title)
        lines.extend("  " + line for line in section.lines)
        for table in section.tables:
            lines.append("")
            lines.extend(_text_table(table))
    return "\n".join(lines) + "\n"


def quality_document(qa) -> dict[str, Any]:
    return {
        "month": qa.month,
        "filters": {
            "years": list(qa.filters.years),
            "commissioners": list(qa.filters.commissioners),
            "providers": list(qa.filters.providers),
        },
        "without_achievement_data": list(qa.without_data),
        "not_reconciled": [{"scheme_id": sid, "reason": why} for sid, why in qa.refused],
        "accounts": [
            {
                "scheme_id": a.scheme_id,
                "file": a.file,
                "achievement_file": a.achievement_file,
                "provider": a.provider_code,
                "provider_name": a.provider_name,
                "financial_year": a.financial_year,
                "commissioning_route": a.commissioning_route,
                "month": a.month,
                "expected_value": money_text(a.expected_value),
                "base": money_text(a.base),
                "base_source": a.base_source,
                "pot": money_text(a.pot),
                "earned": money_text(a.earned),
                "paid": money_text(a.paid),
                "adjustment": money_text(a.adjustment),
                "indicators": [
                    {
                        "goal": line.goal_number,
                        "number": line.number,
                        "name": line.name,
                        "domain": line.domain,
                        "weighting": format(line.weighting, "f"),
                        "expected_value": money_text(line.expected_value),
                        "target": measure(line.target) or None,
                        "milestone": line.milestone or None,
                        "measured": measure(line.measured) or None,
                        "met": line.met,
                        "status": line.status,
                        "achievement": decimal_text(line.achievement),
                        "earned": money_text(line.earned),
                    }
                    for line in a.lines
                ],
                "notes": list(a.notes),
            }
            for a in qa.accounts
        ],
    }


def render_quality_accounts(fmt: str, qa) -> str:
    if fmt == "json":
        return json.dumps(quality_document(qa), indent=2, ensure_ascii=False) + "\n"
    return _render_sections(quality_sections(qa), fmt)
