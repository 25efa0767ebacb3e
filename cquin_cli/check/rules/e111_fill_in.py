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

from typing import Any, Iterator

from cquin_cli.check.registry import SCHEMA, Finding

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


def find_stubs(values: Any, path: tuple = ()) -> Iterator[Finding]:
    """Every stub in a document, in document order, with what to fill in."""
    if isinstance(values, dict):
        for key, value in values.items():
            yield from find_stubs(value, path + (key,))
    elif isinstance(values, list):
        for at, value in enumerate(values):
            yield from find_stubs(value, path + (at,))
    elif isinstance(values, str) and values.startswith(MARKER):
        hint = values[len(MARKER):].lstrip(" :-").strip()
        yield Finding(CODE, hint, path)


def describe_stub(root: Any, finding: Finding) -> str:
    """The message: "fill in `name` of `provider`: the provider's name"."""
    from cquin_cli.check.schema import _name

    where = _name(root, tuple(finding.path))
    if MARKER in where:  # the item is named by a value that is itself a stub: use its position
        index = next((p for p in reversed(finding.path) if isinstance(p, int)), 0)
        where = where.split(f" {MARKER}")[0] + f" {index + 1}"
    return f"fill in {where}" + (f": {finding.message}" if finding.message else "")
