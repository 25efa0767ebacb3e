"""The base the scheme's rate applies to is the base of its year.

The base changed era by era (docs/rulebook.md): contract value in 2009/10 and 2010/11
(guidance ¶39-40), actual outturn value in 2012/13, actual annual value in 2016/17 (all
payments under the contract in the year, excluding CQUIN and other incentive payments,
after deductions and withholdings), the fixed element of the API payment in 2022/23 and
fixed contract value in 2023/24. A scheme says which base it uses in ``base_kind``;
without it, the year's own base is meant. A year whose base no source confirms accepts
the base the scheme names.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.rulebook import BASE_KINDS

CODE = "E227"
TITLE = "Base of the year"
SOURCE = "guidance ¶39-40; docs/rulebook.md"
SCOPE = SCHEME

PASSING = """
financial_year: 2009/10
base_kind: contract_value
"""
FAILING = """
financial_year: 2009/10
base_kind: actual_annual_value     # 2009/10 prices on contract value (guidance ¶39-40): E227
"""


def check(scheme):
    if not scheme.base_kind:
        return
    rules = rules_for(scheme)
    if rules is None or not rules.base_kind or rules.base_kind == scheme.base_kind:
        return
    yield Finding(
        CODE,
        f"the base of {scheme.financial_year} is {BASE_KINDS.get(rules.base_kind, rules.base_kind)} "
        f"({rules.source('base_kind')}), but the scheme says `base_kind: {scheme.base_kind}`; "
        f"write `base_kind: {rules.base_kind}`, or leave it out to mean the year's own base",
        ("base_kind",),
    )
