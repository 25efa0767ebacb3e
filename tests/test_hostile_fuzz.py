"""Random bytes and random YAML trees: no exception ever escapes the reader or the validator."""

from __future__ import annotations

import copy
import math
import os
import re
from decimal import Decimal
from pathlib import Path

from conftest import WORKED_EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cquin_cli.check.pipeline import check_scheme_file
from cquin_cli.load.yaml_reader import Loaded, parse_yaml, read_yaml
from cquin_cli.load.yaml_roundtrip import roundtrip_dump

# CQUIN_FUZZ_EXAMPLES=2000 for a longer hunt; the default keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("CQUIN_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

YAML_BITS = [
    "a",
    "b",
    ":",
    ": ",
    " ",
    "\n",
    "  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&x ",
    "*x",
    "!",
    "!!str ",
    "!!int ",
    "!!python/none ",
    "'",
    '"',
    "1",
    "017",
    "0x1F",
    "47E2",
    ".5",
    ".nan",
    "-.inf",
    "1:20",
    "yes",
    "on",
    "null",
    "~",
    "2009-03-31",
    "? ",
    "#",
    "\t",
    "|",
    ">",
    "---",
    "...",
    "%YAML 1.2",
    "\ufeff",
    "é",
    "\x00",
    "\\",
]


def assert_loaded(loaded: Loaded) -> None:
    assert isinstance(loaded, Loaded)
    if loaded.error is not None:
        assert re.fullmatch(r"E00\d", loaded.error.code)
        assert loaded.error.line >= 1 and loaded.error.column >= 1


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(raw):
    assert_loaded(parse_yaml(raw))


@FUZZ
@given(st.lists(st.sampled_from(YAML_BITS), max_size=60).map("".join))
def test_random_yaml_like_text_never_raises(text):
    assert_loaded(parse_yaml(text))
    assert_loaded(parse_yaml(text.encode("utf-8", "surrogatepass")))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from(["yes", "no", "1:20", "017", "2009-03-31", "25%", "", "180000000.00", ".nan"]),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=25,
)


def plain(value):
    """Hypothesis values in the types ruamel.yaml writes (Decimal as text that reads back as a number)."""
    if isinstance(value, Decimal):
        return float(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def check_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_scheme_file(str(path))  # raises nothing, whatever the file holds
    for d in result.diagnostics:
        assert d.location.file == str(path) and d.location.line >= 1
        assert d.code != "E009", d.message  # no rule crashed on it either


@FUZZ
@given(trees)
def test_random_yaml_trees_through_the_validator(tmp_path_factory, tree):
    check_text(tmp_path_factory.mktemp("tree"), roundtrip_dump(plain(tree)))


REPLACEMENTS = st.one_of(scalars, st.sampled_from([[], {}, [1, 2], {"rule": "bands"}, math.inf, -1, 10**400, "0.5%", "101%"]))


@FUZZ
@given(st.data())
def test_random_edits_of_a_real_scheme_through_the_validator(tmp_path_factory, data):
    values = read_yaml(WORKED_EXAMPLE).value
    document = copy.deepcopy(plain_tree(values))
    for _ in range(data.draw(st.integers(1, 4))):
        paths = list(_paths(document))
        path = data.draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        replacement = data.draw(REPLACEMENTS)
        parent[path[-1]] = plain(replacement) if not (isinstance(replacement, float) and math.isinf(replacement)) else replacement
    check_text(tmp_path_factory.mktemp("edit"), roundtrip_dump(document))


def plain_tree(value):
    if isinstance(value, dict):
        return {k: plain_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_tree(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,)
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield prefix + (i,)
            yield from _paths(item, prefix + (i,))
