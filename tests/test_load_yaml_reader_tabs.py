"""A tab after a colon is YAML 1.2 separation space: validate and fmt both accept it, and fmt keeps the meaning."""

from __future__ import annotations

from cquin_cli.format.layout import format_bytes
from cquin_cli.load.yaml_reader import parse_yaml


def test_fmt_accepts_a_tab_after_a_colon_as_validate_does(cquin, tmp_path, worked_example_text):
    text = worked_example_text.replace("\n  code: ", "\n  code:\t", 1).replace("\nrate: ", "\nrate:\t\t", 1)
    assert "\t" in text
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    assert cquin("validate", str(scheme)).exit_code == 0
    formatted = format_bytes(text.encode(), str(scheme))
    assert formatted.error is None, formatted.error
    assert "\t" not in formatted.text
    assert parse_yaml(formatted.text).value == parse_yaml(text).value
    result = cquin("fmt", str(scheme))
    assert result.exit_code == 0, result.stderr
    assert "\t" not in scheme.read_text()


def test_a_tab_inside_a_value_is_kept(tmp_path, worked_example_text):
    text = worked_example_text.replace("\nrate: ", "\nrate:\t", 1).replace(
        "name: Inpatient survey score", 'name: "Inpatient\tsurvey score"'
    )
    formatted = format_bytes(text.encode(), "scheme.yaml")
    assert formatted.error is None, formatted.error
    assert parse_yaml(formatted.text).value == parse_yaml(text).value
