"""A stub of a new scheme is not filled in yet.

``cquin new`` scaffolds a scheme from the rulebook with every value only the parties
can agree left as a stub: a text starting ``TODO`` that says what belongs there
(``name: "TODO: the provider's name"``). Until each stub is replaced, the scheme does
not validate, and each stub is one finding at its own line that names the field to fill
in. Stubs are found before the format is checked, so a stub standing where a number,
a date or a choice belongs is reported once, as a stub, not as a wrong value too.

Any text value starting with ``TODO`` counts: a negotiated scheme with a TODO in it is
not ready to sign.
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
provider:
  code: RNF
  name: Northfield Hospitals NHS Trust
"""
FAILING = """
provider:
  code: RNF
  name: "TODO: the provider's name"      # fill in `name` of `provider`
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
    if MARKER in where:  # the item is named by a value that is itself a stub: use its position
        index = next((p for p in reversed(finding.path) if isinstance(p, int)), 0)
        where = where.split(f" {MARKER}")[0] + f" {index + 1}"
    return f"fill in {where}" + (f": {finding.message}" if finding.message else "")
