"""The one canonical layout of a scheme file (``cquin fmt``).

The layout is the house style of ``sample_schemes/worked-example/``:

* keys in the order of the JSON Schema's ``properties`` (``schemas/*.schema.json``), at
  every level; keys the schema does not know keep their place after the known ones;
* 2-space mapping indent, lists written ``  - item`` under their key;
* flow collections (``{period: 2008/09 Q3, value: 55}``) stay flow, block stays block;
* scalars keep their spelling, and a quoted value stays quoted, in double quotes unless
  it holds a double quote (``'0.5%'`` becomes ``"0.5%"``; ``"180000000.00"`` and ``>-``
  stay as they are); no line is re-wrapped;
* every comment is kept, and moves with the key it belongs to when keys are reordered;
* UTF-8 with no byte-order mark, ``\\n`` line ends, one final newline.

Formatting is a pure function of the file's bytes (:func:`format_bytes`), and it is
*safe*: the new text is read back with :mod:`cquin_cli.load.yaml_reader` and refused
unless it means exactly what the original meant (DOMAIN.md §8: one meaning on every
path). A file that does not parse is never touched.

How comments travel with keys. ruamel.yaml's round trip settles indentation and list
style (it keeps every comment when nothing is moved), but its comment model cannot be
trusted to move comments with reordered keys. So keys are reordered on the *text*: each
key of a block mapping owns the lines from its key line to the end of its value, plus
the comment lines just above it (its heading: the comment and blank lines that follow
the previous value, from the first one indented no deeper than the keys). Comment lines
indented deeper stay with the value they follow, the header above the first key stays
at the top, and lines after the last key stay at the end. Flow collections are kept
exactly as written. Finally the comments of the result are compared with the input's:
a comment lost is a refusal, not a silent edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from cquin_cli.load.yaml_reader import LoadError, YamlMap, YamlSeq, decode, parse_yaml

SCHEME = "scheme"
ACHIEVEMENT = "achievement"


@dataclass(frozen=True, slots=True)
class Formatted:
    """The outcome of formatting one file: the canonical text, or why there is none."""

    original: bytes
    text: str | None = None
    error: LoadError | None = None
    not_a_scheme: bool = False  # YAML that is no scheme or achievement data: left as it is

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text.encode("utf-8") != self.original


# ---------------------------------------------------------------------------
# The key order, read from the JSON Schema.


class _Shape:
    """The keys a mapping may hold, in schema order, and the shapes of their values."""

    def __init__(self, schema: dict, root: dict):
        self._schema = schema
        self._root = root

    def _resolve(self, schema: Any) -> dict:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                return {}
            target: Any = self._root
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            schema = target
            seen += 1
        return schema if isinstance(schema, dict) else {}

    @property
    def keys(self) -> list[str]:
        return list((self._resolve(self._schema).get("properties") or {}).keys())

    def child(self, key: str) -> _Shape:
        sub = (self._resolve(self._schema).get("properties") or {}).get(key, {})
        return _Shape(self._resolve(sub), self._root)

    def item(self) -> _Shape:
        return _Shape(self._resolve(self._resolve(self._schema).get("items", {})), self._root)


@cache
def _schema(kind: str) -> dict:
    from cquin_cli.schema_files import schema_text

    return json.loads(schema_text(kind))


def shape_of(kind: str) -> _Shape:
    root = _schema(kind)
    return _Shape(root, root)


def kind_of(path: str) -> str:
    """Achievement data (``NAME.achievement.yaml``) follow the achievement schema; all else the scheme's."""
    from cquin_cli.load.discovery import is_achievement_file

    return ACHIEVEMENT if is_achievement_file(path) else SCHEME


# ---------------------------------------------------------------------------
# Reordering keys on the text itself, so comments travel with the lines they sit on.


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _comment_only(line: str) -> bool:
    return line.lstrip(" ").startswith("#")


def _is_flow(node: Any, lines: list[str]) -> bool:
    line, column = node.mark
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[column - 1 : column] in ("{", "[")


def _within(node: Any, lo: int, hi: int) -> bool:
    """The node is written inside lines [lo, hi) (an alias's target is written elsewhere)."""
    return lo <= node.mark[0] - 1 < hi


def _canonical_order(keys: list[Any], known: list[str]) -> list[Any]:
    rank = {k: i for i, k in enumerate(known)}
    # Known keys in schema order; keys the schema does not know after them, as written.
    return sorted(keys, key=lambda k: (0, rank[k], 0) if k in rank else (1, 0, keys.index(k)))


