"""W216: an invisible character in a code or name is a located warning that names the character."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "old, new, words, where",
    [
        ("  code: RNF", '  code: "RN\\u202eF"', "U+202E RIGHT-TO-LEFT OVERRIDE, at character 3", "the provider's code"),
        (
            "name: Inpatient survey score",
            'name: "Inpatient\\u200b survey score"',
            "U+200B ZERO WIDTH SPACE, at character 10",
            "the name of indicator X1",
        ),
        (
            "name: Inpatient survey score",
            'name: "Inpatient\\tsurvey score"',
            "U+0009 TAB, at character 10",
            "the name of indicator X1",
        ),
    ],
)
def test_an_invisible_character_in_a_code_or_name_is_a_located_warning(
    cquin, tmp_path, worked_example_text, old, new, words, where
):
    assert old in worked_example_text
    text = worked_example_text.replace(old, new, 1)
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout + result.stderr  # a warning: the scheme is still checked and valid
    output = result.stdout + result.stderr
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t.strip() == new.strip())
    match = re.search(rf"scheme\.yaml:{line}:(\d+): warning W216 (.*)", output)
    assert match, output
    assert words in match.group(2) and where in match.group(2)


def test_the_rule_is_listed_and_explained(cquin):
    assert "W216" in cquin("rules").stdout
    explained = cquin("explain", "W216")
    assert explained.exit_code == 0 and "RIGHT-TO-LEFT OVERRIDE" in explained.stdout


@pytest.mark.parametrize(
    "value, column",
    [
        ("Nörthfield\u200b Hospitals", 19),  # plain: the character's own column, counted in characters
        ('"Nörthfield\u200b Hospitals"', 20),  # double-quoted: one column for the quote
        ('"N\\u00f6rthfield\\u202e Hospitals"', 25),  # escapes: the column where the escape starts
        ("'It''s\u200b'", 15),  # single-quoted: '' is one quote spelt in two columns
    ],
)
def test_the_finding_points_at_the_invisible_character_itself(cquin, tmp_path, worked_example_text, value, column):
    old = "  name: Northfield Hospitals NHS Trust"
    assert old in worked_example_text
    text = worked_example_text.replace(old, f"  name: {value}", 1)
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t == f"  name: {value}")
    result = cquin("validate", str(scheme))
    assert f"scheme.yaml:{line}:{column}: warning W216 the provider's name" in result.stdout
    found = cquin("validate", str(scheme), "--format", "json")
    assert f'"line": {line}' in found.stdout and f'"column": {column}' in found.stdout


def test_a_block_scalar_keeps_the_value_start(cquin, tmp_path, worked_example_text):
    old = "  name: Northfield Hospitals NHS Trust"
    text = worked_example_text.replace(old, "  name: >-\n    North\u200bfield", 1)
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text, encoding="utf-8")
    result = cquin("validate", str(scheme))
    assert re.search(r"scheme\.yaml:\d+:\d+: warning W216 the provider's name", result.stdout), result.stdout
