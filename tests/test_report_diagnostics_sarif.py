"""SARIF as GitHub code scanning reads it, valid against the official SARIF 2.1.0 schema (tests/sarif/)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, WORKED_EXAMPLE

from cquin_cli.check.registry import all_rules

SARIF_SCHEMA = json.loads((ROOT / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
REASON = "agreed with the PCT's clinical lead"


def _valid(document: dict) -> None:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]


@pytest.fixture
def repository(tmp_path, monkeypatch, worked_example_text):
    """A git work tree with one broken scheme and one with a reasoned suppression, run from a sub-folder."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    schemes = tmp_path / "schemes"
    schemes.mkdir()
    (schemes / "broken.yaml").write_text(worked_example_text.replace("share: 10%", "share: 15%"), encoding="utf-8")
    monkeypatch.chdir(schemes)
    return tmp_path


def test_validate_sarif_is_valid_2_1_0_with_what_code_scanning_uses(cquin, repository):
    result = cquin("validate", "--format", "sarif", "broken.yaml")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    _valid(document)
    (run,) = document["runs"]
    # every rule, not only those that fired, each with its documentation
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(all_rules())
    for r in rules:
        assert r["help"]["markdown"].startswith(f"**{all_rules()[r['id']].title}**")
        assert "Fails (" in r["help"]["markdown"] and r["help"]["text"].startswith(r["id"])
        for description in ("shortDescription", "fullDescription"):
            assert 0 < len(r[description]["text"]) <= 1024
    # URIs relative to the repository root, which originalUriBaseIds names
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repository.resolve().as_uri() + "/"
    (finding,) = run["results"]
    assert rules[finding["ruleIndex"]]["id"] == finding["ruleId"] == "E206"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "schemes/broken.yaml", "uriBaseId": "SRCROOT"}
    region = location["region"]
    line = (repository / "schemes" / "broken.yaml").read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
    assert region["endLine"] == region["startLine"] and region["endColumn"] == len(line.rstrip()) + 1
    assert region["endColumn"] > region["startColumn"]
    fingerprint = finding["partialFingerprints"]["cquinFinding/v1"]
    assert len(fingerprint) == 32


def test_a_fingerprint_survives_lines_moving(cquin, repository):
    scheme = repository / "schemes" / "broken.yaml"
    before = json.loads(cquin("validate", "--format", "sarif", "broken.yaml").stdout)["runs"][0]["results"][0]
    scheme.write_text("# a comment\n# and another\n" + scheme.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(cquin("validate", "--format", "sarif", "broken.yaml").stdout)["runs"][0]["results"][0]
    start = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert start(after) == start(before) + 2
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_a_long_rule_description_is_cut_within_githubs_limit():
    from cquin_cli.report.diagnostics import _sarif_text

    cut = _sarif_text("word " * 400)
    assert len(cut) <= 1024 and cut.endswith("word\u2026")
    assert _sarif_text("short\n  text") == "short text"


def test_lint_sarif_suppressions_are_valid_with_their_justification(cquin, tmp_path, monkeypatch, worked_example_text):
    from test_check_suppressions import _suppressed_scheme

    monkeypatch.chdir(tmp_path)

    def write(text: str) -> Path:
        path = tmp_path / "scheme.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    path, _ = _suppressed_scheme(write, re.sub(r"  # cquin:.*", "", worked_example_text))
    document = json.loads(cquin("lint", "--format", "sarif", str(path)).stdout)
    _valid(document)
    suppressed = [r for r in document["runs"][0]["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["W401"]
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource" and suppressed[0]["suppressions"][0]["justification"]


def test_every_sample_and_a_file_outside_the_repository_give_valid_sarif(cquin, tmp_path, monkeypatch):
    _valid(json.loads(cquin("lint", "--format", "sarif", str(SAMPLES)).stdout))
    outside = tmp_path / "elsewhere" / WORKED_EXAMPLE.name
    outside.parent.mkdir()
    outside.write_text(WORKED_EXAMPLE.read_text(encoding="utf-8").replace("share: 10%", "share: 15%"), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    document = json.loads(cquin("validate", "--format", "sarif", str(outside)).stdout)
    _valid(document)
    artifact = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": outside.resolve().as_uri()}
