"""Checking is one function over text, with one rule runner for every scope and command."""

from __future__ import annotations

import re

from conftest import ROOT, WORKED_EXAMPLE

WORKED = WORKED_EXAMPLE.read_text(encoding="utf-8")


def test_check_text_is_check_of_the_file(tmp_path):
    from cquin_cli.check.pipeline import check_scheme_file, check_text

    broken = WORKED.replace("    weighting: 30%\n", "    weighting: 15%\n", 1)
    (tmp_path / "n.yaml").write_text(broken)
    from_file = check_scheme_file(str(tmp_path / "n.yaml"))
    from_text = check_text(broken.encode(), str(tmp_path / "n.yaml"))
    assert from_text.diagnostics == from_file.diagnostics
    assert [d.code for d in from_text.diagnostics if d.severity.value == "error"] == [
        "E202",
        "E202",
    ]  # the goal against its indicators, and the goals against 100%
    assert check_text(broken, "shown/as.yaml").diagnostics[0].location.file == "shown/as.yaml"


def test_a_crashing_design_rule_is_e009_with_its_source_as_in_validate(tmp_path, monkeypatch, cquin):
    from cquin_cli.check import registry

    rules = registry.all_rules()

    def crash(subject, options=None):
        raise ZeroDivisionError("boom")

    from dataclasses import replace

    monkeypatch.setitem(rules, "W401", replace(rules["W401"], check=crash))
    monkeypatch.setitem(rules, "E202", replace(rules["E202"], check=crash))
    (tmp_path / "n.yaml").write_text(WORKED)
    result = cquin("lint", "--format", "json", str(tmp_path / "n.yaml"))
    import json

    crashes = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "E009"]
    assert len(crashes) == 2, result.stdout
    assert {d["message"].split()[1] for d in crashes} == {"W401", "E202"}
    assert all(d.get("source") for d in crashes), crashes


def test_diff_writes_no_temporary_file(tmp_path, monkeypatch, cquin):
    import tempfile

    def refuse(*args, **kwargs):
        raise AssertionError("cquin diff wrote a temporary file")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    (tmp_path / "old.yaml").write_text(WORKED)
    (tmp_path / "new.yaml").write_text(WORKED.replace("rate: 0.5%", "rate: 0.4%"))
    result = cquin("diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))
    assert result.exit_code == 0, result.stderr


def test_one_rule_runner_in_the_code():
    """A rule's crash becomes E009 in one place only: nothing else catches a rule raising."""
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "cquin_cli").rglob("*.py")}
    catching = sorted(str(p.relative_to(ROOT)) for p, text in sources.items() if re.search(r"crashed: \{", text))
    assert catching == ["cquin_cli/check/pipeline.py"]
    assert not any("_scheme_lint" in text or "tempfile" in text for p, text in sources.items() if "compare" in str(p))
