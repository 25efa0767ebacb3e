"""A goal that is not stretching: the final value is no better than the baseline.

Guidance ¶13: CQUIN "is intended to encourage stretch and should be about continuous
improvement beyond the minimum"; ¶26: schemes should not focus on the "easy" options
or on "getting to average"; ¶58: goals should be "stretching and realistic". An
indicator whose final value (the payment threshold) equals its baseline, or is worse
than it in the indicator's direction, pays for standing still.

Compared: ``final.value`` against ``baseline.value``, with ``direction`` (higher or
lower is better). Indicators without both values or without a direction are left to
rule E210. The finding is at the final value.
"""

from cquin_cli.check.registry import SCHEME, Finding

CODE = "W402"
TITLE = "Target no better than baseline"
SOURCE = "guidance ¶13, ¶26, ¶58"
SCOPE = SCHEME
LINT_ONLY = True

PASSING = """
goals[0].indicators[0]:       # S1: higher is better
  direction: higher
  baseline: {period: 2008/09 Q3, value: 55}
  final: {period: 2009/10 Q4, value: 90}
"""
FAILING = """
goals[0].indicators[0]:       # S1: higher is better
  direction: higher
  baseline: {period: 2008/09 Q3, value: 91}
  final: {period: 2009/10 Q4, value: 90}      # W402: below where the provider already is
"""


def check(scheme):
    for indicator in scheme.indicators:
        if indicator.baseline is None or indicator.final is None or indicator.direction not in ("higher", "lower"):
            continue
        baseline, final = indicator.baseline.value, indicator.final.value
        if baseline is None or final is None:
            continue
        better = final > baseline if indicator.direction == "higher" else final < baseline
        if better:
            continue
        how = "the same as" if final == baseline else "worse than"
        yield Finding(
            CODE,
            f"indicator {indicator.number} ({indicator.name}): the final value {final} is {how} the baseline {baseline} "
            f"({indicator.direction} is better), so it pays for no improvement; goals should be stretching (guidance ¶13, ¶58)",
            indicator.path + ("final", "value"),
        )
