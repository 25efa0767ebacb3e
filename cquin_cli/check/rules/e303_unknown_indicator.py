"""Every measurement names an indicator of the scheme.

A measurement for an indicator number the scheme does not have (a typo, or an
indicator renumbered in negotiation) would be silently left out of the
reconciliation, and the real indicator carried on account or counted 0 instead.
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E303"
TITLE = "Unknown indicator"
SOURCE = "docs/format.md (achievement data); docs/money.md"
SCOPE = ACHIEVEMENT

PASSING = """
measurements:                              # the list replaced by this one
  - {indicator: S1, month: 6, value: 62}
"""
FAILING = """
measurements:                              # the list replaced by this one
  - {indicator: S2, month: 6, value: 62}   # the scheme has S1, E1, X1, I1
"""


def check(subject):
    numbers = [i.number for i in subject.scheme.indicators]
    for m in subject.achievement.measurements + subject.achievement.history:
        if m.indicator not in numbers:
            import difflib  # only for a finding: it costs every run 1 ms to import

            hint = difflib.get_close_matches(m.indicator, numbers, n=1)
            suggestion = f"; did you mean {hint[0]}?" if hint else f"; its indicators are {', '.join(numbers)}"
            yield Finding(CODE, f"the scheme has no indicator {m.indicator}{suggestion}", m.path + ("indicator",))
