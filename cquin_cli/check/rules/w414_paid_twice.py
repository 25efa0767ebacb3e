"""The same indicator paid by a PCT scheme and a specialised commissioning group scheme.

Seed 002: the specialised commissioning groups agree separate CQUIN schemes for the
services they commission, and the Department of Health wanted "close co-operation
between the specialised commissioning groups and their PCTs so that targets were not
duplicated". One provider paid twice for the same improvement is duplication.

Across all schemes linted together, for each provider and financial year, every
indicator of its PCT-led scheme is compared with every indicator of its specialised
commissioning group scheme. Two indicators are the same when their names match after
normalising (case, punctuation and spacing ignored), or when both record the same
``national_indicator``. Each side gets a finding at its indicator, naming the other.
"""

import re

from cquin_cli.check.registry import PORTFOLIO, Finding

CODE = "W414"
TITLE = "Indicator paid by both a PCT and a specialised commissioning group scheme"
SOURCE = "seed 002"
SCOPE = PORTFOLIO
LINT_ONLY = True

PASSING = """
# rnf-2010-11.yaml (commissioning_route: pct):   indicator S1 VTE risk assessment
# rnf-scg-2010-11.yaml (specialised_commissioning_group): indicator SC1 Neonatal hypothermia on admission
"""
FAILING = """
# rnf-2010-11.yaml (commissioning_route: pct):   indicator S1 VTE risk assessment
# rnf-scg-2010-11.yaml (specialised_commissioning_group): indicator SC1 VTE Risk Assessment   # W414 in both files
"""


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _same(a, b) -> str | None:
    if normalised(a.name) and normalised(a.name) == normalised(b.name):
        return "name"
    if a.national_indicator and normalised(a.national_indicator) == normalised(b.national_indicator):
        return "national indicator"
    return None


def check(schemes):
    by_provider: dict = {}
    for scheme in schemes:
        by_provider.setdefault((scheme.provider.code, scheme.financial_year), []).append(scheme)
    for (provider, year), group in by_provider.items():
        pct = [s for s in group if s.commissioning_route == "pct"]
        scg = [s for s in group if s.commissioning_route == "specialised_commissioning_group"]
        for p in pct:
            for s in scg:
                for a in p.indicators:
                    for b in s.indicators:
                        how = _same(a, b)
                        if how is None:
                            continue
                        for mine, scheme, other, other_scheme in ((a, p, b, s), (b, s, a, p)):
                            yield Finding(
                                CODE,
                                f"indicator {mine.number} ({mine.name}) has the same {how} as indicator {other.number} of the "
                                f"{'specialised commissioning group' if other_scheme is s else 'PCT-led'} scheme for provider {provider} "
                                f"in {year} ({other_scheme.file}); the provider would be paid twice for one improvement (seed 002)",
                                mine.path + ("number",),
                                file=scheme.file,
                                related=((other_scheme.file, other.path + ("number",)),),
                            )
