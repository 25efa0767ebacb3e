"""The financial year is a real year that the rulebook knows.

cquin's rulebook (docs/rulebook.md) holds one entry per year, 2009/10 to 2024/25, each fact with
its source. A year is written ``2009/10`` (the second part is the year after the
first). A scheme for a year with no entry cannot be checked against the year's rate and
rules, so it is an error that says so and how to add the year: a local rulebook (named
by ``rulebook = "path"`` in the configuration) can give a year's facts with their
sources. Whether CQUIN ran in a known year is rule E218.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import HOW_TO_SUPPLY, rules_for
from cquin_cli.rulebook import is_financial_year, rulebook

CODE = "E214"
TITLE = "Financial year in the rulebook"
SOURCE = "docs/format.md (financial_year)"
SCOPE = SCHEME

PASSING = """
financial_year: 2009/10
"""
FAILING = """
financial_year: 2008/09      # before CQUIN began
"""


def check(scheme):
    text = scheme.financial_year
    if not is_financial_year(text):
        yield Finding(CODE, f"{text} is not a financial year; write it like 2009/10", ("financial_year",))
        return
    if rules_for(scheme) is None:
        known = list(rulebook())
        yield Finding(
            CODE,
            f"the rulebook has no entry for {text}, so its rate and rules are unknown (cquin's rulebook holds "
            f"{known[0]} to {known[-1]}); to check a scheme for {text}, give the year's `status` and `rate` in {HOW_TO_SUPPLY}",
            ("financial_year",),
        )
