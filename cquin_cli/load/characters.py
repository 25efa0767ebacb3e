"""Characters a reader cannot see: the one definition, for `cquin new` and the checks.

Control characters (Unicode category Cc: NUL, tab, line feed, carriage return, ...),
format characters (Cf: right-to-left override U+202E, zero-width space U+200B, ...),
the line and paragraph separators (Zl, Zp) and lone surrogates (Cs) change what a
value means or how it looks without showing on screen.
"""

from __future__ import annotations

import unicodedata

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_CONTROL_NAMES = {
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x00": "NUL",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
}


def is_invisible(character: str) -> bool:
    return unicodedata.category(character) in _INVISIBLE_CATEGORIES


def first_invisible(text: str) -> int | None:
    """The index of the first invisible character of ``text``, or None."""
    for index, character in enumerate(text):
        if is_invisible(character):
            return index
    return None


def character_words(character: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and, where Unicode has one, its name."""
    name = _CONTROL_NAMES.get(character) or unicodedata.name(character, "")
    code = f"U+{ord(character):04X}"
    return f"{code} {name}" if name else code
