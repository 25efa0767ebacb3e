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


def _serial_and_pooled(cquin, monkeypatch, *args):
    """``cquin ARGS`` in one process, then on the worker pool in chunks of 8."""
    from cquin_cli.check import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 10**9)
    serial = cquin(*args)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 16)
    monkeypatch.setattr(pipeline, "CHUNK", 8)
    return serial, cquin(*args)


def test_a_portfolio_linted_on_every_core_prints_the_same_bytes_as_one_process(cquin, monkeypatch, tmp_path):
    import json

    from conftest import mixed_portfolio

    folder = str(mixed_portfolio(tmp_path))
    for format in ("json", "text"):
        serial, pooled = _serial_and_pooled(cquin, monkeypatch, "lint", folder, "--format", format)
        assert serial.exit_code == pooled.exit_code == 1
        assert pooled.stdout == serial.stdout
    found = json.loads(serial.stdout if format == "json" else cquin("lint", folder, "--format", "json").stdout)
    codes = {d["code"] for d in found["diagnostics"]}
    assert {"E203", "W413", "W414", "W515", "E204"} <= codes
    suppressed = {s["code"] for s in found["suppressions"]}
    assert {"W401", "W413"} <= suppressed  # a portfolio finding suppressed in a file the run no longer holds


def test_a_streamed_lint_finds_what_a_run_holding_every_record_finds(tmp_path):
    """``lint_paths`` keeps a summary of each scheme and no values; the portfolio rules, the
    suppressions and their W515 come out as from whole records and values."""
    from conftest import mixed_portfolio

    from cquin_cli.check.config import ConfigFinder
    from cquin_cli.check.lint import lint_findings, lint_paths
    from cquin_cli.check.pipeline import PortfolioSummary, check_paths

    folder = str(mixed_portfolio(tmp_path))
    streamed = lint_paths([folder])
    assert all(isinstance(r.scheme, PortfolioSummary) and r.values is None for r in streamed.run.results if r.scheme)
    finder = ConfigFinder(None)
    whole = check_paths([folder], lint=finder)
    kept, suppressed = lint_findings(whole.diagnostics, whole.results, finder.settings_for)
    assert streamed.diagnostics == tuple(sorted(kept, key=lambda d: d.sort_key))
    assert [s.diagnostic for s in streamed.suppressed] == sorted((s.diagnostic for s in suppressed), key=lambda d: d.sort_key)
