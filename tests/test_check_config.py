"""`cquin lint` configuration: found by walking up, checked key by key, applied per path."""

from __future__ import annotations

import re

import pytest

LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+) (?P<code>[EWI]\d{3}) (?P<message>.*)$", re.M)


def diagnostics(output: str, code: str) -> list[dict]:
    return [m.groupdict() for m in LINE.finditer(output) if m["code"] == code]


@pytest.fixture
def worked_example_text(worked_example_text):
    """The worked example without its `# cquin:` suppressions: the fixtures add their own."""
    return re.sub(r"  # cquin:.*", "", worked_example_text)


@pytest.fixture
def scheme(tmp_path, worked_example_text):
    """The worked example: lints with one warning, W401 on indicator X1."""
    path = tmp_path / "schemes" / "northfield.yaml"
    path.parent.mkdir()
    path.write_text(worked_example_text)
    return path


def test_defaults_without_configuration(cquin, scheme):
    result = cquin("lint", str(scheme))
    assert result.exit_code == 0
    assert [d["code"] for d in LINE.finditer(result.stdout)] == ["W401"]


def test_pyproject_found_by_walking_up(cquin, tmp_path, scheme):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "contracts"\n\n[tool.cquin]\ndisable = ["W401"]\n')
    result = cquin("lint", str(scheme))
    assert result.exit_code == 0
    assert "no problems" in result.stdout and "W401" not in result.stdout


def test_pyproject_without_tool_cquin_is_passed_over(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text('disable = ["W401"]\n')
    (scheme.parent / "pyproject.toml").write_text('[project]\nname = "contracts"\n')
    assert "W401" not in cquin("lint", str(scheme)).stdout


def test_nearest_configuration_wins(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text('disable = ["W401"]\n')
    (scheme.parent / ".cquin.toml").write_text('[severity]\nW401 = "error"\n')
    result = cquin("lint", str(scheme))
    assert result.exit_code == 1
    assert diagnostics(result.stdout, "W401")[0]["severity"] == "error"


def test_threshold_change_changes_the_result(cquin, tmp_path, scheme):
    assert "W403" not in cquin("lint", str(scheme)).stdout
    (tmp_path / ".cquin.toml").write_text("[options.W403]\nmax_indicators = 3\n")
    result = cquin("lint", str(scheme))
    (w403,) = diagnostics(result.stdout, "W403")
    assert "4 indicators, more than 3" in w403["message"]
    (tmp_path / ".cquin.toml").write_text('[options.W404]\nminimum_value = "250000.00"\n')
    assert len(diagnostics(cquin("lint", str(scheme)).stdout, "W404")) == 2  # X1 and I1 are worth £200,000.00


def test_per_path_settings(cquin, tmp_path, worked_example_text):
    legacy = tmp_path / "legacy" / "northfield.yaml"
    current = tmp_path / "current" / "northfield.yaml"
    for path, code in ((legacy, "RNL"), (current, "RNC")):
        path.parent.mkdir()
        path.write_text(worked_example_text.replace("code: RNF", f"code: {code}"))
    (tmp_path / ".cquin.toml").write_text(
        'disable = ["W403"]\n\n[per-path."legacy/*.yaml"]\ndisable = ["W401"]\n\n[per-path."current/**"]\nseverity = {W401 = "error"}\n'
    )
    result = cquin("lint", str(tmp_path))
    w401 = diagnostics(result.stdout, "W401")
    assert [(d["file"], d["severity"]) for d in w401] == [(str(current), "error")]
    assert result.exit_code == 1


def test_explicit_config_replaces_the_search(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text('disable = ["W401"]\n')
    other = tmp_path / "ci.toml"
    other.write_text('[severity]\nW401 = "error"\n')
    result = cquin("lint", "--config", str(other), str(scheme))
    assert diagnostics(result.stdout, "W401")[0]["severity"] == "error"


def test_strict_in_configuration(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text("strict = true\n")
    assert cquin("lint", str(scheme)).exit_code == 1


def test_unknown_key_is_named_at_its_line(cquin, tmp_path, scheme):
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n\n[tool.cquin]\ndisabel = ["W401"]\n')
    result = cquin("lint", str(scheme))
    assert result.exit_code == 2
    (e502,) = diagnostics(result.stdout, "E502")
    assert (e502["file"], e502["line"]) == (str(config), "5")
    assert "unknown key 'disabel' in [tool.cquin]" in e502["message"]
    assert "W401" in result.stdout  # the lint still ran


def test_unknown_option_is_named(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text("[options.W403]\nmax = 3\n")
    (e502,) = diagnostics(cquin("lint", str(scheme)).stdout, "E502")
    assert e502["line"] == "2" and "W403 has no option 'max'; its options: max_indicators" in e502["message"]


def test_unknown_rule_code_is_named(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text('disable = ["W401"]\n\n[severity]\nW499 = "error"\n')
    result = cquin("lint", str(scheme))
    assert result.exit_code == 2
    (e503,) = diagnostics(result.stdout, "E503")
    assert e503["line"] == "4" and "'W499'" in e503["message"]


@pytest.mark.parametrize(
    "toml, code, words",
    [
        ('[severity]\nW401 = "fatal"\n', "E504", "choose error, warning or info"),
        ('disable = "W401"\n', "E504", "must be a list"),
        ("[options.W404]\nminimum_value = 7500.005\n", "E504", "more than two decimal places"),
        ('[options.W403]\nmax_indicators = "ten"\n', "E504", "expected a whole number"),
        ('disable = ["E202"]\n', "E505", "cannot be disabled"),
        ('[severity]\nE201 = "warning"\n', "E505", "cannot be lowered"),
        ('disable = ["W401"\n', "E501", "not valid TOML"),
    ],
)
def test_bad_configuration(cquin, tmp_path, scheme, toml, code, words):
    (tmp_path / ".cquin.toml").write_text(toml)
    result = cquin("lint", str(scheme))
    assert result.exit_code == 2
    (found,) = diagnostics(result.stdout, code)
    assert words in found["message"]
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_explicit_config(cquin, tmp_path, scheme):
    result = cquin("lint", "--config", str(tmp_path / "nope.toml"), str(scheme))
    assert result.exit_code == 2
    assert diagnostics(result.stdout, "E501")


def test_raising_a_framework_warning_is_allowed(cquin, tmp_path, scheme):
    (tmp_path / ".cquin.toml").write_text('[severity]\nW209 = "error"\nW401 = "info"\n')
    result = cquin("lint", str(scheme))
    assert result.exit_code == 0
    assert diagnostics(result.stdout, "W401")[0]["severity"] == "info"


def test_glob_patterns():
    from cquin_cli.check.config import glob_regex

    assert glob_regex("legacy/*.yaml").fullmatch("legacy/a.yaml")
    assert not glob_regex("legacy/*.yaml").fullmatch("legacy/sub/a.yaml")
    assert glob_regex("legacy/**/*.yaml").fullmatch("legacy/sub/deeper/a.yaml")
    assert glob_regex("legacy/**/*.yaml").fullmatch("legacy/a.yaml")
    assert glob_regex("*-2009-10.yaml").fullmatch("any/folder/x-2009-10.yaml")
    assert glob_regex("legacy").fullmatch("legacy/a.yaml")
    assert not glob_regex("legacy").fullmatch("legacyx/a.yaml")
