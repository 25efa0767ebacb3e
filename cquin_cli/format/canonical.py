"""Is a file already laid out as ``cquin fmt`` lays it out? A fast answer that is never wrong.

``cquin fmt`` lays a file out through ruamel.yaml's round trip (about 60 ms a scheme,
:mod:`cquin_cli.format.layout`); most files a pre-commit hook sees are already in that
layout, and for them the round trip only proves that nothing changes. This module
answers the same question from libyaml's events and the file's lines (17M instructions
a scheme against 650M): :func:`canonical_text` returns the text when the file is
*certainly* in the canonical layout, and ``None`` when it is not or when it cannot be
sure. ``None`` sends the file through the round trip, so the answer can only save time,
never change what ``fmt`` does (``tests/test_fmt.py`` holds it to that on every
sample, every generated scheme and thousands of perturbed ones).

"Certainly" means the file is written in the small subset of YAML whose round trip is
the identity and whose keys are already in schema order:

* UTF-8 without a byte-order mark, ``\\n`` line ends, no tab, no trailing space, one
  final newline, no blank first line, lines of at most 4,000 characters (the round trip
  re-wraps at 4,096), only characters the round trip writes as they are;
* one implicit document (no ``---``, ``...`` or directives), a block mapping at the top
  holding ``financial_year``, no anchors, aliases or tags;
* block mappings indented 2 spaces under their key, each key a plain word on its own
  line (or after the ``- `` of a list item), followed by ``:`` and one space before a
  value on the same line; block lists under their key as ``  - item``;
* scalars on one line: plain ones spelt as the round trip spells them (no ``+1``,
  ``True``, ``null`` or ``~``: those are rewritten), double-quoted ones without escapes;
  no single quotes (rewritten as double quotes, or kept: left to the round trip);
  folded or literal block scalars (``>-``, ``>``, ``|-``, ``|``) indented 2 under their
  key, each line starting at that indent, with no blank line inside or just after;
* flow collections on one line, written exactly ``{key: value, key: value}`` and
  ``[item, item]``;
* every other line blank or a comment (the round trip keeps them where they are);
* in every block mapping the keys in the order ``fmt`` puts them (schema order, unknown
  keys after the known ones as written), and no key twice.
"""

from __future__ import annotations

import re

from cquin_cli.load.yaml_reader import (
    LAYOUT_DOCUMENT,
    LAYOUT_DOCUMENT_END,
    LAYOUT_END,
    LAYOUT_MAP,
    LAYOUT_SCALAR,
    LAYOUT_SEQ,
    LAYOUT_STREAM,
    LAYOUT_STREAM_END,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    layout_events,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

MAX_LINE = 4000  # the round trip's width is 4,096: a longer line may be re-wrapped

# Characters the round trip writes as they are, anywhere in a file (ruamel.yaml's emitter
# escapes or quotes the others: controls, U+0085, U+2028, U+2029, U+FEFF, and characters
# beyond U+FFFF on a narrow build); and a space before a line end.
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]| \n")
_INT = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")  # not -0: written back as 0
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Text starting with a digit that looks like this might be read as a number by one reader
# or the other (``1_000``, ``0x1F``, ``0o17``, ``1e3``, ``1.``, ``1:20``): left to the round trip.
_NUMBER_LIKE = re.compile(r"(?:0[xXoObB][0-9a-fA-F_]*|[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]*)?|[0-9_:.]+)\Z")
# Plain words the round trip does not keep as written (null and the booleans but the two
# it writes), and words that are not text.
_NOT_KEPT = frozenset(("null", "Null", "NULL", "True", "TRUE", "False", "FALSE"))
_NOT_A_KEY = _NOT_KEPT | {"true", "false"}  # a key the round trip would read as something else
_BLOCK_HEADERS = {"|": ("\n", "\n"), "|-": ("\n", ""), ">": (" ", "\n"), ">-": (" ", "")}


