"""The CQUIN rate is the year's national rate, unless a reason is recorded.

Guidance ¶38: the national rate (0.5% in 2009/10; 1.5% in 2010/11, seed 002) of the
contract base. Guidance ¶40 allows a different rate by local agreement; the scheme
must then say why in ``rate_reason`` (and gets warning W205 instead of this error).
The national rate comes from the rulebook (``cquin_cli/rulebook/rulebook.json``).
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.money import format_percent
from cquin_cli.rulebook import year

CODE = "E204"
TITLE = "Rate is the national rate"
SOURCE = "guidance ¶38, ¶40"
SCOPE = SCHEME

PASSING = """
financial_year: 2009/10
rate: 0.5%
"""
FAILING = """
financial_year: 2009/10
rate: 1%            # no rate_reason: E204
"""


def check(scheme):
    rules = year(scheme.financial_year)
    if rules is None or rules.rate is None or scheme.rate == rules.rate or scheme.rate_reason.strip():
        return
    yield Finding(
        CODE,
        f"the rate is {format_percent(scheme.rate)} but the national rate for {scheme.financial_year} is "
        f"{format_percent(rules.rate)} ({rules.source('rate')}); record the agreed reason in `rate_reason` (guidance ¶40)",
        ("rate",),
    )
