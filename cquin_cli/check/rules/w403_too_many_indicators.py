"""More indicators than a workable scheme holds.

Guidance ¶28: "there is a strong argument for keeping schemes simple", developing
practical schemes "rather than trying to cover all potential areas of quality
improvement"; ¶54: "to avoid schemes becoming over-complex and bureaucratic, it is not
expected that they would try to cover all service areas". Every indicator needs data
collection, reporting and a reconciliation line, and thin weightings dilute the
incentive (see also W404).

Option ``max_indicators`` (default 10): the most indicators a scheme may hold before
this warning. The finding is at ``goals``.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W403"
TITLE = "Too many indicators"
SOURCE = "guidance ¶28, ¶54"
SCOPE = SCHEME
LINT_ONLY = True
OPTIONS = {"max_indicators": 10}

PASSING = """
# option: max_indicators = 4
# Shown with the option max_indicators set to 4 (its default is 10): the worked
# example as it is, four goals with one indicator each, is within it.
"""
FAILING = """
# option: max_indicators = 3
# Shown with the option max_indicators set to 3 (its default is 10): the worked
# example's four indicators are one too many. W403 at `goals`.
"""


def check(scheme, options=OPTIONS):
    limit = options["max_indicators"]
    count = len(scheme.indicators)
    if count > limit:
        yield Finding(
            CODE,
            f"the scheme has {count} indicators, more than {limit}; keep schemes simple and focused (guidance ¶28, ¶54)",
            ("goals",),
        )
