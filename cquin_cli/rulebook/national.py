"""The national indicator library: national CQUIN goals and indicators by year, as versioned data.

``national_indicators.json`` beside this module gives each national goal or indicator a
stable id (``vte-risk-assessment``, ``staff-health-wellbeing``) that a scheme names in an
indicator's ``national_indicator``, the years it ran, and for each year, where a source
says so, the sectors whose schemes must include it (``required_for``) and its minimum
value as a share of the base (``minimum_value``: staff health and wellbeing at least
0.75% of actual annual value in 2016/17), each year with its sources (ids of the
rulebook's ``sources``). Only what a source confirms is there: most years' national
indicators are known by name, but the sectors that had to include them are not, so they
are required of no sector here.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from cquin_cli.money import percentage
from cquin_cli.rulebook import cite, sources

# A national_indicator written like an id: lower-case words joined by hyphens. Anything
# else is an established name (a regional indicator's, say), which the library does not judge.
ID_FORM = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class NationalYear:
    required_for: tuple[str, ...]
    minimum_value: Decimal | None  # percentage points of the base
    source: str


@dataclass(frozen=True, slots=True)
class NationalIndicator:
    id: str
    name: str
    years: dict[str, NationalYear]


def _text() -> str:
    try:
        with open(os.path.join(os.path.dirname(__file__), "national_indicators.json"), encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        from importlib import resources

        return resources.files(__package__).joinpath("national_indicators.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _document() -> dict:
    return json.loads(_text())


def version() -> str:
    return str(_document().get("version", ""))


@lru_cache(maxsize=1)
def library() -> dict[str, NationalIndicator]:
    """Every national indicator by id."""
    table = sources()
    out = {}
    for ident, entry in _document()["indicators"].items():
        years = {
            year: NationalYear(
                tuple(facts.get("required_for", ())),
                percentage(facts["minimum_value"]) if "minimum_value" in facts else None,
                cite(facts["source"], table),
            )
            for year, facts in entry["years"].items()
        }
        out[ident] = NationalIndicator(ident, entry["name"], years)
    return out


def of_year(year: str) -> list[NationalIndicator]:
    return [entry for entry in library().values() if year in entry.years]


def required(year: str, sector: str) -> list[NationalIndicator]:
    """The national indicators a ``sector`` scheme of ``year`` must include, in library order."""
    return [entry for entry in of_year(year) if sector in entry.years[year].required_for]


def looks_like_id(text: str) -> bool:
    return ID_FORM.match(text) is not None
