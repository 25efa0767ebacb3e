"""A full CQUIN scheme has at least one indicator in each of the four quality domains, in the years that require it.

Guidance ¶33: schemes should cover safety, effectiveness (including clinical and
patient-reported outcomes), patient experience (including timeliness) and innovation.
That is the 2009/10 guidance; no source cquin ships says a later year required it, so
the rule is an error only in the years whose rulebook entry says
``four_domains_required`` (2009/10), and lint warning W415 elsewhere. It applies to a
full scheme (``scheme_kind: full_scheme``); a quality improvement plan (rule E207) is
exempt. The
finding is located at ``goals`` and names the missing domain.
"""

from cquin_cli.check.registry import SCHEMA

CODE = "E201"
TITLE = "Every quality domain has an indicator"
SOURCE = "guidance ¶33"
SCOPE = SCHEMA

PASSING = """
# The worked example as it is: goal 1 safety, goal 2 effectiveness,
# goal 3 patient experience, goal 4 innovation, each with an indicator.
goals[3].domain: innovation
"""
FAILING = """
goals[3].domain: effectiveness      # no innovation goal left: E201 at `goals`
"""