class _Unsure(Exception):
    """The file may not be in canonical layout, or this check cannot tell: the round trip decides."""


def safe_plain(text: str) -> bool:
    """A plain scalar the round trip writes back exactly as it is written."""
    if not text or text[-1] == ":":
        return False
    first = text[0]
    if "0" <= first <= "9" or first == "-":
        if _INT.match(text) or _DECIMAL.match(text):
            return True
        if first == "-":
            return False
        return bool(_DATE.match(text)) or not _NUMBER_LIKE.match(text)
    if ("a" <= first <= "z") or ("A" <= first <= "Z") or first in "(/$" or first >= "\xa0":
        return text not in _NOT_KEPT
    return False


_SAFE_KEYS: dict[str, bool] = {}  # keys repeat (the schema's): each is judged once per process


def _safe_key(text: str) -> bool:
    """A plain key the round trip reads as text and writes back as it is."""
    known = _SAFE_KEYS.get(text)
    if known is not None:
        return known
    safe = safe_plain(text) and text not in _NOT_A_KEY and not _INT.match(text) and not _DECIMAL.match(text)
    if len(_SAFE_KEYS) < 4096:
        _SAFE_KEYS[text] = safe
    return safe


def _rest_is_comment(line: str, at: int) -> bool:
    """Nothing after column ``at`` but, perhaps, spaces and a comment."""
    rest = line[at:]
    return not rest or (rest[0] == " " and rest.lstrip(" ")[:1] == "#")


