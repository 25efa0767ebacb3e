"""The CQUIN rate is the year's national rate, unless a reason is recorded.

Guidance ¶38: the national rate (0.5% in 2009/10; 1.5% in 2010/11, seed 002) of the
contract base. Guidance ¶40 allows a different rate by local agreement; the scheme
must then say why in ``rate_reason`` (and gets warning W205 instead of this error).
The national rate is the year's ``rate`` in the rulebook (cquin's, or a local one; docs/rulebook.md);
where a year's source gives only a ceiling (2015/16: up to 2.5% of contract income,
``maximum_rate``) a rate above it is the error. A year with no confirmed rate is E220.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.money import format_percent

CODE = "E204"
TITLE = "Rate is the national rate"
SOURCE = "guidance ¶38, ¶40"
SCOPE = SCHEME

PASSING = """
financial_year: 2009/10
rate: 0.5%          # the national rate for 2009/10
"""
FAILING = """
financial_year: 2009/10
rate: 1%            # not the national 0.5%, and no rate_reason: E204
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force or scheme.rate_reason.strip():
        return
    if rules.rate is not None and scheme.rate != rules.rate:
        yield Finding(
            CODE,
            f"the rate is {format_percent(scheme.rate)} but the national rate for {scheme.financial_year} is "
            f"{format_percent(rules.rate)} ({rules.source('rate')}); record the agreed reason in `rate_reason` (guidance ¶40)",
            ("rate",),
        )
    elif rules.rate is None and rules.maximum_rate is not None and scheme.rate > rules.maximum_rate:
        yield Finding(
            CODE,
            f"the rate is {format_percent(scheme.rate)} but the rate for {scheme.financial_year} is at most "
            f"{format_percent(rules.maximum_rate)} ({rules.source('maximum_rate')}); record the agreed reason in `rate_reason` (guidance ¶40)",
            ("rate",),
        )
