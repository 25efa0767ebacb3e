"""One scheme per provider per financial year per commissioning route.

Guidance ¶49 and seed 002: commissioners agree one scheme with each provider for the
year; a specialised commissioning group agrees its own, separate scheme. Checked
across every file validated together, so pass all of a region's schemes in one call
(``cquin validate schemes/``). Each file of a clash gets a finding naming the other.
"""

from cquin_cli.check.registry import PORTFOLIO, Finding

CODE = "E203"
TITLE = "One scheme per provider, year and route"
SOURCE = "guidance ¶49; seed 002"
SCOPE = PORTFOLIO

PASSING = """
# file: northfield-acute-scg-2009-10.yaml
# Beside the worked example, the same provider and year, but the specialised
# commissioning group's own scheme:
commissioning_route: specialised_commissioning_group
"""
FAILING = """
# file: northfield-acute-2009-10-copy.yaml
# Beside the worked example, a copy of it: provider RNF, 2009/10, PCT-led, twice.
commissioning_route: pct
"""

ROUTES = {"pct": "PCT-led", "specialised_commissioning_group": "specialised commissioning group"}


def check(schemes):
    by_key: dict = {}
    for scheme in schemes:
        by_key.setdefault(scheme.key, []).append(scheme)
    for (provider, year, route), group in by_key.items():
        if len(group) < 2:
            continue
        for scheme in group:
            others = [s for s in group if s is not scheme]
            names = ", ".join(s.file for s in others)
            yield Finding(
                CODE,
                f"provider {provider} already has a {ROUTES.get(route, route)} scheme for {year} in {names}; agree one scheme per provider per year (guidance ¶49)",
                ("provider", "code"),
                file=scheme.file,
                related=tuple((s.file, ("provider", "code")) for s in others),
            )
