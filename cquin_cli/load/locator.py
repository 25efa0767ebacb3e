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
