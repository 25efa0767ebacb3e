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

from cquin_cli.check.registry import PORTFOLIO, Finding
from cquin_cli.vocabulary import Route

CODE = "W414"
TITLE = "Indicator paid by both a PCT and a specialised commissioning group scheme"
SOURCE = "seed 002"
SCOPE = PORTFOLIO
LINT_ONLY = True

PASSING = """
# file: northfield-acute-scg-2009-10.yaml
# Beside the worked example (PCT-led), the specialised commissioning group's scheme
# for the same provider and year, with indicators of its own:
commissioning_route: specialised_commissioning_group
goals[0].indicators[0]: {number: SC1, name: Neonatal hypothermia on admission}
goals[1].indicators[0]: {number: SC2, name: Thrombectomy within 6 hours}
goals[2].indicators[0]: {number: SC3, name: Specialised services patient survey score}
goals[3].indicators[0]: {number: SC4, name: Remote monitoring roll-out}
"""
FAILING = """
# file: northfield-acute-scg-2009-10.yaml
# Beside the worked example (PCT-led), the specialised commissioning group's scheme
# for the same provider and year, paying again for VTE risk assessment:
commissioning_route: specialised_commissioning_group
goals[0].indicators[0]: {number: SC1, name: VTE Risk Assessment}       # W414 here and at S1
goals[1].indicators[0]: {number: SC2, name: Thrombectomy within 6 hours}
goals[2].indicators[0]: {number: SC3, name: Specialised services patient survey score}
goals[3].indicators[0]: {number: SC4, name: Remote monitoring roll-out}
"""


def paid_twice(schemes):
    """Each (provider, year, PCT scheme, its indicator, SCG scheme, its indicator, how) that is the same indicator.

    The one definition of "the same indicator paid twice" (seed 002): this rule and the
    regional report both use it. Providers and years in the order the schemes come."""
    by_provider: dict = {}
    for scheme in schemes:
        by_provider.setdefault((scheme.provider.code, scheme.financial_year), []).append(scheme)
    for (provider, year), group in by_provider.items():
        pct = [s for s in group if s.commissioning_route is Route.PCT]
        scg = [s for s in group if s.commissioning_route is Route.SPECIALISED_COMMISSIONING_GROUP]
        for p in pct:
            for s in scg:
                for a in p.indicators:
                    for b in s.indicators:
                        how = a.same_as(b)
                        if how is not None:
                            yield provider, year, p, a, s, b, how


def check(schemes):
    for provider, year, p, a, s, b, how in paid_twice(schemes):
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
