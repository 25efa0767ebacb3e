"""An indicator paid all or nothing, with no partial achievement anywhere in the year.

Guidance ¶69: commissioners and providers "may wish to agree in advance any
arrangements for recognising intermediate achievement of goals to prevent an 'all or
nothing' approach to payment". An indicator on the ``all_or_nothing`` rule whose
milestones carry no ``floor`` either pays everything or nothing: a provider that falls
just short of the threshold earns nothing for the improvement it made, and one that is
clearly going to miss has no reason to keep trying.

Indicators paid on the ``milestone`` rule (an innovation or data-collection milestone,
met or not met, guidance ¶16, ¶61) are exempt, as are ``data_quality`` and
``innovation_milestone`` indicators: their achievement is naturally yes or no. The
finding is at the ``partial_achievement`` rule. Use ``linear`` (with a ``floor``) or
``bands``, or give the in-year milestones a floor.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.partial_achievement import ALL_OR_NOTHING

CODE = "W401"
TITLE = "All-or-nothing payment with no partial achievement"
SOURCE = "guidance ¶69"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[0].indicators[0].partial_achievement:    # S1 pays in proportion from 70 up to its target, 90
  rule: linear
  floor: 70
# X1 (goal 3) pays all or nothing in the worked example, with that warning suppressed
# and the reason written beside it (docs/lint.md).
"""
FAILING = """
goals[0].indicators[0].partial_achievement:    # S1
  rule: all_or_nothing      # W401: 89 earns nothing, 90 earns all
  floor: ~
"""

EXEMPT_KINDS = ("data_quality", "innovation_milestone")


def check(scheme):
    for indicator in scheme.indicators:
        if indicator.partial_achievement.rule is not ALL_OR_NOTHING or indicator.kind in EXEMPT_KINDS:
            continue
        if any(m.floor is not None for m in indicator.milestones):
            continue  # partial achievement is recognised in-year
        yield Finding(
            CODE,
            f"indicator {indicator.number} ({indicator.name}) pays all or nothing, with no partial achievement at any checkpoint; "
            "agree how intermediate achievement is recognised - a linear floor, bands, or milestone floors (guidance ¶69)",
            indicator.partial_achievement.path + ("rule",),
        )
