"""A national goal is worth at least its minimum value in the year.

2016/17: the national goals carry minimum values as shares of the base (actual annual
value): staff health and wellbeing at least 0.75% (three parts of 0.25%), sepsis,
physical health in severe mental illness and antimicrobial resistance at least 0.25%
each. They come from the national indicator library (``minimum_value``, with their
sources). A national goal's value, as a share of the base, is the rate times the
weightings of the indicators that name its id in ``national_indicator`` (exactly:
2.5% × 30% = 0.75%). Below the minimum is a finding at the first such indicator's
weighting.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.money import HUNDRED, format_percent
from cquin_cli.rulebook.national import library

CODE = "E226"
TITLE = "National goals worth their minimum value"
SOURCE = "docs/rulebook.md; england.nhs.uk/nhs-standard-contract/cquin/cquin-16-17/"
SCOPE = SCHEME

PASSING = """
financial_year: 2016/17
rate: 2.5%
goals[0].indicators[0]:      # S1 replaced by the national goal; 2.5% x 30% = 0.75% of the base
  name: Staff health and wellbeing
  national_indicator: staff-health-wellbeing
"""
FAILING = """
financial_year: 2016/17
rate: 2.5%
goals[2].indicators[0]:      # X1 replaced by the national goal; 2.5% x 20% = 0.5% of the base,
  name: Staff health and wellbeing      # under its minimum of 0.75%: E226
  national_indicator: staff-health-wellbeing
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force:
        return
    year = scheme.financial_year
    known = library()
    by_id: dict = {}
    for indicator in scheme.indicators:
        ident = indicator.national_indicator.strip()
        if ident in known and year in known[ident].years:
            by_id.setdefault(ident, []).append(indicator)
    for ident, indicators in by_id.items():
        minimum = known[ident].years[year].minimum_value
        if minimum is None:
            continue
        weighting = sum((i.weighting for i in indicators), start=HUNDRED - HUNDRED)
        value = scheme.rate * weighting / HUNDRED  # percentage points of the base, exact
        if value < minimum:
            yield Finding(
                CODE,
                f"the national goal {ident} is worth {format_percent(value)} of the base "
                f"({format_percent(weighting)} of a {format_percent(scheme.rate)} scheme); in {year} it is worth at least "
                f"{format_percent(minimum)} ({known[ident].years[year].source})",
                indicators[0].path + ("weighting",),
            )
