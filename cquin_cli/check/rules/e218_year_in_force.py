"""CQUIN ran in the scheme's year: its status is in force.

A year's status is data (docs/rulebook.md). CQUIN was in force 2009/10 to 2019/20, and again
in 2022/23 and 2023/24; it was **suspended** in 2020/21 (COVID-19: NHS trusts' CQUIN
allowance was paid inside block payments), there was **no scheme** in 2021/22 (block
payments were deemed to include CQUIN), and for 2024/25 a **pause was proposed**, with
no source confirming the final decision. A scheme for a year that is not in force is an
error citing the year's source. Under a suspension that paid non-NHS providers in full
(2020/21) a non-NHS provider's scheme is warning W219 instead. A year whose status no
source confirms says so, and how a repository that knows gives it: a local rulebook
entry ``status`` with its ``source``. The other year rules stay quiet for such a year,
so the scheme gets this one finding.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import HOW_TO_SUPPLY, is_nhs_provider, rules_for
from cquin_cli.rulebook import STATUSES

CODE = "E218"
TITLE = "CQUIN in force in the year"
SOURCE = "docs/rulebook.md; england.nhs.uk/nhs-standard-contract/cquin/cquin-20-21/"
SCOPE = SCHEME

PASSING = """
financial_year: 2019/20      # CQUIN in force,
rate: 1.25%                  # at the year's national rate
"""
FAILING = """
financial_year: 2021/22      # no CQUIN scheme that year: block payments included it
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or rules.in_force:
        return
    year = scheme.financial_year
    status = rules.status
    if status == "suspended":
        if rules.get("non_nhs_paid_in_full") and not is_nhs_provider(scheme):
            return  # W219
        payment = f"; {rules.get('payment')}" if rules.has("payment") else ""
        message = f"CQUIN was suspended in {year} ({rules.source('status')}){payment}: there is no scheme to agree"
    elif status == "no_scheme":
        payment = f"; {rules.get('payment')}" if rules.has("payment") else ""
        message = f"there was no CQUIN scheme in {year} ({rules.source('status')}){payment}"
    elif status in STATUSES:  # a pause proposed, its outcome unconfirmed
        message = (
            f"CQUIN in {year}: {STATUSES[status]} ({rules.source('status')}); no source confirms that CQUIN ran, "
            f"nor its rate: if it ran, give the year's `status` (in_force) and `rate` in {HOW_TO_SUPPLY}"
        )
    else:
        message = (
            f"cquin's rulebook does not confirm that CQUIN was in force in {year}; "
            f"if it was, give `status` (in_force) in {HOW_TO_SUPPLY}"
        )
    yield Finding(CODE, message, ("financial_year",))
