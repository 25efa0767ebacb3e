"""A payment arrangement other than the default needs the agreement of all associates and the SHA.

Guidance ¶65-66: by default 90% of the expected value is paid on account in 12 equal
monthly instalments, and achievement is reconciled at months 6, 9 and 12. Any other
arrangement must record in ``payment.agreed_by`` the code of every associate
commissioner and ``SHA``. Whatever the arrangement, the last checkpoint is month 12
(the final payment rests on the year's outturn, footnote 13). In a year paid in advance
(the rulebook's ``payment_mode``, 2022/23 and 2023/24) the whole value is paid in twelve
instalments instead, as E228 checks, and no SHA's agreement is asked.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import payment_mode
from cquin_cli.money import format_percent

CODE = "E208"
TITLE = "Non-default payment arrangement agreed"
SOURCE = "guidance ¶65-66"
SCOPE = SCHEME

PASSING = """
payment:
  on_account_share: 80%
  instalments: 12
  checkpoints: [6, 12]
  agreed_by: [5NB, 5NC, SHA]      # every associate and the SHA
"""
FAILING = """
payment:
  on_account_share: 80%
  instalments: 12
  checkpoints: [6, 12]
  agreed_by: [5NB]                # Castleton PCT and the SHA have not agreed
"""


def check(scheme):
    payment = scheme.payment
    if payment.checkpoints and max(payment.checkpoints) != 12:
        yield Finding(
            CODE,
            "the last reconciliation checkpoint must be month 12: the final payment rests on the year's actual outturn",
            ("payment", "checkpoints"),
        )
    if payment.is_default or payment_mode(scheme).in_advance:
        return
    needed = [a.code for a in scheme.associates] + ["SHA"]
    missing = [code for code in needed if code not in payment.agreed_by]
    if missing:
        arrangement = (
            f"{format_percent(payment.on_account_share)} on account in {payment.instalments} instalment(s), "
            f"checkpoints {', '.join(str(m) for m in sorted(payment.checkpoints))}"
        )
        yield Finding(
            CODE,
            f"the payment arrangement ({arrangement}) is not the default of 90% in 12 instalments with checkpoints 6, 9, 12; "
            f"it needs the agreement of every associate and the SHA (guidance ¶65): missing {', '.join(missing)} in `payment.agreed_by`",
            ("payment",),
        )
