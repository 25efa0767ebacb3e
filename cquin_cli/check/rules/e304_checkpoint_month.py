"""Forecast outturn and adjustments belong to the scheme's reconciliation checkpoints.

Guidance ¶66: achievement is reconciled at the scheme's checkpoints (months 6, 9 and
12 by default). A forecast outturn base or a recorded adjustment for any other month
can never be used. The year end rests on the actual outturn (footnote 13), so a
forecast for month 12 is an error too: write it as ``outturn: actual:``.
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E304"
TITLE = "Not a checkpoint of the scheme"
SOURCE = "guidance ¶66; footnote 13"
SCOPE = ACHIEVEMENT

PASSING = """
outturn:
  forecast:
    - {month: 6, base: "204000000.00"}
    - {month: 9, base: "203000000.00"}
  actual: "202600000.00"
"""
FAILING = """
outturn:
  forecast:
    - {month: 7, base: "204000000.00"}    # the checkpoints are months 6, 9 and 12
    - {month: 12, base: "202600000.00"}   # the year end uses the actual outturn
"""


def check(subject):
    checkpoints = tuple(sorted(subject.scheme.payment.checkpoints))
    listed = ", ".join(str(c) for c in checkpoints)
    for f in subject.achievement.forecasts:
        if f.month == 12:
            yield Finding(
                CODE,
                "the year end uses the actual outturn: write it as `outturn: actual:`, not a forecast for month 12",
                f.path + ("month",),
            )
        elif f.month not in checkpoints:
            yield Finding(
                CODE,
                f"a forecast outturn for month {f.month}, which is not a checkpoint of the scheme (months {listed})",
                f.path + ("month",),
            )
    for a in subject.achievement.adjustments:
        if a.month not in checkpoints:
            yield Finding(
                CODE,
                f"an adjustment recorded for month {a.month}, which is not a checkpoint of the scheme (months {listed})",
                a.path + ("month",),
            )
