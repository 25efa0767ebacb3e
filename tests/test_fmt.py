"""`cquin fmt`: one canonical layout, every comment kept, nothing written unless asked."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.format.layout import _comments, format_bytes, same_meaning
from cquin_cli.load.yaml_reader import parse_yaml

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*.y*ml"))

OUT_OF_ORDER = """\
# yaml-language-server: $schema=../schemas/scheme.schema.json
# header stays on top
goals:   # the goals
  - weighting: 30%   # eol of weighting
    # heading of number
    number: 1
    indicators:
      - weighting: 30%
        name: n   # eol of name
        # heading of indicator number
        number: S1
        baseline: {value: 55, period: 2008/09 Q3}
    # a comment inside goal 1, after its indicators
# heading of provider

provider:
    name: X      # provider name
    code: RNF
rate: 0.5%   # the year's rate
financial_year: 2009/10
# the end of the file
"""

CANONICAL = """\
# yaml-language-server: $schema=../schemas/scheme.schema.json
# header stays on top
financial_year: 2009/10
# heading of provider

provider:
  code: RNF
  name: X        # provider name
rate: 0.5%   # the year's rate
goals:   # the goals
    # heading of number
  - number: 1
    weighting: 30%   # eol of weighting
    indicators:
        # heading of indicator number
      - number: S1
        name: n   # eol of name
        baseline: {value: 55, period: 2008/09 Q3}
        weighting: 30%
    # a comment inside goal 1, after its indicators
