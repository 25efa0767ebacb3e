"""The contract base is positive: excluded income cannot exceed the income it is taken from.

Guidance ¶39-40: the CQUIN base is tariff income (including the Market Forces Factor)
plus non-tariff income, less income not financed by the English NHS. Each part is a
money amount (never negative, E105); the base they make must be above zero too, or the
expected value, every instalment and every reconciliation would be negative or nil
(money in a scheme is never negative).
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.money import format_money

CODE = "E215"
TITLE = "The contract base is positive"
SOURCE = "guidance ¶39-40; docs/format.md (values)"
SCOPE = SCHEME

PASSING = """
contract_value:
  tariff_income: "180000000.00"
  non_tariff_income: "20500000.00"
  excluded_income: "500000.00"
"""
FAILING = """
contract_value:
  tariff_income: "180000000.00"
  non_tariff_income: "20500000.00"
  excluded_income: "300000000.00"    # more than the income it is taken from
"""


def check(scheme):
    value = scheme.contract_value
    if value.base <= 0:
        yield Finding(
            CODE,
            f"the base is {format_money(value.base)}: excluded income of {format_money(value.excluded_income)} "
            f"is not less than tariff and non-tariff income of {format_money(value.tariff_income + value.non_tariff_income)} (guidance ¶39-40)",
            ("contract_value", "excluded_income"),
        )
