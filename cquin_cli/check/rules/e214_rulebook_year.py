"""The financial year is a real year that the rulebook knows, and CQUIN ran in it.

DOMAIN.md §7: the rulebook holds one entry per year, each fact with its source. A year
is written ``2009/10`` (the second part is the year after the first). A scheme for a
year with no entry cannot be checked against the year's rate and rules, so it is an
error that says so; so is a year in which CQUIN was suspended (2020/21, 2021/22).
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.rulebook import rulebook, year

CODE = "E214"
TITLE = "Financial year in the rulebook"
SOURCE = "DOMAIN.md §7"
SCOPE = SCHEME

PASSING = "financial_year: 2010/11\n"
FAILING = "financial_year: 2008/09      # before CQUIN began\n"


def check(scheme):
    text = scheme.financial_year
    first, _, second = text.partition("/")
    if not (first.isdigit() and second.isdigit() and f"{(int(first) + 1) % 100:02d}" == second):
        yield Finding(CODE, f"{text} is not a financial year; write it like 2009/10", ("financial_year",))
        return
    rules = year(text)
    if rules is None:
        known = ", ".join(rulebook())
        yield Finding(
            CODE,
            f"the rulebook has no entry for {text}, so its rate and rules are unknown; years known: {known}",
            ("financial_year",),
        )
    elif rules.suspended:
        yield Finding(CODE, f"CQUIN was suspended in {text} ({rules.source('status')})", ("financial_year",))
