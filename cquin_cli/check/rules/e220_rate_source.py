"""A rate the rulebook does not confirm names its source.

The rulebook (docs/rulebook.md): no public source cquin ships confirms the national rate of
2011/12, 2014/15 or 2017/18-2018/19 (one provider reports 2.0% for 2017-19), so cquin
does not guess one. A scheme for such a year records where its rate is written in
``rate_source`` (the year's NHS guidance and its paragraph, say), or the repository
gives the year's ``rate`` with its ``source`` in a local rulebook; cquin then names
that source wherever it uses the rate (``cquin price``, the Schedule 18 sheet). Without
either, this is the one finding the scheme gets for it.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import HOW_TO_SUPPLY, rules_for
from cquin_cli.money import format_percent

CODE = "E220"
TITLE = "Rate with its source where the rulebook confirms none"
SOURCE = "docs/rulebook.md"
SCOPE = SCHEME

PASSING = """
financial_year: 2011/12
rate: 1.5%
rate_source: The Operating Framework for the NHS in England 2011/12, paragraph 4.31
goals[0].indicators[0].national_indicator: vte-risk-assessment      # the national goals
goals[2].indicators[0].national_indicator: patient-personal-needs   # acute schemes include
"""
FAILING = """
financial_year: 2011/12
rate: 1.5%            # no source confirms the 2011/12 rate, and the scheme names none: E220
goals[0].indicators[0].national_indicator: vte-risk-assessment      # the national goals
goals[2].indicators[0].national_indicator: patient-personal-needs   # acute schemes include
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force or rules.has("rate") or rules.has("maximum_rate"):
        return
    if scheme.rate_source.strip():
        return
    yield Finding(
        CODE,
        f"cquin's rulebook has no confirmed national rate for {scheme.financial_year}, so the rate "
        f"{format_percent(scheme.rate)} has no source; record where it is written in `rate_source`, "
        f"or give the year's `rate` in {HOW_TO_SUPPLY}",
        ("rate",),
    )
