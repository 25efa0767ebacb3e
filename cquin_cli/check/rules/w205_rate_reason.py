"""A rate other than the national one, with its reason recorded.

Guidance ¶40 lets commissioners and providers agree a different rate; the scheme
records why in ``rate_reason``. That is allowed, so it is a warning: reviewers should
see it in every pull request. Without a reason it is error E204.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.money import format_percent
from cquin_cli.rulebook import year

CODE = "W205"
TITLE = "Rate differs from the national rate (reason recorded)"
SOURCE = "guidance ¶40"
SCOPE = SCHEME

PASSING = """
financial_year: 2009/10
rate: 0.5%
"""
FAILING = """
financial_year: 2009/10
rate: 0.75%
rate_reason: Additional 0.25% agreed for the stroke pathway redesign, funded by the PCT.
"""


def check(scheme):
    rules = year(scheme.financial_year)
    if rules is None or rules.rate is None or scheme.rate == rules.rate or not scheme.rate_reason.strip():
        return
    yield Finding(
        CODE,
        f"the rate is {format_percent(scheme.rate)}, not the national {format_percent(rules.rate)} for {scheme.financial_year}; reason recorded: {scheme.rate_reason.strip()}",
        ("rate",),
    )
