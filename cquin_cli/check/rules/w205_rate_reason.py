"""A rate other than the national one, with its reason recorded.

Guidance ¶40 lets commissioners and providers agree a different rate; the scheme
records why in ``rate_reason``. That is allowed, so it is a warning: reviewers should
see it in every pull request. Without a reason it is error E204. A year whose source
gives only a ceiling (``maximum_rate``) warns only for a rate above it.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.money import format_percent

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
    rules = rules_for(scheme)
    reason = scheme.rate_reason.strip()
    if rules is None or not rules.in_force or not reason:
        return
    if rules.rate is not None and scheme.rate != rules.rate:
        yield Finding(
            CODE,
            f"the rate is {format_percent(scheme.rate)}, not the national {format_percent(rules.rate)} for {scheme.financial_year}; reason recorded: {reason}",
            ("rate",),
        )
    elif rules.rate is None and rules.maximum_rate is not None and scheme.rate > rules.maximum_rate:
        yield Finding(
            CODE,
            f"the rate is {format_percent(scheme.rate)}, above the {scheme.financial_year} rate of at most {format_percent(rules.maximum_rate)}; reason recorded: {reason}",
            ("rate",),
        )
