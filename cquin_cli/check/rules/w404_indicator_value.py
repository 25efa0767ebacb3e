"""An indicator worth too little money to matter.

Seed 004 (the study of 337 local schemes of 2010/11) found that setting prices is part
of the technical design that schemes got wrong: money spread across many indicators
leaves each too small to change what a provider does. The indicator's expected value
is its share of the scheme's expected value at the planned base, exactly as
``cquin price`` computes it (docs/money.md: the pot split by goal weighting, then by
indicator weighting, to the penny).

Option ``minimum_value`` (default £10,000.00; write it as a whole number or a quoted
decimal, e.g. ``"7500.00"``): an indicator worth less than this is reported at its
weighting.
"""

from decimal import Decimal

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.money import format_money, format_percent, pot, split_by_goal

CODE = "W404"
TITLE = "Indicator worth too little money to matter"
SOURCE = "seed 004"
SCOPE = SCHEME
LINT_ONLY = True
OPTIONS = {"minimum_value": Decimal("10000.00")}

PASSING = """
# The worked example as it is: a planned base of £200,000,000.00 at 0.5% is
# £1,000,000.00; its smallest indicators (X1, I1: 20%) are worth £200,000.00 each.
contract_value.tariff_income: "180000000.00"
rate: 0.5%
"""
FAILING = """
contract_value:            # a planned base of £4,000,000.00: at 0.5%, £20,000.00 in all
  tariff_income: "4000000.00"
  non_tariff_income: "0.00"
  excluded_income: "0.00"
# W404 at each indicator: S1 and E1 (30%) are worth £6,000.00, X1 and I1 (20%)
# £4,000.00, less than the £10,000.00 minimum.
"""


def check(scheme, options=OPTIONS):
    minimum = Decimal(options["minimum_value"])
    expected = pot(scheme.contract_value.base, scheme.rate)
    goals = [(g.weighting, [i.weighting for i in g.indicators]) for g in scheme.goals]
    for goal, (_, values) in zip(scheme.goals, split_by_goal(expected, goals)):
        for indicator, value in zip(goal.indicators, values):
            if value < minimum:
                yield Finding(
                    CODE,
                    f"indicator {indicator.number} ({indicator.name}) is worth {format_money(value)} "
                    f"({format_percent(indicator.weighting)} of {format_money(expected)}), less than {format_money(minimum)}; "
                    "too little money to change what a provider does (seed 004)",
                    indicator.path + ("weighting",),
                )
