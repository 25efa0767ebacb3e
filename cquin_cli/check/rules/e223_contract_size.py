"""The contract is large enough for CQUIN in the year (contract-size eligibility).

2022/23: CQUIN applies to trust contracts within an integrated care system (ICS), and
to other contracts with an expected annual value above £30m (``contract_value_above``,
``eligible_within_ics``); 2023/24: to contracts of £10m or more
(``contract_value_at_least``). The thresholds are the year's rulebook facts with their
sources; no source cquin ships gives one before 2022/23, so earlier years have none.
The contract's value is its base (tariff, plus non-tariff, less excluded income); a
scheme says its contract is within an ICS by naming it in ``integrated_care_system``,
which counts for an NHS provider's contract. The finding is at ``contract_value``.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import is_nhs_provider, rules_for
from cquin_cli.money import format_money

CODE = "E223"
TITLE = "Contract large enough for CQUIN in the year"
SOURCE = "docs/rulebook.md; hfma.org.uk/news/news-list/Article/guidance-issued-on-reinstating-cquin"
SCOPE = SCHEME

PASSING = """
financial_year: 2023/24      # the worked example's £200,000,000.00 contract:
rate: 1.25%                  # £10m or more
payment.on_account_share: 100%   # funded up front (E228)
"""
FAILING = """
financial_year: 2023/24
rate: 1.25%
contract_value:              # £9,500,000.00: under £10m, E223
  tariff_income: "9500000.00"
  non_tariff_income: "0.00"
  excluded_income: "0.00"
payment.on_account_share: 100%
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force:
        return
    year = scheme.financial_year
    value = scheme.contract_value.base
    above = rules.money("contract_value_above")
    if above is not None and value <= above:
        if rules.get("eligible_within_ics") and is_nhs_provider(scheme) and scheme.integrated_care_system.strip():
            return
        ics = (
            f" and to trust contracts within an integrated care system ({rules.source('eligible_within_ics')}); "
            "this contract names no integrated care system (`integrated_care_system`)"
            if rules.get("eligible_within_ics")
            else ""
        )
        yield Finding(
            CODE,
            f"the contract's value is {format_money(value)}: in {year} CQUIN applies to contracts above "
            f"{format_money(above)} ({rules.source('contract_value_above')}){ics}",
            ("contract_value",),
        )
    at_least = rules.money("contract_value_at_least")
    if at_least is not None and value < at_least:
        yield Finding(
            CODE,
            f"the contract's value is {format_money(value)}: in {year} CQUIN applies to contracts of "
            f"{format_money(at_least)} or more ({rules.source('contract_value_at_least')})",
            ("contract_value",),
        )
