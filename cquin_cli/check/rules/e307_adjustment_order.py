"""Adjustments are recorded once per checkpoint, in the order of the checkpoints.

Paid to date P(m) counts the adjustments recorded at earlier checkpoints
(docs/money.md), so the list of adjustments is a ledger: one entry per checkpoint, in month
order. An adjustment recorded twice would be paid twice; one out of order suggests a
hand edit of the ledger. ``cquin reconcile --record`` refuses to write either.
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E307"
TITLE = "Adjustments recorded out of order or twice"
SOURCE = "guidance ¶66; docs/money.md"
SCOPE = ACHIEVEMENT

PASSING = """
adjustments:                            # the list replaced by these two
  - {month: 6, amount: "-128700.00"}
  - {month: 9, amount: "154050.00"}
"""
FAILING = """
adjustments:                            # the list replaced by these three
  - {month: 9, amount: "154050.00"}
  - {month: 6, amount: "-128700.00"}    # month 6 after month 9
  - {month: 9, amount: "154050.00"}     # month 9 twice
"""


def check(subject):
    latest = 0
    seen: set[int] = set()
    for a in subject.achievement.adjustments:
        if a.month in seen:
            yield Finding(
                CODE,
                f"the adjustment for month {a.month} is recorded twice; it would be counted twice in paid to date",
                a.path + ("month",),
            )
        elif a.month < latest:
            yield Finding(
                CODE,
                f"the adjustment for month {a.month} is recorded after the one for month {latest}; adjustments are recorded in checkpoint order",
                a.path + ("month",),
            )
        seen.add(a.month)
        latest = max(latest, a.month)
