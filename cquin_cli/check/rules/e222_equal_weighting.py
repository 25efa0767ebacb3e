"""The indicators are equally weighted, in the years that say so.

2022/23: at most five indicators, equally weighted — five indicators of 0.25% each of
the 1.25% (``equally_weighted_indicators`` in the year's rulebook entry, with its
source). Each indicator's weighting must then be 100% divided by the number of
indicators. Weightings are written to the hundredth of a percentage point and sum to
exactly 100% (E202), so where the division does not end (three indicators) a weighting
counts as equal when it is within a hundredth of a point of the exact share: 33.34%,
33.33%, 33.33%. Each indicator that is not is a finding at its weighting.
"""

from decimal import Decimal
from fractions import Fraction

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.money import format_percent

CODE = "E222"
TITLE = "Indicators equally weighted where the year says so"
SOURCE = "docs/rulebook.md; hfma.org.uk/news/news-list/Article/guidance-issued-on-reinstating-cquin"
SCOPE = SCHEME

PASSING = """
financial_year: 2022/23
rate: 1.25%
# Four indicators of 25% each:
goals[0].weighting: 25%
goals[0].indicators[0].weighting: 25%
goals[1].weighting: 25%
goals[1].indicators[0].weighting: 25%
goals[2].weighting: 25%
goals[2].indicators[0].weighting: 25%
goals[3].weighting: 25%
goals[3].indicators[0].weighting: 25%
payment.on_account_share: 100%   # 2022/23 paid the whole value in advance (E228)
"""
FAILING = """
financial_year: 2022/23      # the indicators are equally weighted in 2022/23, but the
rate: 1.25%                  # worked example weights S1 and E1 30%, X1 and I1 20%: E222
payment.on_account_share: 100%
"""

TOLERANCE = Fraction(1, 100)  # a hundredth of a percentage point


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force or not rules.get("equally_weighted_indicators"):
        return
    indicators = scheme.indicators
    if not indicators:
        return
    share = Fraction(100, len(indicators))
    rounded = (Decimal(100) / len(indicators)).quantize(Decimal("0.01"))
    shown = (
        format_percent(rounded) if Fraction(rounded) == share else f"100% ÷ {len(indicators)} (about {format_percent(rounded)})"
    )
    for indicator in indicators:
        if abs(Fraction(indicator.weighting) - share) >= TOLERANCE:
            yield Finding(
                CODE,
                f"indicator {indicator.number} is weighted {format_percent(indicator.weighting)}; in "
                f"{scheme.financial_year} the indicators are equally weighted, so each of the {len(indicators)} "
                f"is {shown} of the scheme ({rules.source('equally_weighted_indicators')})",
                indicator.path + ("weighting",),
            )
