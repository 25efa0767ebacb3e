"""The imported scheme as YAML text, in the layout of ``cquin fmt``.

Values are written the way the sample schemes write them: money as quoted text
(``"180000000.00"``), percentages and dates plain (``30%``, ``2010-04-30``), measures as
numbers, other text plain where YAML reads it back as the same text and in double
quotes where it would not (``"Yes: 50%"``, ``"0123"``, a TODO stub). Keys are written in
the schema's order, read from the same place ``cquin fmt`` reads it
(:func:`cquin_cli.format.layout.shape_of`), with its 2-space indent and ``  - `` lists, so
``cquin fmt`` finds nothing to change (a test holds it to that on every import it makes;
running the formatter itself here would cost seconds on a large scheme). The text is
read back with cquin's own YAML reader: it must mean exactly the values built, or
nothing is written.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from cquin_cli.format.layout import SCHEME, same_meaning, shape_of
from cquin_cli.load.yaml_reader import parse_yaml, resolve_plain

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

MONEY_KEYS = frozenset({"tariff_income", "non_tariff_income", "excluded_income", "value"})
_PLAIN_START = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s]")
_UNSAFE = (": ", " #", "\t")
_PERCENT = re.compile(r"[0-9]+(?:\.[0-9]+)?%\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_YEAR = re.compile(r"[0-9]{4}/[0-9]{2}\Z")


class NotTheSame(AssertionError):
    """The text would not read back as the values built: a bug, never written."""


def scalar(value: Any, key: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if key in MONEY_KEYS and re.fullmatch(r"[0-9]+\.[0-9]{2}", text):
        return quoted(text)
    if _PERCENT.match(text) or _DATE.match(text) or _YEAR.match(text):
        return text
    if (
        text
        and _PLAIN_START.match(text)
        and text.isprintable()
        and text == text.strip()
        and not any(u in text for u in _UNSAFE)
        and not text.endswith(":")
        and not text.startswith("TODO")
        and resolve_plain(text) == text
        and isinstance(resolve_plain(text), str)
        and text.casefold() not in ("yes", "no", "on", "off", "y", "n")
    ):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar; every character that is not printable is an escape.

    The escapes are spelled as ruamel.yaml spells them (``\\L`` for U+2028, ``\\x85``...),
    the writer ``cquin fmt`` uses, so formatting the file changes nothing.
    """
    plain = json.dumps(text, ensure_ascii=False)
    if all(ch.isprintable() for ch in plain):
        return plain
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from cquin_cli.load.yaml_roundtrip import roundtrip_dump

    dumped = roundtrip_dump({"k": DoubleQuotedScalarString(text)})
    if dumped.startswith("k: ") and dumped.count("\n") == 1:
        return dumped[3:].rstrip("\n")
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in plain)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _lines(value: Any, indent: int, key: str, out: list[str], shape: Any) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        rank = {k: i for i, k in enumerate(shape.keys)}
        # keys in the schema's order, as `cquin fmt` lays them out (cquin_cli/format/layout.py)
        for k in sorted(value, key=lambda k: (rank.get(k, len(rank)), list(value).index(k))):
            v = value[k]
            if isinstance(v, dict) and v:
                out.append(f"{pad}{k}:")
                _lines(v, indent + 2, k, out, shape.child(k))
            elif isinstance(v, list) and v and not all(isinstance(x, int) and not isinstance(x, bool) for x in v):
                out.append(f"{pad}{k}:")
                _items(v, indent + 2, k, out, shape.child(k).item())
            elif isinstance(v, list):
                out.append(f"{pad}{k}: [{', '.join(scalar(x) for x in v)}]")
            else:
                out.append(f"{pad}{k}: {scalar(v, k)}")
    else:  # pragma: no cover - the builder always gives a mapping here
        out.append(pad + scalar(value, key))


def _items(items: list[Any], indent: int, key: str, out: list[str], shape: Any) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            inner: list[str] = []
            _lines(item, indent + 2, key, inner, shape)
            out.append(pad + "- " + inner[0][indent + 2 :])
            out.extend(inner[1:])
        else:
            out.append(f"{pad}- {scalar(item, key)}")


def scheme_text(values: dict[str, Any], header: list[str], name: str = "<import>") -> str:
    """The YAML text of ``values`` under the comment lines ``header``; checked to mean ``values``."""
    # A file's name may hold any character: a comment line holds only printable ones.
    header = ["".join(ch if ch.isprintable() else "\ufffd" for ch in line) for line in header]
    lines = [f"# {line}" if line else "#" for line in header]
    _lines(values, 0, "", lines, shape_of(SCHEME))
    text = "\n".join(lines) + "\n"
    again = parse_yaml(text, name)
    if again.error is not None or not same_meaning(_plain(values), again.value):
        raise NotTheSame(
            f"the imported scheme would not read back as built ({again.error.message if again.error else 'values differ'})"
        )
    return text


def _plain(value: Any) -> Any:
    """The values as cquin's YAML reader gives them back (an int list stays ints; Decimals stay)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
