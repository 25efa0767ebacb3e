"""A recorded adjustment adds up: earned minus paid, split by commissioner to the penny.

A(m) = E(m) - P(m), split by commissioner share so that the parts sum
exactly to the whole. A recorded adjustment whose ``earned`` and ``paid`` do not give
its ``amount``, whose commissioner parts do not add up to it, or that names a
commissioner the scheme does not have, is a ledger entry nobody can pay from.
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding
from cquin_cli.money import format_money

CODE = "E308"
TITLE = "Recorded adjustment does not add up"
SOURCE = "docs/money.md"
SCOPE = ACHIEVEMENT

PASSING = """
adjustments[0]:                          # the adjustment agreed at month 6
  month: 6
  amount: "-128700.00"
  earned: "321300.00"
  paid: "450000.00"
  by_commissioner: {5NF: "-90090.00", 5NB: "-25740.00", 5NC: "-12870.00"}   # 70%, 20%, 10%
"""
FAILING = """
adjustments[0]:                          # the adjustment agreed at month 6
  month: 6
  amount: "-128700.00"
  earned: "321300.00"
  paid: "400000.00"                      # 321300.00 - 400000.00 is not -128700.00
  by_commissioner:
    5NB: ~                               # Bramley and Castleton's shares removed,
    5NC: ~
    5NX: "-38610.00"                     # and 5NX is no commissioner of the scheme
"""


def check(subject):
    codes = [c.code for c in subject.scheme.commissioners]
    for a in subject.achievement.adjustments:
        if a.earned is not None and a.paid is not None and a.earned - a.paid != a.amount:
            yield Finding(
                CODE,
                f"the month-{a.month} adjustment is {format_money(a.amount)} but earned {format_money(a.earned)} minus paid {format_money(a.paid)} is {format_money(a.earned - a.paid)}",
                a.path + ("amount",),
            )
        if not a.by_commissioner:
            continue
        for code, _ in a.by_commissioner:
            if code not in codes:
                yield Finding(
                    CODE,
                    f"the month-{a.month} adjustment names commissioner {code}, which the scheme does not have ({', '.join(codes)})",
                    a.path + ("by_commissioner", code),
                )
        total = sum((part for _, part in a.by_commissioner), a.amount * 0)
        if total != a.amount:
            yield Finding(
                CODE,
                f"the month-{a.month} adjustment's commissioner parts add up to {format_money(total)}, not {format_money(a.amount)}",
                a.path + ("by_commissioner",),
            )
