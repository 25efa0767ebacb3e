"""A lineage link names an earlier year, and each earlier goal or indicator is carried on once.

A goal or indicator carried on from an earlier year's scheme says which one in its
continues key: "continues: 2009/10 goal 3", "continues: 2009/10 indicator 3.1" (the
scheme format, "Lineage across years"). cquin diff between two years pairs goals and
indicators by these links, so a link must point back in time, to a year before the
scheme's own. And one goal (or indicator) of that year is carried on by one goal (or
indicator) of this one: two claiming the same one would leave the comparison
ambiguous. A goal spanning years (guidance ¶59) continues its previous year's goal.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "E217"
TITLE = "Lineage names an earlier year, once each"
SOURCE = "guidance ¶59; docs/format.md"
SCOPE = SCHEME

PASSING = """
# The worked example carried on into its second year:
financial_year: 2010/11
rate: 1.5%                                        # the national rate for 2010/11
goals[0].continues: 2009/10 goal 1
goals[0].indicators[0].continues: 2009/10 indicator S1
goals[0].indicators[0].national_indicator: vte-risk-assessment      # the national goals
goals[2].indicators[0].national_indicator: patient-personal-needs   # of 2010/11
"""
FAILING = """
financial_year: 2010/11
rate: 1.5%
goals[0].continues: 2010/11 goal 1                # not an earlier year
goals[0].indicators[0].continues: 2009/10 indicator S1
goals[1].indicators[0].continues: 2009/10 indicator S1     # S1 carried on twice
goals[0].indicators[0].national_indicator: vte-risk-assessment
goals[2].indicators[0].national_indicator: patient-personal-needs
"""


def _year_of(link: str) -> str:
    return link.split(" ", 1)[0]


def check(scheme):
    own = scheme.financial_year
    for kind, items in (("goal", scheme.goals), ("indicator", scheme.indicators)):
        seen: dict[str, str] = {}
        for item in items:
            link = item.continues
            if not link:
                continue
            where = item.path + ("continues",)
            year = _year_of(link)
            if year[:4].isdigit() and own[:4].isdigit() and int(year[:4]) >= int(own[:4]):
                yield Finding(
                    CODE,
                    f"{kind} {item.number} continues {link}, but {year} is not a year before this scheme's {own}",
                    where,
                )
            elif link in seen:
                yield Finding(
                    CODE,
                    f"{kind} {item.number} and {kind} {seen[link]} both continue {link}; "
                    f"one {kind} of {year} is carried on by one {kind}",
                    where,
                )
            seen.setdefault(link, item.number)
