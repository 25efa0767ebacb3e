"""In a year paid in advance, the whole expected value is paid in twelve monthly instalments.

From 2022/23 CQUIN was paid in advance: the whole expected value in monthly instalments,
with under-achievement deducted through the variable element of the API payment (2022/23,
sources S47, S49), and in 2023/24 funded up front as if fully achieved and clawed back for
under-achievement (S50-S52). The year's ``payment_mode`` in the rulebook says so. A
scheme of such a year writes the arrangement it is paid on: ``payment.on_account_share:
100%`` in ``instalments: 12``, so that price, reconcile and the workbook show what the
provider is paid. The default of 2009/10 (90% on account, guidance ¶65) and its agreement
by the SHA (E208) do not apply there.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import payment_mode, payment_origin
from cquin_cli.money import format_percent

CODE = "E228"
TITLE = "Paid in advance in twelve instalments"
SOURCE = "docs/rulebook.md, payment_mode (2022/23: S47, S49; 2023/24: S50-S52)"
SCOPE = SCHEME

WHOLE_SHARE = 100
INSTALMENTS = 12

PASSING = """
financial_year: 2023/24
rate: 1.25%
payment.on_account_share: 100%   # funded up front: the whole value in 12 instalments
"""
FAILING = """
financial_year: 2023/24
rate: 1.25%                      # the worked example's 90% on account: E228 at `payment`
"""


def check(scheme):
    mode = payment_mode(scheme)
    if not mode.in_advance:
        return
    payment = scheme.payment
    if payment.on_account_share == WHOLE_SHARE and payment.instalments == INSTALMENTS:
        return
    said = (
        f"the scheme says {format_percent(payment.on_account_share)} in {payment.instalments} instalment(s)"
        if payment.stated
        else "the scheme has no `payment`"
    )
    yield Finding(
        CODE,
        f"{scheme.financial_year} was {mode.words} ({payment_origin(scheme)}): the whole expected value is paid "
        f"in 12 monthly instalments, but {said}; write `payment: {{on_account_share: 100%, instalments: 12}}`",
        ("payment",),
    )
