"""A process indicator with no stated link to outcomes.

Guidance ¶56: "indicators could be process or outcome measures, but where process
indicators are used there should be a clear link to quality"; ¶17: proxy measures are
acceptable when they are "known to result in improved outcomes" (scanning within three
hours after a stroke is the guidance's own example). Seed 004 found that local schemes
often paid for activity with no evidenced link to better care.

An indicator of ``kind: process`` needs ``outcome_link``: the evidence that doing the
process improves outcomes (a NICE guideline, an audit, a trial). The finding is at
the indicator.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W405"
TITLE = "Process indicator with no stated link to outcomes"
SOURCE = "guidance ¶17, ¶56"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[0].indicators[0]:           # S1, a process indicator
  kind: process
  outcome_link: Risk assessment followed by prophylaxis reduces hospital-acquired VTE (NICE CG92).
"""
FAILING = """
goals[0].indicators[0]:           # S1, a process indicator
  kind: process
  outcome_link: ~                 # W405: why does assessing risk make patients safer?
"""


def check(scheme):
    for indicator in scheme.indicators:
        if indicator.kind == "process" and not indicator.outcome_link.strip():
            yield Finding(
                CODE,
                f"indicator {indicator.number} ({indicator.name}) is a process measure with no `outcome_link`; "
                "state the evidence that it leads to better outcomes (guidance ¶56)",
                indicator.path + ("number",),
            )
