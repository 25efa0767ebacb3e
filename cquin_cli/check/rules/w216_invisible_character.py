"""A code or name holds a character no one can see.

A right-to-left override (U+202E) makes ``RNF`` display as something else; a zero-width
space (U+200B) makes two codes that look the same differ, so an achievement file, a
contract table or a report lookup silently misses the scheme. Such characters are
control characters (tab, line feed, NUL, ...), format characters (U+202E, U+200B,
U+FEFF, ...) and the line and paragraph separators.

The codes and names checked are those the contract, the achievement data and the reports
use to find and show things: the provider's code and name, each commissioner's code and
name, and each goal's and indicator's number and name. The finding points at the
character itself (line and column; in a double-quoted value, at the escape that spells
it; in a block scalar or a value folded over lines, at the value's start) and names it
and where in the value it is; descriptions and other prose are not checked.
"""

from __future__ import annotations

from cquin_cli.check.registry import SCHEME, Finding
from cquin_cli.load.characters import character_words, first_invisible

CODE = "W216"
TITLE = "Invisible character in a code or name"
SOURCE = "docs/bad-input.md"
SCOPE = SCHEME

PASSING = """
provider:
  code: RNF
  name: Northfield Hospitals NHS Trust
"""
FAILING = """
provider.code: "RNF\\u202e"     # W216: U+202E RIGHT-TO-LEFT OVERRIDE at character 4
"""


def _fields(scheme):
    yield scheme.provider.code, ("provider", "code"), "the provider's code"
    yield scheme.provider.name, ("provider", "name"), "the provider's name"
    for c in scheme.commissioners:
        yield c.code, c.path + ("code",), "a commissioner's code"
        yield c.name, c.path + ("name",), f"the name of commissioner {c.code}"
    for g in scheme.goals:
        yield g.number, g.path + ("number",), "a goal number"
        yield g.name, g.path + ("name",), f"the name of goal {g.number}"
        for i in g.indicators:
            yield i.number, i.path + ("number",), "an indicator number"
            yield i.name, i.path + ("name",), f"the name of indicator {i.number}"


def check(scheme):
    for text, path, what in _fields(scheme):
        if not isinstance(text, str):
            continue
        index = first_invisible(text)
        if index is not None:
            yield Finding(
                CODE,
                f"{what} holds an invisible character, {character_words(text[index])}, at character {index + 1} of the value; "
                "delete it (it changes how the text looks or what it matches, without showing)",
                path,
                offset=index,
            )
