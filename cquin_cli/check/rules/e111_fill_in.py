"""A stub of a new scheme, or of new achievement data, is not filled in yet.

``cquin new`` scaffolds a scheme from the rulebook (or rolls last year's forward, or
writes a scheme's achievement data for a month) with every value only the parties can
agree, or only the provider can measure, left as a stub: a text starting ``TODO`` that
says what belongs there (``name: "TODO: the provider's name"``). Until each stub is replaced, the scheme does
not validate, and each stub is one finding at its own line that names the field to fill
in. Stubs are found before the format is checked, so a stub standing where a number,
a date or a choice belongs is reported once, as a stub, not as a wrong value too.

Any text value starting with ``TODO`` counts: a negotiated scheme with a TODO in it is
not ready to sign, and achievement data with one is not ready to reconcile (a
measurement stub is named with its month: "fill in `value` of measurement S1 for
month 6").
"""

from __future__ import annotations

from cquin_cli.check.registry import SCHEMA, Finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

CODE = "E111"
TITLE = "Stub not filled in"
SOURCE = "cquin new; docs/pull-requests.md"
SCOPE = SCHEMA

PASSING = """
provider.name: Northfield Hospitals NHS Trust
"""
FAILING = """
provider.name: "TODO: the provider's name"      # fill in `name` of `provider`
"""

MARKER = "TODO"


def find_stubs(values: Any, path: tuple = ()) -> list[Finding]:
    """Every stub in a document, in document order, with what to fill in.

    Every scheme file passes through here, so it is a plain walk: a text value is judged
    where its container is walked, and the walk goes down only into mappings and lists
    (about 100 in a scheme), not into each of its 450 text values."""
    found: list[Finding] = []
    if isinstance(values, str):
        if values.startswith(MARKER):
            found.append(_stub(values, path))
    elif isinstance(values, (dict, list)):
        _walk(values, path, found)
    return found


def _walk(container: Any, path: tuple, found: list[Finding]) -> None:
    for key, value in container.items() if isinstance(container, dict) else enumerate(container):
        if isinstance(value, str):
            if value.startswith(MARKER):
                found.append(_stub(value, path + (key,)))
        elif isinstance(value, (dict, list)):
            _walk(value, path + (key,), found)


def _stub(text: str, path: tuple) -> Finding:
    return Finding(CODE, text[len(MARKER) :].lstrip(" :-").strip(), path)


def describe_stub(root: Any, finding: Finding) -> str:
    """The message: "fill in `name` of `provider`: the provider's name"."""
    from cquin_cli.check.schema import _name

    where = _name(root, tuple(finding.path))
    where += _month_of(root, tuple(finding.path))
    if MARKER in where:  # the item is named by a value that is itself a stub: use its position
        index = next((p for p in reversed(finding.path) if isinstance(p, int)), 0)
        where = where.split(f" {MARKER}")[0] + f" {index + 1}"
    return f"fill in {where}" + (f": {finding.message}" if finding.message else "")


def _month_of(root: Any, path: tuple) -> str:
    """ " for month 6" for a value of one month's measurement in achievement data (the indicator alone does not say which)."""
    if len(path) >= 2 and path[0] in ("measurements", "history") and isinstance(path[1], int):
        items = root.get(path[0]) if isinstance(root, dict) else None
        item = items[path[1]] if isinstance(items, list) and 0 <= path[1] < len(items) else None
        month = item.get("month") if isinstance(item, dict) else None
        if isinstance(month, int) and not isinstance(month, bool):
            return f" for month {month}" + (" of the baseline year" if path[0] == "history" else "")
    return ""
