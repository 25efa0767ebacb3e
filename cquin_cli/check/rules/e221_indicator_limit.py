"""No more indicators than the year allows.

From 2019/20 the national scheme limited what a contract holds: at most five national
indicators per contract in 2019/20 (``max_national_indicators``), at most five
indicators in 2022/23 (``max_indicators``: 1.25% in five parts of 0.25%). The limits
are the year's rulebook facts, with their sources; a year without one has no limit
here (``cquin lint``'s W403 still warns of an unworkable scheme). A national indicator
is one whose ``provenance`` is national or that names a ``national_indicator``. The
finding is at ``goals``, naming the count, the limit and its source.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for

CODE = "E221"
TITLE = "No more indicators than the year allows"
SOURCE = "docs/rulebook.md; readkong.com/page/commissioning-for-quality-and-innovation-cquin-4213214"
SCOPE = SCHEME

PASSING = """
financial_year: 2019/20
rate: 1.25%
# Goal 1's 30% in three national indicators, S1 and two made from it: with E1 and X1,
# five national indicators, the most a 2019/20 contract holds.
goals[0].indicators[0].weighting: 10%
goals[0].indicators[1]: {copy_of: "goals[0].indicators[0]", number: S2, name: VTE prophylaxis given}
goals[0].indicators[2]: {copy_of: "goals[0].indicators[0]", number: S3, name: VTE discharge advice given}
"""
FAILING = """
financial_year: 2019/20
rate: 1.25%
# Goal 1's 30% in four national indicators: with E1 and X1, six. E221 at `goals`.
goals[0].indicators[0].weighting: 7.5%
goals[0].indicators[1]: {copy_of: "goals[0].indicators[0]", number: S2, name: VTE prophylaxis given}
goals[0].indicators[2]: {copy_of: "goals[0].indicators[0]", number: S3, name: VTE discharge advice given}
goals[0].indicators[3]: {copy_of: "goals[0].indicators[0]", number: S4, name: VTE root cause analyses}
"""


def is_national(indicator) -> bool:
    return indicator.provenance == "national" or bool(indicator.national_indicator.strip())


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force:
        return
    year = scheme.financial_year
    limit = rules.get("max_national_indicators")
    national = [i for i in scheme.indicators if is_national(i)]
    if limit is not None and len(national) > limit:
        yield Finding(
            CODE,
            f"the scheme has {len(national)} national indicators; in {year} a contract holds at most {limit} "
            f"({rules.source('max_national_indicators')})",
            ("goals",),
        )
    limit = rules.get("max_indicators")
    if limit is not None and len(scheme.indicators) > limit:
        yield Finding(
            CODE,
            f"the scheme has {len(scheme.indicators)} indicators; in {year} a scheme holds at most {limit} "
            f"({rules.source('max_indicators')})",
            ("goals",),
        )
