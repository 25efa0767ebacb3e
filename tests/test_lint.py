"""`cquin lint` as CI sees it: the shipped samples, the step summary for validate, bad usage."""

from __future__ import annotations

import re

from conftest import SAMPLES


def test_samples_lint_clean(cquin):
    result = cquin("lint", str(SAMPLES))
    assert result.exit_code == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout


def test_samples_lint_clean_even_strict(cquin):
    # Every design weakness in the samples is either fixed or suppressed with a reason.
    result = cquin("lint", "--strict", str(SAMPLES))
    assert result.exit_code == 0, result.stdout


def test_validate_writes_every_finding_to_the_step_summary(cquin, tmp_path, worked_example_text, monkeypatch):
    # Twelve errors: more than the 10 annotations GitHub shows of one level per step.
    text = worked_example_text
    for n in range(12):
        (tmp_path / f"copy{n}.yaml").write_text(text.replace("share: 10%", "share: 15%").replace("code: RNF", f"code: R{n:02d}"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = cquin("validate", str(tmp_path))
    assert result.exit_code == 1
    markdown = summary.read_text()
    assert markdown.startswith("earlier step\n### cquin validate\n")
    assert len(re.findall(r"^\| error \| E206 \|", markdown, re.M)) == 12


def test_lint_unknown_format_exits_2(cquin, tmp_path):
    result = cquin("lint", "--format", "xml", str(SAMPLES))
    assert result.exit_code == 2
    assert "unknown --format" in result.stderr


def test_lint_missing_path_exits_2(cquin, tmp_path):
    result = cquin("lint", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "E001" in result.stdout
