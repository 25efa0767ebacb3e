"""E004 for too many values says what the file really holds: an alias bomb only when aliases expand it."""

from __future__ import annotations

from cquin_cli.load.yaml_reader import MAX_NODES, parse_yaml


def test_a_large_file_without_aliases_is_too_many_values_not_an_alias_bomb():
    loaded = parse_yaml("items:\n" + "  - 1\n" * (MAX_NODES + 10))
    assert loaded.error is not None and loaded.error.code == "E004"
    assert "alias" not in loaded.error.message
    assert "holds more than 250,000 values" in loaded.error.message
    # the mapping, its key and the list are three of the values: the one too many is on line MAX_NODES - 1
    assert (loaded.error.line, loaded.error.column) == (MAX_NODES - 1, 5)


def test_aliases_that_expand_past_the_limit_are_named_an_alias_bomb():
    text = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    for level, name in enumerate("bcdefg"):
        previous = "abcdefg"[level]
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]\n"
    loaded = parse_yaml(text)
    assert loaded.error is not None and loaded.error.code == "E004"
    assert "alias bomb" in loaded.error.message and "aliases" in loaded.error.message