# the end of the file
"""


def test_reordering_carries_each_keys_comments_with_it():
    result = format_bytes(OUT_OF_ORDER.encode(), "scheme.yaml")
    assert result.error is None
    assert result.text == CANONICAL
    assert _comments(result.text) == _comments(OUT_OF_ORDER)
    again = format_bytes(result.text.encode(), "scheme.yaml")
    assert again.error is None and not again.changed  # idempotent


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_is_idempotent_and_keeps_its_comments_and_meaning(cquin, tmp_path, sample):
    copy = tmp_path / sample.name
    shutil.copyfile(sample, copy)
    original = copy.read_text(encoding="utf-8")
    first = cquin("fmt", str(copy))
    assert first.exit_code == 0, first.stdout
    once = copy.read_text(encoding="utf-8")
    assert _comments(once) == _comments(original)
    assert same_meaning(parse_yaml(original).value, parse_yaml(once).value)
    second = cquin("fmt", "--check", str(copy))
    assert second.exit_code == 0, second.stdout
    assert copy.read_text(encoding="utf-8") == once


def test_check_shows_a_unified_diff_exits_1_and_changes_nothing(cquin, tmp_path):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(OUT_OF_ORDER)
    before = scheme.read_bytes()
    result = cquin("fmt", "--check", str(scheme))
    assert result.exit_code == 1
    assert f"--- {scheme} (as written)" in result.stdout
    assert f"+++ {scheme} (cquin fmt)" in result.stdout
    assert "-financial_year: 2009/10\n" in result.stdout and "+financial_year: 2009/10\n" in result.stdout
    assert f"would reformat {scheme}" in result.stdout
    assert scheme.read_bytes() == before


def test_fmt_writes_the_canonical_layout(cquin, tmp_path):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(OUT_OF_ORDER)
    result = cquin("fmt", str(scheme))
    assert result.exit_code == 0
    assert f"reformatted {scheme}" in result.stdout
    assert scheme.read_text() == CANONICAL
    assert not list(tmp_path.glob(".cquin-*"))  # no temporary file left behind


def test_a_file_that_does_not_parse_is_reported_and_left_untouched(cquin, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"financial_year: 2009/10\nprovider:\n  code: [RNF\n  name: X\n")
    good = tmp_path / "good.yaml"
    good.write_text("provider:\n    code: RNF\nfinancial_year: 2009/10\n")
    (tmp_path / "workflow.yml").write_text("on:\n    push: {}\n")
    before = broken.read_bytes()
    result = cquin("fmt", str(tmp_path))
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(broken))}:4:\d+: error E002 YAML syntax error", result.stdout, re.M)
    assert broken.read_bytes() == before
    assert good.read_text() == "financial_year: 2009/10\nprovider:\n  code: RNF\n"  # the run went on
    assert (tmp_path / "workflow.yml").read_text() == "on:\n    push: {}\n"  # not a scheme: not touched
    assert "1 skipped (not a scheme" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_duplicate_keys_are_refused_not_merged(cquin, tmp_path):
    scheme = tmp_path / "dup.yaml"
    scheme.write_text("rate: 0.5%\nrate: 1%\n")
    result = cquin("fmt", str(scheme))
    assert result.exit_code == 1
    assert f"{scheme}:2:1: error E003 duplicate key 'rate'" in result.stdout
    assert scheme.read_text() == "rate: 0.5%\nrate: 1%\n"


def test_byte_order_mark_and_missing_final_newline_are_fixed(tmp_path):
    raw = b"\xef\xbb\xbffinancial_year: 2009/10\r\nrate: 0.5%"
    result = format_bytes(raw, "s.yaml")
    assert result.error is None
    assert result.text == "financial_year: 2009/10\nrate: 0.5%\n"
    assert result.changed


def test_quoting_flow_style_and_yaml_1_2_scalars_survive(tmp_path):
    text = 'notes: "yes"\nprovider: {name: "Moss", code: 017}\nrate: on\nfinancial_year: 2009/10\ncontract_value:\n  tariff_income: "180000000.00"\n'
    result = format_bytes(text.encode(), "s.yaml")
    assert result.error is None
    assert (
        result.text
        == 'financial_year: 2009/10\nprovider: {name: "Moss", code: 017}\ncontract_value:\n  tariff_income: "180000000.00"\nrate: on\nnotes: "yes"\n'
    )


def test_unknown_keys_keep_their_place_after_known_ones(tmp_path):
    text = "zebra: 1\nrate: 0.5%\napple: 2\nfinancial_year: 2009/10\n"
    result = format_bytes(text.encode(), "s.yaml")
    assert result.text == "financial_year: 2009/10\nrate: 0.5%\nzebra: 1\napple: 2\n"


def test_achievement_files_follow_the_achievement_schema():
    text = "measurements: []\nfinancial_year: 2009/10\n"
    result = format_bytes(text.encode(), "x.achievement.yaml")
    assert result.text == "financial_year: 2009/10\nmeasurements: []\n"


def test_worked_example_is_already_canonical():
    assert not format_bytes(WORKED_EXAMPLE.read_bytes(), str(WORKED_EXAMPLE)).changed


def test_missing_path_exits_2(cquin, tmp_path):
    result = cquin("fmt", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "E001" in result.stdout


def test_samples_are_formatted(cquin):
    result = cquin("fmt", "--check", str(SAMPLES))
    assert result.exit_code == 0, result.stdout
    assert "0 of " in result.stdout


def test_single_quotes_become_double_quotes_and_nothing_else_changes(cquin, tmp_path, worked_example_text):
    text = (
        worked_example_text.replace('tariff_income: "180000000.00"', "tariff_income: '180000000.00'")
        .replace("rate: 0.5%", "rate: '0.5%'")
        .replace("name: Dr A. Moss", "name: 'Dr A. O''Moss'")
    )
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    assert cquin("fmt", "--check", str(scheme)).exit_code == 1
    assert cquin("fmt", str(scheme)).exit_code == 0
    written = scheme.read_text()
    assert 'tariff_income: "180000000.00"   # including the Market Forces Factor' in written
    assert 'rate: "0.5%"' in written and 'name: "Dr A. O\'Moss"' in written
    assert "'" not in "".join(l for l in written.splitlines() if ": '" in l)
    assert parse_yaml(written.encode()).value == parse_yaml(text.encode()).value
    assert cquin("fmt", "--check", str(scheme)).exit_code == 0


def test_single_quotes_that_spare_escapes_are_kept(cquin, tmp_path, worked_example_text):
    text = worked_example_text.replace("name: Dr A. Moss", """name: 'Dr A. "Tony" Moss'""")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    assert cquin("fmt", "--check", str(scheme)).exit_code == 0
