"""A quality improvement plan instead of a full scheme: only in 2009/10, and not for acute contracts.

Guidance ¶2 and ¶45-46: in 2009/10 community, mental health, ambulance (and
specialised) contracts may link the CQUIN money to an agreed quality improvement plan
as an interim stage; acute contracts must have a full CQUIN scheme (¶44); from 2010/11
every organisation has a full scheme. The sectors allowed each year come from the
rulebook (``quality_improvement_plan_sectors``); a year whose rulebook entry names
none has no such interim stage (¶46). A plan must say where it is recorded (``quality_improvement_plan``).
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.load.scheme import SECTOR_WORDS

CODE = "E207"
TITLE = "Quality improvement plan allowed"
SOURCE = "guidance ¶2, ¶44-46"
SCOPE = SCHEME

PASSING = """
provider.sector: mental_health
scheme_kind: quality_improvement_plan
quality_improvement_plan: Board-approved Quality Improvement Plan 2009/10, sections 2-4
"""
FAILING = """
provider.sector: acute
scheme_kind: quality_improvement_plan     # acute contracts must have a full scheme
quality_improvement_plan: Board-approved Quality Improvement Plan 2009/10, sections 2-4
"""


def check(scheme):
    if scheme.scheme_kind != "quality_improvement_plan":
        return
    rules = rules_for(scheme)
    if rules is None or not rules.in_force:
        return
    allowed = rules.get("quality_improvement_plan_sectors", [])
    sector = scheme.provider.sector
    if sector not in allowed:
        if not allowed:
            source = (
                rules.source("quality_improvement_plan_sectors")
                or "guidance ¶2, ¶46: from 2010/11 all organisations develop CQUIN schemes"
            )
            why = f"in {scheme.financial_year} every contract has a full CQUIN scheme ({source})"
        else:
            why = (
                f"in {scheme.financial_year} a quality improvement plan may stand in only for "
                + ", ".join(SECTOR_WORDS[s] for s in allowed)
                + f" contracts; {SECTOR_WORDS.get(sector, sector)} contracts must have a full scheme ({rules.source('quality_improvement_plan_sectors')})"
            )
        yield Finding(CODE, f"a quality improvement plan is not allowed here: {why}", ("scheme_kind",))
    elif not scheme.quality_improvement_plan.strip():
        yield Finding(
            CODE,
            "a quality improvement plan must say where the agreed plan is recorded (`quality_improvement_plan`, guidance ¶45)",
            ("scheme_kind",),
        )