class _Walk:
    """One pass over a file's layout events, checking each line the events cover."""

    def __init__(self, lines: list[str], events: list[tuple]):
        self.lines = lines
        self.events = events
        self.at = 0
        self.covered = bytearray(len(lines))
        self.in_order = True  # every block mapping's keys in the order fmt puts them

    def next(self) -> tuple:
        event = self.events[self.at]
        self.at += 1
        return event

    # -- block collections ---------------------------------------------------------

    def block_map(self, event: tuple, indent: int, first_prefix: str, shape: Any, depth: int) -> list[str]:
        _, flow, tag, anchor, mark = event
        if flow or tag is not None or anchor or mark.column != indent or depth > MAX_DEPTH - 4:
            raise _Unsure
        lines, covered = self.lines, self.covered
        keys: list[str] = []
        prefix = first_prefix
        while True:
            event = self.next()
            kind = event[0]
            if kind == LAYOUT_END:
                break
            if kind != LAYOUT_SCALAR:
                raise _Unsure
            _, key, style, tag, anchor, start, end = event
            if style or tag is not None or anchor or not _safe_key(key) or key in keys:
                raise _Unsure  # a key twice is an error: the round trip reports it
            keys.append(key)
            number = start.line
            line = lines[number]
            head = prefix + key + ":"
            if start.column != indent or end.line != number or not line.startswith(head):
                raise _Unsure
            covered[number] = 1
            prefix = " " * indent
            value = self.next()
            kind = value[0]
            if kind == LAYOUT_SCALAR:
                self.scalar(value, number, len(head) + 1, indent)
            elif (kind == LAYOUT_MAP or kind == LAYOUT_SEQ) and value[1]:
                self.flow(value, number, len(head) + 1)
            elif kind == LAYOUT_MAP or kind == LAYOUT_SEQ:
                if not _rest_is_comment(line, len(head)) or value[4].line <= number:
                    raise _Unsure
                child = shape.child(key) if shape is not None else None
                if kind == LAYOUT_MAP:
                    self.block_map(value, indent + 2, " " * (indent + 2), child, depth + 1)
                else:
                    self.block_seq(value, indent + 2, child, depth + 1)
            else:
                raise _Unsure  # an alias
        if shape is not None:
            known = shape.keys
            if known and keys != _canonical_order(keys, known):
                self.in_order = False  # fmt puts them in another order
        return keys

    def block_seq(self, event: tuple, dash: int, shape: Any, depth: int) -> None:
        _, flow, tag, anchor, mark = event
        if flow or tag is not None or anchor or mark.column != dash or depth > MAX_DEPTH - 4:
            raise _Unsure
        item_shape = shape.item() if shape is not None else None
        prefix = " " * dash + "- "
        while True:
            event = self.next()
            kind = event[0]
            if kind == LAYOUT_END:
                return
            if kind == LAYOUT_MAP and not event[1]:
                self.block_map(event, dash + 2, prefix, item_shape, depth + 1)
                continue
            mark = event[5] if kind == LAYOUT_SCALAR else event[4] if kind in (LAYOUT_MAP, LAYOUT_SEQ) else None
            if mark is None:
                raise _Unsure  # an alias
            number = mark.line
            if not self.lines[number].startswith(prefix):
                raise _Unsure
            self.covered[number] = 1
            if kind == LAYOUT_SCALAR and event[2] not in ("|", ">"):
                self.scalar(event, number, dash + 2, dash)
            elif kind != LAYOUT_SCALAR and event[1]:
                self.flow(event, number, dash + 2)
                if len(self.lines[number]) > self.events[self.at - 1][1].column and not self.covered[number - 1]:
                    # A list item written in flow style with a comment after it loses the
                    # comment or blank lines above it in the round trip: left to it.
                    raise _Unsure
            else:
                raise _Unsure  # a list in a list, or a block scalar as an item

    # -- scalars and flow collections ---------------------------------------------

    def scalar(self, event: tuple, number: int, column: int, indent: int) -> None:
        """A scalar written from ``column`` of line ``number``, after ``": "`` or ``"- "``."""
        _, value, style, tag, anchor, start, end = event
        line = self.lines[number]
        if tag is not None or anchor or start.line != number or start.column != column or line[column - 1] != " ":
            raise _Unsure
        if style == "|" or style == ">":
            self.block_scalar(value, number, column, indent)
            return
        if end.line != number or self.scalar_text(value, style) != line[column : end.column]:
            raise _Unsure
        if not _rest_is_comment(line, end.column):
            raise _Unsure

    @staticmethod
    def scalar_text(value: str, style: Any) -> str:
        """How the round trip writes a one-line scalar that it writes as it is."""
        if not style:
            if safe_plain(value):
                return value
        elif style == '"':
            if '"' not in value and "\\" not in value:
                return '"' + value + '"'
        elif style == "'" and '"' in value and "'" not in value:
            return "'" + value + "'"  # single quotes that spare escapes are kept
        raise _Unsure

    def block_scalar(self, value: str, number: int, column: int, indent: int) -> None:
        lines = self.lines
        header = lines[number][column:]
        if header not in _BLOCK_HEADERS:
            raise _Unsure
        joiner, ending = _BLOCK_HEADERS[header]
        inner = indent + 2
        pad = " " * inner
        contents = []
        at = number + 1
        last = len(lines) - 1  # lines[last] is the empty text after the final newline
        while at < last and lines[at].startswith(pad) and lines[at][inner : inner + 1] not in ("", " "):
            contents.append(lines[at][inner:])
            self.covered[at] = 1
            at += 1
        if not contents or (at < last and not lines[at]) or joiner.join(contents) + ending != value:
            raise _Unsure

    def flow(self, event: tuple, number: int, column: int) -> None:
        """A flow collection written from ``column`` of line ``number``, on that line alone."""
        line = self.lines[number]
        if event[4].line != number or event[4].column != column or line[column - 1] != " ":
            raise _Unsure
        text = self.flow_text(event, 0, False)
        end = self.events[self.at - 1][1]  # the collection's end
        if end.line != number or end.column != column + len(text) or line[column : end.column] != text:
            raise _Unsure
        if not _rest_is_comment(line, end.column):
            raise _Unsure

    def flow_text(self, event: tuple, depth: int, in_list: bool) -> str:
        """The canonical text of a flow collection or scalar: ``{a: 1, b: [x, y]}``.

        A mapping of one key inside a flow list is written ``[key: value]`` by the round
        trip, so ``[{key: value}]`` is left to it."""
        kind = event[0]
        if kind == LAYOUT_SCALAR:
            if event[3] is not None or event[4]:
                raise _Unsure
            return self.scalar_text(event[1], event[2])
        if kind not in (LAYOUT_MAP, LAYOUT_SEQ) or not event[1] or event[2] is not None or event[3] or depth > MAX_DEPTH - 4:
            raise _Unsure
        parts: list[str] = []
        if kind == LAYOUT_SEQ:
            while (item := self.next())[0] != LAYOUT_END:
                if depth and not parts and item[0] != LAYOUT_SCALAR:
                    # A list inside a flow collection whose first item is a collection is
                    # written with stray spaces (``[[ [1]]]``) in a list item: left to the round trip.
                    raise _Unsure
                parts.append(self.flow_text(item, depth + 1, True))
            return "[" + ", ".join(parts) + "]"
        keys = set()
        while (key := self.next())[0] != LAYOUT_END:
            if key[0] != LAYOUT_SCALAR or key[2] or key[3] is not None or key[4]:
                raise _Unsure
            name = key[1]
            if not _safe_key(name) or name in keys:
                raise _Unsure
            keys.add(name)
            parts.append(name + ": " + self.flow_text(self.next(), depth + 1, False))
        if in_list and len(parts) == 1:
            raise _Unsure
        return "{" + ", ".join(parts) + "}"


