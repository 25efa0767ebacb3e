"""Achievement data names the provider, financial year and route of its scheme.

The scheme key (provider, financial year, commissioning route; guidance ¶49) is
repeated at the top of the achievement file so that data copied from another trust
or another year is caught before it is paid on.
"""

from cquin_cli.check.registry import ACHIEVEMENT, Finding

CODE = "E306"
TITLE = "Achievement data for another scheme"
SOURCE = "guidance ¶49"
SCOPE = ACHIEVEMENT

PASSING = """
financial_year: 2009/10   # the scheme's year
provider: RNF             # the scheme's provider code
"""
FAILING = """
financial_year: 2010/11   # the scheme is for 2009/10
provider: RXX             # the scheme's provider is RNF
"""


def check(subject):
    a, s = subject.achievement, subject.scheme
    if a.provider != s.provider.code:
        yield Finding(
            CODE,
            f"the achievement data is for provider {a.provider} but the scheme is for {s.provider.code} ({s.provider.name})",
            ("provider",),
        )
    if a.financial_year != s.financial_year:
        yield Finding(
            CODE, f"the achievement data is for {a.financial_year} but the scheme is for {s.financial_year}", ("financial_year",)
        )
    if a.commissioning_route != s.commissioning_route:
        path = ("commissioning_route",)
        yield Finding(
            CODE,
            f"the achievement data is for the {a.commissioning_route} route but the scheme is for {s.commissioning_route}",
            path,
        )
