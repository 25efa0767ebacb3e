"""An indicator that could reward under-reporting.

Guidance ¶69: commissioners "will want to consider possibility of any perverse
incentives, for example whether goals might inadvertently discourage reporting". The
classic case is paying for fewer *reported* incidents: an organisation with a good
safety culture reports more, so the cheapest way to meet the goal is to report less.

The heuristic: an indicator with ``direction: lower`` and ``kind`` ``outcome``,
``process`` or ``data_quality`` whose ``name`` or ``numerator`` speaks of reporting
or incidents (the words *reported*, *reporting*, *report*, *reports*, *incident* or
*incidents*). Counts that do not depend on the provider's own reporting (laboratory-
confirmed infections, deaths) are not matched. Where the design guards against the
risk (for example by validating against case-note audit), say so in a suppression.
The finding is at ``direction``.
"""

import re

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W408"
TITLE = "Indicator could reward under-reporting"
SOURCE = "guidance ¶69"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[0].indicators[0]:          # S1 replaced by a count the trust reports itself
  name: Patient safety incidents reported per 1,000 bed days
  numerator: Incidents reported to the National Reporting and Learning System
  direction: higher              # a reporting culture is rewarded
  kind: process
  baseline: {period: 2008/09 Q3, value: 5}
  final: {period: 2009/10 Q4, value: 9}
  milestones: [{month: 6, target: 6}, {month: 9, target: 7}]
  partial_achievement: {rule: linear, floor: 8}
"""
FAILING = """
goals[0].indicators[0]:          # S1 replaced by a count the trust reports itself
  name: Reported medication incidents per 1,000 bed days
  numerator: Medication incidents reported on the trust's incident system
  direction: lower               # W408: fewer reports earns more
  kind: process
  baseline: {period: 2008/09 Q3, value: 9}
  final: {period: 2009/10 Q4, value: 5}
  milestones: [{month: 6, target: 8}, {month: 9, target: 7}]
  partial_achievement: {rule: linear, floor: 6}
"""

KINDS = ("outcome", "process", "data_quality")
REPORTING_WORDS = re.compile(r"\b(reported|reporting|reports?|incidents?)\b", re.IGNORECASE)


def check(scheme):
    for indicator in scheme.indicators:
        if indicator.direction != "lower" or indicator.kind not in KINDS:
            continue
        words = REPORTING_WORDS.search(f"{indicator.name}\n{indicator.numerator}")
        if words is None:
            continue
        yield Finding(
            CODE,
            f"indicator {indicator.number} ({indicator.name}) pays for a lower count of something the provider reports itself "
            f"('{words.group(0)}'); fewer reports would earn more - consider perverse incentives to under-report (guidance ¶69)",
            indicator.path + ("direction",),
        )
