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
# The worked example as it is: four goals with one indicator each, four in all,
# within max_indicators (10).
"""
FAILING = """
# Goal 4's 20% shared by eight indicators, I1 and seven made from it: 11 in all,
# more than max_indicators (10). W403 at `goals`.
goals[3].indicators[0].weighting: 2.5%
goals[3].indicators[1]: {copy_of: "goals[3].indicators[0]", number: I2}
goals[3].indicators[2]: {copy_of: "goals[3].indicators[0]", number: I3}
goals[3].indicators[3]: {copy_of: "goals[3].indicators[0]", number: I4}
goals[3].indicators[4]: {copy_of: "goals[3].indicators[0]", number: I5}
goals[3].indicators[5]: {copy_of: "goals[3].indicators[0]", number: I6}
goals[3].indicators[6]: {copy_of: "goals[3].indicators[0]", number: I7}
goals[3].indicators[7]: {copy_of: "goals[3].indicators[0]", number: I8}
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