def _arrange(lines: list[str], lo: int, hi: int, node: Any, shape: _Shape) -> list[str]:
    """Lines [lo, hi) with every block mapping inside ``node`` in schema key order."""
    if isinstance(node, YamlSeq) and node and not _is_flow(node, lines):
        starts = [mark[0] - 1 for mark in node.item_marks]
        if starts != sorted(starts) or not all(lo <= s < hi for s in starts):
            return lines[lo:hi]
        out = lines[lo : starts[0]]
        item_shape = shape.item()
        for at, item in enumerate(node):
            item_hi = starts[at + 1] if at + 1 < len(starts) else hi
            if isinstance(item, (YamlMap, YamlSeq)) and _within(item, starts[at], item_hi):
                out += _arrange(lines, starts[at], item_hi, item, item_shape)
            else:
                out += lines[starts[at] : item_hi]
        return out
    if not (isinstance(node, YamlMap) and node) or _is_flow(node, lines):
        return lines[lo:hi]
    keys = list(node.keys())
    starts = [node.key_marks[k][0] - 1 for k in keys]
    if starts != sorted(set(starts)) or not all(lo <= s < hi for s in starts):
        return lines[lo:hi]  # keys sharing a line, or written elsewhere: leave as written
    column = node.key_marks[keys[0]][1] - 1
    header = lines[lo : starts[0]]
    bodies: dict[Any, list[str]] = {}
    headings: dict[Any, list[str]] = {keys[0]: []}
    trailer: list[str] = []
    for at, key in enumerate(keys):
        seg_lo, seg_hi = starts[at], (starts[at + 1] if at + 1 < len(starts) else hi)
        last = seg_hi - 1
        while last > seg_lo and (_blank(lines[last]) or _comment_only(lines[last])):
            last -= 1
        cut = last + 1  # comments indented deeper than the keys stay with the value they follow
        while cut < seg_hi and not (_blank(lines[cut]) or _indent(lines[cut]) <= column):
            cut += 1
        value = node[key]
        child_shape = shape.child(key) if isinstance(key, str) else _Shape({}, {})
        if isinstance(value, (YamlMap, YamlSeq)) and _within(value, seg_lo, cut):
            bodies[key] = _arrange(lines, seg_lo, cut, value, child_shape)
        else:
            bodies[key] = lines[seg_lo:cut]
        if at + 1 < len(keys):
            headings[keys[at + 1]] = lines[cut:seg_hi]
        else:
            trailer = lines[cut:seg_hi]
    known = shape.keys
    order = _canonical_order(keys, known) if known else keys
    if order != keys and column >= 2 and lines[starts[0]][column - 2 : column] == "- ":
        # A mapping that is a list item starts on the dash line (`  - number: 1`): the
        # dash belongs to the item, so it goes to whichever key now comes first.
        first = bodies[keys[0]]
        bodies[keys[0]] = [first[0][: column - 2] + "  " + first[0][column:]] + first[1:]
        new_first = bodies[order[0]]
        bodies[order[0]] = [new_first[0][: column - 2] + "- " + new_first[0][column:]] + new_first[1:]
    out = list(header)
    for key in order:
        out += headings[key] + bodies[key]
    return out + trailer


def _comments(text: str) -> list[str]:
    """Every comment-like text of a document (``#`` at a line start or after a space), sorted.

    Formatting keeps every scalar as written, so text that only looks like a comment
    (inside quotes or a block scalar) is the same on both sides; a real comment lost or
    invented shows up as a difference.
    """
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            found.append(stripped)
            continue
        at = line.find(" #")
        if at >= 0:
            found.append(line[at:].strip())
    return sorted(found)


# ---------------------------------------------------------------------------
# The meaning check.


def same_meaning(a: Any, b: Any) -> bool:
    """True when two values read by ``yaml_reader`` mean exactly the same (types included)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(same_meaning(a[k], b[k]) for k in a)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(same_meaning(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return str(a) == str(b)
    if isinstance(a, float) and a != a:  # NaN
        return b != b
    return a == b


# ---------------------------------------------------------------------------


def _double_quoted(node: Any) -> Any:
    """One quoting style: a value written in single quotes is written in double quotes,
    unless it holds a double quote itself (single quotes then spare the escapes).

    Which values are quoted does not change (``'017'`` stays text, as ``"017"``); only the
    quote character does, so a diff never shows ``'0.5%'`` against ``"0.5%"``.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(node, dict):
        for key in list(node):
            value = node[key]
            if isinstance(value, SingleQuotedScalarString) and '"' not in value:
                node[key] = DoubleQuotedScalarString(str(value))
            else:
                _double_quoted(value)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, SingleQuotedScalarString) and '"' not in value:
                node[i] = DoubleQuotedScalarString(str(value))
            else:
                _double_quoted(value)
    return node


