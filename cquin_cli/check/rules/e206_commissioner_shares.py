"""The coordinating commissioner's and associates' shares sum to exactly 100%.

Each commissioner pays its share of the on-account instalments and of every
reconciliation adjustment (docs/money.md), so the shares must account for the whole
contract. Shares are exact percentages; each must be above 0%. Commissioner codes
must also be distinct, since adjustments are reported per commissioner.
"""

from decimal import Decimal

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.money import format_percent

CODE = "E206"
TITLE = "Commissioner shares sum to 100%"
SOURCE = "guidance ¶65"
SCOPE = SCHEME

PASSING = """
coordinating_commissioner.share: 70%
associates:
  - {code: 5NB, name: Bramley PCT, share: 20%}
  - {code: 5NC, name: Castleton PCT, share: 10%}
"""
FAILING = """
coordinating_commissioner.share: 70%
associates:
  - {code: 5NB, name: Bramley PCT, share: 20%}   # 90% in all
"""


def check(scheme):
    seen: dict[str, object] = {}
    for commissioner in scheme.commissioners:
        if commissioner.share <= 0:
            yield Finding(
                CODE,
                f"{commissioner.name} has a share of {format_percent(commissioner.share)}; a commissioner party to the contract has a positive share",
                commissioner.path + ("share",),
            )
        if commissioner.code in seen:
            yield Finding(CODE, f"commissioner code {commissioner.code} appears more than once", commissioner.path + ("code",))
        seen[commissioner.code] = commissioner
    total = sum((c.share for c in scheme.commissioners), Decimal(0))
    if total != 100:
        yield Finding(
            CODE,
            f"commissioner shares sum to {format_percent(total)}; the coordinating commissioner's and the associates' shares must sum to exactly 100%",
            ("coordinating_commissioner", "share"),
        )
