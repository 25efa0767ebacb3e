"""An outcome recorded for a part held back fits the scheme's year and the part.

In 2017/18 and 2018/19 0.5% of the contract was tied to the provider's engagement in
its sustainability and transformation partnership and 0.5% held as a risk reserve
against the system control total (cquin rules --year 2017/18 gives the sources). Each
part is paid only once the achievement data records its outcome in its ``held_back``
list: the STP engagement part ``earned`` or ``withheld``, the risk reserve ``released``
or ``withheld``, each with the date it was agreed and its source. A record for a part the
year does not hold back, an outcome that does not fit the part, or a part recorded twice
would pay money nobody agreed, so each is an error. (A part or an outcome that is none of
these words is E104, from the achievement schema.)
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding
from cquin_cli.check.year_rules import held_back_parts

CODE = "E309"
TITLE = "Outcome of a part held back"
SOURCE = "docs/rulebook.md, stp_engagement and risk_reserve (2017/18, 2018/19: S32-S36); docs/money.md"
SCOPE = ACHIEVEMENT

PASSING = """
# file: northfield-acute-2009-10.achievement.yaml
financial_year: 2017/18
held_back:
  - {part: risk_reserve, outcome: released, recorded: 2018-06-29, source: "STP board minutes, June 2018"}
---
# file: northfield-acute-2009-10.yaml
financial_year: 2017/18
rate: 1.5%
rate_source: the scheme's own figure for the goals (no source confirms the 2017/18 total)
"""
FAILING = """
# file: northfield-acute-2009-10.achievement.yaml
financial_year: 2017/18
held_back:
  - {part: risk_reserve, outcome: earned, recorded: 2018-06-29, source: STP board minutes}   # released or withheld
---
# file: northfield-acute-2009-10.yaml
financial_year: 2017/18
rate: 1.5%
rate_source: the scheme's own figure for the goals (no source confirms the 2017/18 total)
"""


def check(subject):
    scheme = subject.scheme
    parts = {p.kind.name: p for p in held_back_parts(scheme)}
    seen: set[str] = set()
    for record in subject.achievement.held_back:
        part = parts.get(record.part)
        if part is None:
            held = ", ".join(parts) if parts else "nothing"
            yield Finding(
                CODE,
                f"{scheme.financial_year} holds back {held}: there is no {record.part} to record",
                record.path + ("part",),
            )
            continue
        if record.part in seen:
            yield Finding(CODE, f"the outcome of {record.part} is recorded twice; keep the one agreed", record.path + ("part",))
        seen.add(record.part)
        if record.outcome not in part.outcomes:
            yield Finding(
                CODE,
                f"{part.kind.named} is {' or '.join(part.outcomes)}, not {record.outcome}",
                record.path + ("outcome",),
            )
