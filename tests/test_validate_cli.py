"""`cquin validate` as CI sees it: exit codes, located diagnostics, output formats."""

from __future__ import annotations

import json
import re

from conftest import SAMPLES, WORKED_EXAMPLE


def test_samples_validate_clean(cquin):
    result = cquin("validate", str(SAMPLES))
    assert result.exit_code == 0, result.stdout
    # no error; the one warning is the 2020/21 sample's W219 (CQUIN suspended, a non-NHS provider paid in full)
    assert result.stdout.endswith(" files\n") and "0 errors, 1 warning in 1 of " in result.stdout
    assert [line.split(": ")[1].split()[:2] for line in result.stdout.splitlines()[:-1]] == [["warning", "W219"]]


def test_deleting_the_innovation_goal_is_located(cquin, tmp_path, worked_example_text):
    cut = worked_example_text.index("  - number: 4\n")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text[:cut])
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    goals_line = worked_example_text[:cut].splitlines().index("goals:") + 1
    assert f"{scheme}:{goals_line}:1: error E201 " in result.stdout
    assert "innovation" in result.stdout


def test_two_copies_of_a_scheme_name_both_files(cquin, tmp_path, worked_example_text):
    (tmp_path / "one.yaml").write_text(worked_example_text)
    (tmp_path / "two.yaml").write_text(worked_example_text)
    result = cquin("validate", str(tmp_path))
    assert result.exit_code == 1
    e203 = [line for line in result.stdout.splitlines() if " E203 " in line]
    assert len(e203) == 2
    assert str(tmp_path / "two.yaml") in e203[0] and str(tmp_path / "one.yaml") in e203[1]


def test_random_bytes_give_one_diagnostic_and_no_traceback(cquin, tmp_path):
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)) * 8)
    result = cquin("validate", str(junk))
    assert result.exit_code == 1
    assert len(re.findall(r"^\S+:\d+:\d+: error E\d{3} ", result.stdout, re.M)) == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_path_exits_2_and_others_still_checked(cquin, tmp_path):
    result = cquin("validate", str(tmp_path / "nope.yaml"), str(WORKED_EXAMPLE))
    assert result.exit_code == 2
    assert "E001 no such file or folder" in result.stdout
    assert "2 files" not in result.stdout  # only the real file was checked
    assert "1 error" in result.stdout


def test_github_annotations(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text.replace("rate: 0.5%", "rate: 1%"))
    result = cquin("validate", "--format", "github", str(scheme))
    assert result.exit_code == 1
    rate_line = worked_example_text.splitlines().index("rate: 0.5%") + 1
    assert re.search(rf"^::error file={re.escape(str(scheme))},line={rate_line},col=1,title=E204::E204 ", result.stdout, re.M)


def test_sarif_has_the_2_1_0_shape(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text.replace("share: 10%", "share: 15%"))
    result = cquin("validate", "--format", "sarif", str(scheme))
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "cquin"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    (finding,) = run["results"]
    assert finding["ruleId"] == "E206" and ids[finding["ruleIndex"]] == "E206"
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert finding["level"] == "error"


def test_json_output(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text.replace("date: 2009-03-20", "date: 2009-05-14"))
    result = cquin("validate", "--format", "json", str(scheme))
    assert result.exit_code == 0  # a warning does not fail validation
    document = json.loads(result.stdout)
    (d,) = document["diagnostics"]
    assert d["code"] == "W209" and d["severity"] == "warning"
    assert d["path"] == "/agreement/date"


def test_version_and_unknown_format(cquin):
    assert cquin("--version").stdout.startswith("cquin ")
    bad = cquin("validate", "--format", "xml", str(WORKED_EXAMPLE))
    assert bad.exit_code == 2 and "unknown --format" in bad.stderr


def test_an_empty_folder_cannot_be_validated(cquin, tmp_path):
    result = cquin("validate", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}:1:1: error E001 the folder holds no .yaml or .yml files" in result.stdout


def test_sarif_uris_are_encoded_and_rule_names_are_identifiers(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "my schemes" / "n°1 [x].yaml"
    scheme.parent.mkdir()
    scheme.write_text(worked_example_text.replace("share: 10%", "share: 15%"))
    sarif = json.loads(cquin("validate", "--format", "sarif", str(scheme)).stdout)
    run = sarif["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and "[" not in uri and uri.endswith("/my%20schemes/n%C2%B01%20%5Bx%5D.yaml")
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["name"] == "CommissionerSharesSumTo100"


def test_a_sarif_uri_never_reads_as_a_uri_scheme(cquin, tmp_path, worked_example_text, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a:b.yaml").write_text(worked_example_text.replace("share: 10%", "share: 15%"))
    sarif = json.loads(cquin("validate", "--format", "sarif", "a:b.yaml").stdout)
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%3Ab.yaml"


def test_a_loop_alone_says_no_file_could_be_checked(cquin, tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path)
    result = cquin("validate", str(tmp_path / "loop"))
    assert result.exit_code == 2
    assert result.stdout.rstrip().endswith("no file could be checked")


def test_yaml_that_is_no_scheme_is_skipped_in_a_folder_but_checked_when_named(cquin, tmp_path, worked_example_text):
    (tmp_path / "scheme.yaml").write_text(worked_example_text)
    (tmp_path / "mkdocs.yml").write_text("site_name: Our CQUIN schemes\nnav: [index.md]\n")
    (tmp_path / "half.yaml").write_text("provider: {code: RXX}\n")  # a scheme key: checked, and fails
    result = cquin("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'mkdocs.yml'}:1:1: info I001 not a scheme" in result.stdout
    assert " E10" not in "\n".join(l for l in result.stdout.splitlines() if "mkdocs" in l)
    assert f"{tmp_path / 'half.yaml'}:1:1: error E101 " in result.stdout
    (tmp_path / "half.yaml").unlink()
    clean = cquin("validate", str(tmp_path))
    assert clean.exit_code == 0 and "1 file checked: no problems" in clean.stdout  # the skipped file is not counted
    named = cquin("validate", str(tmp_path / "mkdocs.yml"))
    assert named.exit_code == 1 and " E101 " in named.stdout
    (tmp_path / "scheme.yaml").unlink()
    nothing = cquin("validate", str(tmp_path))  # a CI job pointed at the wrong folder must not pass
    assert nothing.exit_code == 2 and nothing.stdout.rstrip().endswith("no file could be checked")
