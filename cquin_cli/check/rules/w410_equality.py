"""No equality consideration.

Guidance ¶69: commissioners "will want to ensure that goals do not unintentionally
encourage providers to only focus on 'easy to reach' groups, whilst reducing access for
those who might be excluded"; ¶72: in finalising the scheme they "should consider
whether schemes are consistent with the need to reduce health inequalities and promote
equality".

Fires when the scheme has no ``equality`` statement and none of its indicators has
one. The finding is at the top of the scheme.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W410"
TITLE = "No equality consideration"
SOURCE = "guidance ¶69, ¶72"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
equality: >-
  Each measure is reported by age, sex and ethnicity so that any group left behind
  is seen at the quarterly clinical quality review.
"""
FAILING = """
equality: ~      # W410: neither the scheme nor any indicator says how equality is considered
"""


def check(scheme):
    if scheme.equality.strip() or any(i.equality.strip() for i in scheme.indicators):
        return
    yield Finding(
        CODE,
        "neither the scheme nor any indicator records an `equality` consideration; say how the scheme avoids rewarding a focus on "
        "easy-to-reach groups and helps reduce health inequalities (guidance ¶69, ¶72)",
        (),
    )
