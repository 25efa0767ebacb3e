"""Every quality domain covered, in a year whose sources do not require it.

Guidance ¶33 (2009/10) asked every scheme to cover safety, effectiveness, patient
experience and innovation, and that is error E201 in the years whose rulebook entry
requires it. No source cquin ships says a later year required it, so there a scheme
without an indicator in a domain is this design warning (``cquin lint``): the domains
remain the framework's own statement of what quality is (¶33; seed 004: local schemes
rarely met the framework's design requirements). A quality improvement plan is exempt. The
finding is at ``goals`` and names the missing domains.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import rules_for
from cquin_cli.load.scheme import DOMAIN_TITLES, DOMAINS

CODE = "W415"
TITLE = "Every quality domain covered (years that do not require it)"
SOURCE = "guidance ¶33"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
financial_year: 2012/13      # the worked example's four domains, in a year that does not require them
rate: 2.5%
goals[0].indicators[0].national_indicator: nhs-safety-thermometer    # required in 2012/13
"""
FAILING = """
financial_year: 2012/13
rate: 2.5%
goals[0].indicators[0].national_indicator: nhs-safety-thermometer
goals[3].domain: effectiveness      # no innovation goal: W415 at `goals`
"""


def check(scheme):
    if scheme.scheme_kind != "full_scheme":
        return
    rules = rules_for(scheme)
    if rules is None or not rules.in_force or rules.get("four_domains_required"):
        return  # E201 (the scheme format) for the years that require it
    covered = {g.domain for g in scheme.goals if g.indicators}
    missing = [DOMAIN_TITLES[d].lower() for d in DOMAINS if d not in covered]
    if missing:
        yield Finding(
            CODE,
            f"no indicator in the {', '.join(missing)} domain{'s' if len(missing) > 1 else ''}; "
            "schemes should cover safety, effectiveness, patient experience and innovation (guidance ¶33)",
            ("goals",),
        )