def _roundtrip_load(text: str) -> tuple[Any, str]:
    """The round-trip tree of ``text``, and the text it was read from.

    YAML 1.2 allows a tab as separation space inside a line (``rate:<tab>1%``), and the
    reader behind `cquin validate` accepts it, but ruamel.yaml's round-trip scanner stops
    at such a tab ("cannot start any token"). The tab it points at is outside every
    scalar (inside one, the scanner would not be looking for a token), so it is replaced
    by a space, which means the same, and the text read again; the meaning check after
    formatting still stands guard.
    """
    from ruamel.yaml.scanner import ScannerError

    from cquin_cli.load.yaml_roundtrip import roundtrip_load

    for _ in range(text.count("\t") + 1):
        try:
            return roundtrip_load(text), text
        except ScannerError as exc:
            mark = exc.problem_mark
            if mark is None or "'\\t'" not in str(exc.problem) or text[mark.index : mark.index + 1] != "\t":
                raise
            text = text[: mark.index] + " " + text[mark.index + 1 :]
    return roundtrip_load(text), text


def format_bytes(raw: bytes, name: str = "<string>", kind: str | None = None, *, fast: bool = True) -> Formatted:
    """The canonical layout of a file's bytes, or the located reason it cannot be formatted.

    Most files are written in a layout that ruamel.yaml's round trip writes back as it is;
    that is recognised from libyaml's events (:mod:`cquin_cli.format.canonical`, about
    3 ms a scheme against about 60 ms for the round trip), and for those files the round
    trip is skipped: a file already canonical is left as it is, and one whose keys only
    are out of order has them reordered on its own text. Every other file, and any the
    check is not sure of, goes through the round trip. ``fast=False`` always takes it
    (the tests compare the two: the same outcome, byte for byte).
    """
    shape = shape_of(kind or kind_of(name))
    kept = None
    if fast:
        from cquin_cli.format.canonical import round_trip_kept

        kept = round_trip_kept(raw, shape)
        if kept is not None and kept[1]:
            return Formatted(raw, text=kept[0])  # canonical already
    loaded = parse_yaml(raw, name)
    if loaded.error is not None:
        return Formatted(raw, error=loaded.error)
    if not (isinstance(loaded.value, dict) and "financial_year" in loaded.value):
        # a workflow, a pre-commit configuration...: the scheme layout is not theirs to take
        return Formatted(raw, not_a_scheme=True)
    if kept is not None:
        text = laid_out = kept[0]  # the round trip would write it back as it is
    else:
        decoded, error, _ = decode(raw)  # drops a byte-order mark
        if error is not None or decoded is None:  # pragma: no cover - parse_yaml has already refused these
            return Formatted(raw, error=error or LoadError("E005", "the file cannot be decoded"))
        text = decoded.replace("\r\n", "\n").replace("\r", "\n")
        from cquin_cli.load.yaml_roundtrip import roundtrip_dump

        try:
            tree, text = _roundtrip_load(text)
            laid_out = roundtrip_dump(_double_quoted(tree))  # indentation, list style, quotes
        except Exception as exc:  # ruamel.yaml refusing something libyaml accepted: leave the file alone
            return Formatted(
                raw,
                error=LoadError("E008", f"the formatter cannot lay this file out ({type(exc).__name__}); it was left as it is"),
            )
    if not laid_out.endswith("\n"):
        laid_out += "\n"
    marked = loaded if laid_out is text and kept is not None else parse_yaml(laid_out, name)
    if marked.error is None:
        lines = laid_out.splitlines(keepends=True)
        new_text = "".join(_arrange(lines, 0, len(lines), marked.value, shape))
    else:
        new_text = laid_out
    while new_text.endswith("\n\n"):
        new_text = new_text[:-1]
    again = parse_yaml(new_text, name)
    if again.error is not None or not same_meaning(loaded.value, again.value):
        where = f" ({again.error.message})" if again.error is not None else ""
        return Formatted(
            raw,
            error=LoadError(
                "E008", f"formatting would change what the file means{where}; it was left as it is (please report this)"
            ),
        )
    if _comments(new_text) != _comments(text):
        return Formatted(
            raw,
            error=LoadError(
                "E008", "formatting would lose or move a comment out of the file; it was left as it is (please report this)"
            ),
        )
    return Formatted(raw, text=new_text)
