"""An indicator is measured at most once for each month.

Two values for the same indicator and month leave it unclear which one the
reconciliation should use (and the first would be used silently); a forecast outturn
given twice for one checkpoint, or a month of the baseline year's series (``history:``)
given twice, is the same problem.
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E305"
TITLE = "Measured twice for one month"
SOURCE = "docs/format.md (achievement data)"
SCOPE = ACHIEVEMENT

PASSING = """
measurements:                              # the list replaced by these two
  - {indicator: S1, month: 6, value: 62}
  - {indicator: S1, month: 9, value: 76}
"""
FAILING = """
measurements:                              # the list replaced by these two
  - {indicator: S1, month: 6, value: 62}
  - {indicator: S1, month: 6, value: 64}   # which one?
"""


def check(subject):
    for series, year, entry in (
        (subject.achievement.measurements, "", "measurement"),
        (subject.achievement.history, " of the baseline year", "history entry"),
    ):
        seen: dict[tuple[str, int], int] = {}
        for i, m in enumerate(series):
            key = (m.indicator, m.month)
            if key in seen:
                yield Finding(
                    CODE,
                    f"indicator {m.indicator} is measured twice for month {m.month}{year} (first as {entry} {seen[key] + 1})",
                    m.path + ("month",),
                )
            else:
                seen[key] = i
    months: set[int] = set()
    for f in subject.achievement.forecasts:
        if f.month in months:
            yield Finding(CODE, f"the forecast outturn for month {f.month} is given twice", f.path + ("month",))
        months.add(f.month)
