"""A ``national_indicator`` written as an id names an entry of the national indicator library.

The national indicator library (shipped with cquin, versioned) gives each
national CQUIN goal or indicator a stable id, e.g. ``vte-risk-assessment`` or
``staff-health-wellbeing``; a scheme names the one an indicator implements in
``national_indicator``, which is how E225 finds a year's required national goals and
E226 their minimum values. A value written like an id (lower-case words joined by
hyphens) that is no id of the library is this error, with the nearest id; any other
text is an established name (a regional indicator's, say), which is not judged here
(``cquin lint`` W414 still compares it across schemes). The finding is at the value.
"""

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.rulebook.national import library, looks_like_id

CODE = "E224"
TITLE = "National indicator id in the library"
SOURCE = "docs/rulebook.md"
SCOPE = SCHEME

PASSING = """
goals[0].indicators[0].national_indicator: vte-risk-assessment
"""
FAILING = """
goals[0].indicators[0].national_indicator: vte-risk-assesment     # no such id: did you mean vte-risk-assessment?
"""


def check(scheme):
    known = library()
    for indicator in scheme.indicators:
        value = indicator.national_indicator.strip()
        if not value or value in known or not looks_like_id(value):
            continue
        from difflib import get_close_matches

        close = get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else "; `cquin rules --year YEAR` lists the year's national goals"
        yield Finding(
            CODE,
            f"indicator {indicator.number}: {value} is not a national indicator of the library{hint}",
            indicator.path + ("national_indicator",),
        )
