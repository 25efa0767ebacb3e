"""How scheme values read in a contract: domains, sectors, months, milestones and rules in words."""

from __future__ import annotations

import re
from decimal import Decimal

from cquin_cli.load.scheme import DOMAIN_TITLES, SECTOR_WORDS, Indicator, Scheme
from cquin_cli.money import format_percent
from cquin_cli.partial_achievement import written

SECTORS = SECTOR_WORDS  # sector -> words (one definition, load/scheme.py)
ROUTES = {"pct": "PCT-led", "specialised_commissioning_group": "specialised commissioning group"}
SCHEME_KINDS = {"full_scheme": "full CQUIN scheme", "quality_improvement_plan": "quality improvement plan (guidance ¶45)"}
KINDS = {
    "process": "process",
    "outcome": "outcome",
    "patient_reported_outcome": "patient-reported outcome",
    "patient_experience": "patient experience",
    "data_collection": "data collection / data quality",
    "innovation_milestone": "innovation milestone",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def words(value: str, table: dict[str, str]) -> str:
    return table.get(value, value.replace("_", " "))


def sentence(text: str) -> str:
    """The first letter in capitals, the rest as written (CQUIN stays CQUIN)."""
    return text[:1].upper() + text[1:]


def domain_title(domain: str) -> str:
    return DOMAIN_TITLES.get(domain, domain.replace("_", " ").capitalize())


def calendar_month(financial_year: str, month: int, *, short: bool = False) -> str:
    """Month ``month`` of a financial year that starts in April: 2009/10 month 6 -> "September 2009"."""
    found = re.match(r"\s*(\d{4})", financial_year)
    if not found or not 1 <= month <= 12:
        return ""
    index = 3 + month - 1  # April is month 1
    year = int(found.group(1)) + index // 12
    name = _MONTHS[index % 12]
    return f"{name[:3]} {year}" if short else f"{name} {year}"


def number(value: Decimal | None) -> str:
    return "" if value is None else written(value)


def provider_line(scheme: Scheme) -> str:
    p = scheme.provider
    status = "NHS foundation trust" if p.foundation_trust else "not a foundation trust"
    return f"{p.name} ({p.code}); {words(p.sector, SECTORS)} contract; {status}"


def commissioners_line(scheme: Scheme) -> str:
    parts = []
    for c in scheme.commissioners:
        role = "coordinating commissioner" if c.coordinating else "associate"
        parts.append(f"{c.name} ({c.code}), {role}, {format_percent(c.share)}")
    return "; ".join(parts)


def direction_words(direction: str | None) -> str:
    return {"higher": "higher is better", "lower": "lower is better"}.get(direction or "", "")


def milestones_text(indicator: Indicator, financial_year: str) -> str:
    """One line per in-year milestone: month, calendar month, target and any floor or description."""
    lines = []
    for m in sorted(indicator.milestones, key=lambda m: m.month):
        when = calendar_month(financial_year, m.month)
        head = f"Month {m.month}" + (f" ({when})" if when else "")
        detail = []
        if m.target is not None:
            detail.append(f"target {number(m.target)}")
        if m.floor is not None:
            detail.append(f"floor {number(m.floor)}")
        if m.description:
            detail.append(m.description)
        lines.append(f"{head}: {'; '.join(detail) if detail else 'milestone'}")
    return "\n".join(lines) if lines else "None in year; paid on the final value"


def partial_achievement_text(indicator: Indicator) -> str:
    """The partial-achievement rule as a contract states it (its wording is the rule's own)."""
    pa = indicator.partial_achievement
    direction = direction_words(indicator.direction)
    text = pa.rule.contract_text(pa)
    if direction:
        text += f" ({direction})"
    if pa.note:
        text += f". {pa.note}"
    return text
