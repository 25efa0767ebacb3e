"""The label dictionary (``labels.json``): which cell text names which field.

One data file holds every label the importer knows (docs/import.md prints it), so a
template's new wording is one line of data, not code. Matching tolerates case, spacing,
punctuation and a trailing remark in brackets: see :func:`normal` and :meth:`Labels.match`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_TRAILING_BRACKET = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def normal(text: str) -> str:
    """A label as it is compared: ``"Indicator Weighting (% of CQUIN scheme available):"``
    -> ``"indicator weighting of cquin scheme available"``."""
    text = text.casefold().replace("&", " and ").replace("ization", "isation")
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class _Group:
    exact: dict[str, str]  # normalised label -> field
    prefixes: tuple[tuple[str, str], ...]  # (normalised prefix, field), longest first

    def match(self, text: str) -> str | None:
        for candidate in _candidates(text):
            if candidate in self.exact:
                return self.exact[candidate]
            for prefix, name in self.prefixes:
                if candidate == prefix or candidate.startswith(prefix + " "):
                    return name
        return None


def _candidates(text: str) -> list[str]:
    first = normal(text)
    out = [first] if first else []
    stripped = text
    while True:
        shorter = _TRAILING_BRACKET.sub("", stripped)
        if shorter == stripped or not shorter.strip():
            break
        stripped = shorter
        n = normal(stripped)
        if n and n not in out:
            out.append(n)
    return out


def _group(fields: dict[str, list[str]]) -> _Group:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for name, variants in fields.items():
        if name == "about":
            continue
        for variant in variants:
            if variant.endswith("*"):
                prefixes.append((normal(variant[:-1]), name))
            else:
                exact.setdefault(normal(variant), name)
    prefixes.sort(key=lambda p: -len(p[0]))
    return _Group(exact, tuple(prefixes))


def _glob_group(patterns: list[str]) -> re.Pattern[str]:
    """Labels with ``*``: at the end, anything may follow; in the middle, one word stands there."""
    parts = []
    for pattern in patterns:
        prefix = pattern.endswith("*")
        pieces = [normal(p) for p in (pattern[:-1] if prefix else pattern).split("*")]
        body = r" \S+ ".join(re.escape(p) for p in pieces)
        parts.append(body + (r"(?: .*)?" if prefix else ""))
    return re.compile(r"(?:" + "|".join(parts) + r")\Z")


@dataclass(frozen=True, slots=True)
class Table:
    """A kind of small table (the commissioners and their shares, the signatories...)."""

    kind: str
    fields: _Group
    needs: tuple[str, ...]
    ignore: bool
    only_after: str
    size: int  # how many fields the table has
    numbers: tuple[str, ...]  # fields whose cells hold a number in every row of the table


class Labels:
    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self.facts = _group(raw["facts"])
        self.goal = _group(raw["goal"])
        self.indicator = _group(raw["indicator"])
        self.either = _group(raw["either"])
        self._derived = _glob_group(raw["derived"]["labels"])
        self.tables = tuple(
            Table(
                kind,
                _group(spec["fields"]),
                tuple(spec["needs"]),
                bool(spec.get("ignore")),
                spec.get("only_after", ""),
                len(spec["fields"]),
                tuple(spec.get("numbers", ())),
            )
            for kind, spec in raw["tables"].items()
        )
        self.domains = _group(raw["domains"])
        self.kinds = _group(raw["kinds"])
        self.provenances = _group(raw["provenances"])
        self.directions = _group(raw["directions"])
        self._not_given = {normal(w) for w in raw["not_given"]}
        self._skip_sheets = {normal(w) for w in raw["skip_sheets"]["names"]}
        self._none = {normal(w) for w in raw["none_words"]}

    def derived(self, text: str) -> bool:
        """A figure cquin computes itself, or a line that is no part of a scheme."""
        return any(self._derived.match(c) for c in _candidates(text))

    def skipped_sheet(self, title: str) -> bool:
        """A sheet of achievement figures or instructions: no part of the scheme."""
        return normal(title) in self._skip_sheets

    def not_given(self, text: str) -> bool:
        """ "tbc", "To be agreed locally": a value the document does not give yet."""
        return normal(text) in self._not_given or text.strip() in ("?", "-", "–", "—")

    def none(self, text: str) -> bool:
        """ "No", "None", "N/A": the document says there is none."""
        return normal(text) in self._none


def _labels_text() -> str:
    try:
        with open(os.path.join(os.path.dirname(__file__), "labels.json"), encoding="utf-8") as handle:
            return handle.read()
    except OSError:  # pragma: no cover - a package that is not a folder of files
        from importlib import resources

        return resources.files(__package__).joinpath("labels.json").read_text(encoding="utf-8")


@cache
def labels() -> Labels:
    return Labels(json.loads(_labels_text()))


_SECTIONS = (
    ("facts", "The scheme as a whole", "labelled rows anywhere, or in Word a paragraph `Label: value`"),
    ("goal", "A goal", "column headings of a goal table, or labelled rows"),
    ("indicator", "An indicator", "labelled rows of an indicator's table, or column headings of one row per indicator"),
    ("either", "A goal's in a table of goals alone, else an indicator's", "column headings"),
)


def dictionary_markdown() -> str:
    """The label dictionary as docs/import.md prints it (a test keeps the two the same)."""
    raw = labels().raw
    out: list[str] = []
    for key, title, where in _SECTIONS:
        out.append(f"### {title}\n\n{where}.\n\n| field | labels |\n|---|---|")
        for name, variants in raw[key].items():
            if name == "about":
                continue
            out.append(f"| `{name}` | " + "; ".join(f"`{v}`" for v in variants) + " |")
        out.append("")
    out.append(
        "### Small tables\n\nTold apart by their column headings; a table is read when all its needed headings are there.\n"
    )
    out.append("| table | field | headings |\n|---|---|---|")
    for kind, spec in raw["tables"].items():
        for name, variants in spec["fields"].items():
            mark = " (needed)" if name in spec["needs"] else ""
            what = f"{kind} (read past)" if spec.get("ignore") else kind
            out.append(f"| {what} | `{name}`{mark} | " + "; ".join(f"`{v}`" for v in variants) + " |")
    out.append("")
    for key, title in (
        ("domains", "Quality domains"),
        ("kinds", "Kinds of indicator"),
        ("provenances", "Provenance"),
        ("directions", "Direction"),
    ):
        out.append(f"### {title}\n\n| value | words |\n|---|---|")
        for name, variants in raw[key].items():
            out.append(f"| `{name}` | " + "; ".join(f"`{v}`" for v in variants) + " |")
        out.append("")
    out.append("### Read past\n\nFigures cquin computes itself and lines that are no part of a scheme:\n")
    out.append("; ".join(f"`{v}`" for v in raw["derived"]["labels"]) + ".\n")
    out.append("### Sheets read past\n\nExcel sheets with these names are read past whole (achievement figures, instructions):\n")
    out.append("; ".join(f"`{v}`" for v in raw["skip_sheets"]["names"]) + ".\n")
    out.append('### "Not given yet"\n\nA value that is one of these becomes a TODO stub:\n')
    out.append("; ".join(f"`{v}`" for v in raw["not_given"]) + ".\n")
    out.append('### "None"\n\nFor milestones and partial achievement, these mean there are none:\n')
    out.append("; ".join(f"`{v}`" for v in raw["none_words"]) + ".\n")
    return "\n".join(out)
