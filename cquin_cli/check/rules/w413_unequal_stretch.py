"""Unequal stretch between providers of one coordinating commissioner.

Guidance ¶71: "if schemes for different providers do reflect different priorities,
indicators or goals, commissioners will want to seek roughly equivalent levels of
challenge from different providers"; ¶77: the SHA looks across schemes for fairness.

Across all schemes linted together, schemes are grouped by coordinating commissioner
(its code) and financial year. An indicator's *stretch* is the relative improvement its
final value asks for over its baseline, in its direction:
``(final - baseline) / |baseline|`` when higher is better, ``(baseline - final) /
|baseline|`` when lower is better (indicators without a baseline, a final value or a
direction, or with a zero baseline, are left out). A scheme's stretch is the plain mean
over its indicators. The regional report and the export show the same
figures. A scheme is reported when the most stretching scheme of its group
asks more than ``max_ratio`` times its stretch (or when it asks no improvement at all
while another does). Option ``max_ratio`` (default 2). The finding is at ``goals`` and
names the most stretching scheme.
"""

from decimal import ROUND_HALF_UP, Decimal

from cquin_cli.check.registry import PORTFOLIO, Finding

CODE = "W413"
TITLE = "Unequal stretch between providers"
SOURCE = "guidance ¶71, ¶77"
SCOPE = PORTFOLIO
LINT_ONLY = True
OPTIONS = {"max_ratio": Decimal(2)}

PASSING = """
# file: castleton-acute-2009-10.yaml
# Beside the worked example (coordinating commissioner 5NF, mean stretch 35.7%), a
# second provider's scheme coordinated by 5NF too: S1 from 65 to 90 and E1 from 65 to 80
# (X1 as before) is a mean stretch of 22.4%, within a ratio of 2.
provider: {code: RCA, name: Castleton General Hospital NHS Trust}
agreement.signatories[0].organisation: Castleton General Hospital NHS Trust
goals[0].indicators[0].baseline.value: 65
goals[1].indicators[0].baseline.value: 65
"""
FAILING = """
# file: castleton-acute-2009-10.yaml
# Beside the worked example (coordinating commissioner 5NF, mean stretch 35.7%), a
# second provider's scheme coordinated by 5NF too: S1 from 86 to 90 and E1 from 77 to 80
# (X1 as before) is a mean stretch of 4.7%. W413: 7.6 times less.
provider: {code: RCA, name: Castleton General Hospital NHS Trust}
agreement.signatories[0].organisation: Castleton General Hospital NHS Trust
goals[0].indicators[0].baseline.value: 86
goals[1].indicators[0].baseline.value: 77
"""


def _percent(value: Decimal) -> str:
    """A stretch (percentage points) to one decimal: 35.7%."""
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def check(schemes, options=OPTIONS):
    max_ratio = Decimal(options["max_ratio"])
    groups: dict = {}
    for scheme in schemes:
        stretch = scheme.stretch
        if stretch is not None:
            groups.setdefault((scheme.coordinating_commissioner.code, scheme.financial_year), []).append((scheme, stretch))
    for (commissioner, year), members in groups.items():
        if len(members) < 2:
            continue
        top, top_stretch = max(members, key=lambda m: (m[1], m[0].file))
        if top_stretch <= 0:
            continue
        for scheme, stretch in members:
            if scheme is top or (stretch > 0 and top_stretch <= stretch * max_ratio):
                continue
            how = (
                "asks no improvement"
                if stretch <= 0
                else f"is {(top_stretch / stretch).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} times less"
            )
            yield Finding(
                CODE,
                f"the mean stretch of {scheme.provider.name}'s indicators is {_percent(stretch)}, against {_percent(top_stretch)} for "
                f"{top.provider.name} ({top.file}); both schemes are coordinated by {commissioner} for {year} and this one {how}; "
                f"seek roughly equivalent challenge from each provider (guidance ¶71)",
                ("goals",),
                file=scheme.file,
                related=((top.file, ("goals",)),),
            )
