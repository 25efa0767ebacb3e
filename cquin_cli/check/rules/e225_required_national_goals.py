"""The year's required national goals for the provider's sector are in the scheme.

From 2010/11 the national CQUIN framework required some goals of every scheme of a
sector: in 2010/11 and 2011/12, acute schemes include VTE risk assessment and
responding to patients' personal needs; in 2012/13 every NHS-funded provider's scheme
includes the NHS Safety Thermometer. They come from the national indicator library
(``required_for``, with their sources); a year or sector for which no source says which
national goals were required has none here. A required goal is present when an
indicator names its id in ``national_indicator``. Each missing one is a finding at
``goals`` naming its id, so a reviewer can add it.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.load.scheme import SECTOR_WORDS
from cquin_cli.rulebook.national import required

CODE = "E225"
TITLE = "The year's required national goals present"
SOURCE = "docs/rulebook.md; pulsetoday.co.uk/news/nhs-structures/cquin/"
SCOPE = SCHEME

PASSING = """
financial_year: 2010/11
rate: 1.5%
goals[0].indicators[0].national_indicator: vte-risk-assessment      # the national goals
goals[2].indicators[0].national_indicator: patient-personal-needs   # acute schemes include
"""
FAILING = """
financial_year: 2010/11
rate: 1.5%
goals[2].indicators[0].national_indicator: patient-personal-needs
# no indicator names vte-risk-assessment: E225 at `goals`
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not rules.in_force:
        return
    year, sector = scheme.financial_year, scheme.provider.sector
    present = {i.national_indicator.strip() for i in scheme.indicators}
    for entry in required(year, sector):
        if entry.id in present:
            continue
        yield Finding(
            CODE,
            f"no indicator implements the national goal {entry.id} ({entry.name}), which {year} "
            f"{SECTOR_WORDS.get(sector, sector)} schemes must include ({entry.years[year].source}); "
            f"add it, naming it with `national_indicator: {entry.id}`",
            ("goals",),
        )
