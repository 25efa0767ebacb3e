"""An indicator that duplicates a basic contractual requirement.

Seed 002: for 2010/11 the Department of Health told commissioners to be "more
ambitious and avoid duplication", and PCTs were "encouraged to avoid duplicating basic
contractual requirements in CQUIN schemes": CQUIN money is for quality beyond what the
contract already requires (guidance ¶13: "improvement beyond the minimum").

Fires for an indicator marked ``contractual_requirement: true``. The finding is at
that key.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W412"
TITLE = "Indicator duplicates a basic contractual requirement"
SOURCE = "seed 002; guidance ¶13"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[0].indicators[0].contractual_requirement: false    # S1: the contract does not already oblige it
"""
FAILING = """
goals[0].indicators[0].contractual_requirement: true     # W412: S1 already required by the contract
"""


def check(scheme):
    for indicator in scheme.indicators:
        if indicator.contractual_requirement:
            yield Finding(
                CODE,
                f"indicator {indicator.number} ({indicator.name}) restates a basic contractual requirement; CQUIN money is for "
                "improvement beyond what the contract already requires (seed 002; guidance ¶13)",
                indicator.path + ("contractual_requirement",),
            )
