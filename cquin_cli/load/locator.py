"""Document path to (line, column): the one locator (STYLE.md §4, cfn-lint ``get_location_yaml``).

Rules and the schema check report a document path such as ``("goals", 2, "weighting")``;
this walks the values the YAML reader built and returns where that node is written. A
mapping entry is located at its key (the line a negotiator edits); a list item at the
item. When the path runs out (a missing key), the nearest existing parent is used.
"""

from __future__ import annotations

from cquin_cli.load.yaml_reader import YamlMap, YamlSeq

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Iterable
    from typing import Any


def locate(root: Any, path: Iterable[Any]) -> tuple[int, int]:
    node = root
    where = getattr(root, "mark", (1, 1))
    for step in path:
        if isinstance(node, YamlMap) and isinstance(step, str) and step in node:
            where = node.key_marks.get(step, where)
            node = node[step]
        elif isinstance(node, YamlSeq) and isinstance(step, int) and 0 <= step < len(node):
            where = node.item_marks[step]
            node = node[step]
        else:
            break
    return where


_ITEM_NAMES = {
    "goals": ("goal", "number"),
    "indicators": ("indicator", "number"),
    "associates": ("associate", "code"),
    "milestones": ("milestone for month", "month"),
    "signatories": ("signatory", "name"),
    "measurements": ("measurement", "indicator"),
    "history": ("measurement", "indicator"),
    "adjustments": ("adjustment for month", "month"),
    "bands": ("band", None),
    "forecast": ("forecast for month", "month"),
}


def describe(root: Any, path: Iterable[Any]) -> str:
    """The node at ``path`` in a negotiator's words: ``indicator S1``, ``goal 2``, ``the scheme``."""
    node = root
    words = "the scheme"
    parent_key = None
    for step in path:
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            node = node[step]
            label, key = _ITEM_NAMES.get(parent_key or "", ("item", None))
            ident = node.get(key) if isinstance(node, dict) and key else None
            words = f"{label} {ident}" if ident is not None else f"{label} {step + 1}"
        elif isinstance(step, str) and isinstance(node, dict):
            node = node.get(step)
            if step in (
                "provider",
                "contract_value",
                "payment",
                "agreement",
                "coordinating_commissioner",
                "separate_incentive_scheme",
                "outturn",
                "partial_achievement",
                "baseline",
                "final",
            ):
                words = f"`{step}`" if words == "the scheme" else f"`{step}` of {words}"
        else:
            break
        parent_key = step
    return words


_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}  # \xNN, \uNNNN, \UNNNNNNNN; any other escape is 2


def character_column(text: str, line: int, column: int, offset: int, key: object = None) -> int | None:
    """The 1-based column of character ``offset`` of the scalar starting at ``line``:``column``.

    A plain scalar's characters are its source; in a double-quoted one an escape (``\u202e``)
    is one character spelt over several columns, and the column is where the escape starts;
    in a single-quoted one ``''`` is one quote. None when the character is not on the
    scalar's first line (a block scalar, or a value folded over several lines): the
    finding then stays at the value's start. ``line``:``column`` may be the value's
    mapping ``key`` (where the locator points for a key's value): the value follows it.
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1].rstrip("\r")
    start = column - 1
    if isinstance(key, str) and source.startswith(key, start):
        after = source[start + len(key) :]
        if after.lstrip(" \t").startswith(":"):
            colon = start + len(key) + len(after) - len(after.lstrip(" \t"))
            start = colon + 1 + len(source[colon + 1 :]) - len(source[colon + 1 :].lstrip(" \t"))
    if not 0 <= start < len(source) or source[start] in "|>":
        return None
    quote = source[start]
    if quote not in "\"'":
        return start + offset + 1 if start + offset < len(source) else None
    i, n = start + 1, 0
    while i < len(source):
        c = source[i]
        if c == quote and not (quote == "'" and source[i + 1 : i + 2] == "'"):
            return None  # the value ended first
        if n == offset:
            return i + 1
        if quote == '"' and c == "\\":
            i += _ESCAPE_LENGTHS.get(source[i + 1 : i + 2], 2)
        else:
            i += 2 if quote == "'" and c == "'" else 1
        n += 1
    return None
