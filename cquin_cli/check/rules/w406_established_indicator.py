"""No established (national or regional) indicator in the scheme.

Guidance ¶55: organisations "should particularly consider including some of the small
number of common measures"; using those common at regional and national level lets
commissioners and providers benchmark quality and makes goals "more evidence based
and clinically relevant". ¶57: established indicators with a good evidence base help
benchmarking. Seed 004 found local schemes relied on home-made indicators.

Fires when no indicator of the scheme has ``provenance: national`` or ``regional``.
The finding is at ``goals``. A scheme with no indicators at all (a quality improvement
plan) is not checked.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W406"
TITLE = "No national or regional indicator"
SOURCE = "guidance ¶55, ¶57"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[0].indicators[0].provenance: national     # S1, the national VTE indicator
"""
FAILING = """
goals[0].indicators[0].provenance: local        # W406: S1, E1 and X1 made local,
goals[1].indicators[0].provenance: local        # so every indicator is local
goals[2].indicators[0].provenance: local
"""


def check(scheme):
    indicators = scheme.indicators
    if indicators and not any(i.provenance in ("national", "regional") for i in indicators):
        yield Finding(
            CODE,
            f"none of the scheme's {len(indicators)} indicators is a national or regional one; established, common "
            "indicators allow benchmarking and are more evidence based (guidance ¶55, ¶57)",
            ("goals",),
        )