def _canonical_order(keys: list[str], known: list[str]) -> list[str]:
    from cquin_cli.format.layout import _canonical_order as order

    return order(keys, known)


def canonical_text(raw: bytes, shape: Any) -> str | None:
    """The file's text when ``raw`` is certainly in ``cquin fmt``'s layout, else ``None``.

    ``shape`` is the key order of the file's kind (:func:`cquin_cli.format.layout.shape_of`).
    """
    known = round_trip_kept(raw, shape)
    return known[0] if known is not None and known[1] else None


def round_trip_kept(raw: bytes, shape: Any) -> tuple[str, bool] | None:
    """``(text, keys_in_order)`` when ruamel.yaml's round trip certainly writes ``raw``
    back as it is (the layout of the module docstring, keys in any order), else ``None``.

    With ``keys_in_order`` the file is canonical; without, fmt only reorders keys
    (:func:`cquin_cli.format.layout.format_bytes` then skips the round trip too).
    """
    if len(raw) > MAX_FILE_BYTES or raw[:3] == b"\xef\xbb\xbf" or b"\r" in raw or b"\t" in raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n") or text.endswith("\n\n") or text.startswith("\n") or _UNSAFE.search(text):
        return None
    lines = text.split("\n")
    if max(map(len, lines)) > MAX_LINE:
        return None
    events = layout_events(text)
    if events is None or len(events) < 5:
        return None
    walk = _Walk(lines, events)
    try:
        stream, document, root = walk.next(), walk.next(), walk.next()
        if stream[0] != LAYOUT_STREAM or document[0] != LAYOUT_DOCUMENT or document[1] or document[2] or document[3]:
            return None
        if root[0] != LAYOUT_MAP or "financial_year" not in walk.block_map(root, 0, "", shape, 0):
            return None
        document_end, stream_end = walk.next(), walk.next()
        if document_end[0] != LAYOUT_DOCUMENT_END or document_end[1] or stream_end[0] != LAYOUT_STREAM_END:
            return None
    except (_Unsure, IndexError):
        return None
    covered = walk.covered
    for number in range(len(lines) - 1):
        if not covered[number]:
            line = lines[number]
            if line and line.lstrip(" ")[:1] != "#":
                return None  # a line no event accounts for, and no comment
    return text, walk.in_order
