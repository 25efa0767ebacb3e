"""A non-NHS provider's scheme in a year CQUIN was suspended, when such providers were paid in full.

2020/21: the CQUIN scheme was published, then suspended for the COVID-19 response; NHS
trusts' CQUIN allowance was paid inside block payments, and non-NHS providers were paid
their CQUIN in full (england.nhs.uk/nhs-standard-contract/cquin/cquin-20-21/). A
non-NHS provider's scheme for such a year (a year whose rulebook entry is ``suspended``
with ``non_nhs_paid_in_full``) is therefore not an error (an NHS provider's is E218),
but its indicators earn nothing they were not already paid: reviewers should see that.
A non-NHS provider is one of the independent sector (``provider.sector``).
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.check.year_rules import paid_in_full, rules_for

CODE = "W219"
TITLE = "CQUIN suspended: a non-NHS provider paid in full"
SOURCE = "england.nhs.uk/nhs-standard-contract/cquin/cquin-20-21/"
SCOPE = SCHEME

PASSING = """
financial_year: 2019/20
rate: 1.25%
provider.sector: independent_sector
"""
FAILING = """
financial_year: 2020/21      # suspended: a non-NHS provider was paid its CQUIN in full
provider.sector: independent_sector
"""


def check(scheme):
    rules = rules_for(scheme)
    if rules is None or not paid_in_full(scheme, rules):
        return
    yield Finding(
        CODE,
        f"CQUIN was suspended in {scheme.financial_year} ({rules.source('status')}); non-NHS providers were paid "
        f"their CQUIN in full ({rules.source('non_nhs_paid_in_full')}), so this scheme's indicators do not decide its payment: price and reconcile pay it in full",
        ("financial_year",),
    )
