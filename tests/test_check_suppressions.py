"""Suppressions beside the node: `# cquin: allow CODE -- reason`, counted in every output format."""

from __future__ import annotations

import json
import re

import pytest

LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+) (?P<code>[EWI]\d{3}) (?P<message>.*)$", re.M)
X1_RULE = "      - number: X1"
REASON = "agreed at the 12 February clinical quality review"


def codes(output: str) -> list[tuple[str, int]]:
    return [(m["code"], int(m["line"])) for m in LINE.finditer(output)]


def x1_rule_line(text: str) -> int:
    at = text.index("rule: all_or_nothing", text.index(X1_RULE))
    return text[:at].count("\n") + 1


def with_comment(text: str, line: int, comment: str, *, above: bool = False) -> str:
    lines = text.split("\n")
    if above:
        indent = re.match(r"\s*", lines[line - 1]).group(0)
        lines.insert(line - 1, f"{indent}{comment}")
    else:
        lines[line - 1] += f"  {comment}"
    return "\n".join(lines)


@pytest.fixture
def worked_example_text(worked_example_text):
    """The worked example without its `# cquin:` suppressions: the fixtures add their own."""
    return re.sub(r"  # cquin:.*", "", worked_example_text)


@pytest.fixture
def write(tmp_path):
    def write(text: str):
        path = tmp_path / "scheme.yaml"
        path.write_text(text)
        return path

    return write


def test_suppression_on_the_line(cquin, write, worked_example_text):
    path = write(with_comment(worked_example_text, x1_rule_line(worked_example_text), f"# cquin: allow W401 -- {REASON}"))
    result = cquin("lint", "--strict", str(path))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "1 file checked: no problems (0 errors, 0 warnings, 1 suppressed)\n"


def test_suppression_on_the_line_above(cquin, write, worked_example_text):
    path = write(
        with_comment(worked_example_text, x1_rule_line(worked_example_text), f"# cquin: allow W401 -- {REASON}", above=True)
    )
    result = cquin("lint", "--strict", str(path))
    assert result.exit_code == 0, result.stdout
    assert "1 suppressed" in result.stdout


def test_suppression_beside_the_indicator_covers_its_nodes(cquin, write, worked_example_text):
    line = worked_example_text[: worked_example_text.index(X1_RULE)].count("\n") + 1
    path = write(with_comment(worked_example_text, line, f"# cquin: allow W401, W402 -- {REASON}"))
    result = cquin("lint", str(path))
    assert "W401" not in result.stdout.replace("allow W401", "")
    assert "1 suppressed" in result.stdout
    # W402 matched nothing on that indicator: reported, so stale suppressions do not pile up.
    assert codes(result.stdout) == [("W515", line)]


def test_suppression_elsewhere_does_not_apply(cquin, write, worked_example_text):
    path = write(with_comment(worked_example_text, 5, f"# cquin: allow W401 -- {REASON}"))
    result = cquin("lint", str(path))
    assert codes(result.stdout) == [("W515", 5), ("W401", x1_rule_line(worked_example_text))]


def test_suppression_without_a_reason_is_reported_and_not_applied(cquin, write, worked_example_text):
    line = x1_rule_line(worked_example_text)
    path = write(with_comment(worked_example_text, line, "# cquin: allow W401"))
    result = cquin("lint", str(path))
    assert result.exit_code == 1
    assert codes(result.stdout) == [("W401", line), ("E512", line)]  # W401 at its node, E512 at the comment after it


def test_unknown_code_is_reported(cquin, write, worked_example_text):
    line = x1_rule_line(worked_example_text)
    path = write(with_comment(worked_example_text, line, f"# cquin: allow W499 -- {REASON}"))
    result = cquin("lint", str(path))
    assert result.exit_code == 1
    assert codes(result.stdout) == [("W401", line), ("E511", line)]
    assert "W499" in result.stdout


@pytest.mark.parametrize(
    "comment, code",
    [
        ("# cquin: allow E202 -- the weightings are what they are", "E513"),
        ("# cquin: ignore W401 -- agreed", "E514"),
        ("# cquin: allow -- agreed", "E514"),
        ("# cquin: allow W401 agreed in February", "E514"),
    ],
)
def test_bad_suppressions(cquin, write, worked_example_text, comment, code):
    line = x1_rule_line(worked_example_text)
    result = cquin("lint", str(write(with_comment(worked_example_text, line, comment))))
    assert result.exit_code == 1
    assert (code, line) in codes(result.stdout)
    assert ("W401", line) in codes(result.stdout)


def test_a_hash_inside_a_quoted_value_is_not_a_suppression(cquin, write, worked_example_text):
    text = worked_example_text.replace("name: Inpatient survey score", 'name: "Inpatient survey score # cquin: allow W401 -- no"')
    result = cquin("lint", str(write(text)))
    assert codes(result.stdout) == [("W401", x1_rule_line(text))]


def test_strict_makes_warnings_fail(cquin, write, worked_example_text):
    path = write(worked_example_text)
    assert cquin("lint", str(path)).exit_code == 0
    strict = cquin("lint", "--strict", str(path))
    assert strict.exit_code == 1
    assert "0 errors, 1 warning in 1 of 1 file" in strict.stdout


def _suppressed_scheme(write, worked_example_text):
    # W401 suppressed on X1; W402 left reported on X1 (final no better than baseline).
    text = worked_example_text.replace("final: {period: 2009 survey, value: 75}", "final: {period: 2009 survey, value: 71}")
    return write(with_comment(text, x1_rule_line(text), f"# cquin: allow W401 -- {REASON}")), text


def test_suppressed_counted_in_json(cquin, write, worked_example_text):
    path, text = _suppressed_scheme(write, worked_example_text)
    document = json.loads(cquin("lint", "--format", "json", str(path)).stdout)
    assert document["suppressed"] == 1 and document["warnings"] == 1
    (suppressed,) = document["suppressions"]
    assert suppressed["code"] == "W401" and suppressed["line"] == x1_rule_line(text) and suppressed["reason"] == REASON
    assert [d["code"] for d in document["diagnostics"]] == ["W402"]


def test_suppressed_counted_in_sarif(cquin, write, worked_example_text):
    path, text = _suppressed_scheme(write, worked_example_text)
    sarif = json.loads(cquin("lint", "--format", "sarif", str(path)).stdout)
    run = sarif["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["W401"]["suppressions"] == [{"kind": "inSource", "justification": REASON}]
    assert "suppressions" not in by_rule["W402"]
    assert run["properties"]["suppressed"] == 1


def test_suppressed_counted_in_github_annotations_and_step_summary(cquin, write, worked_example_text, tmp_path, monkeypatch):
    path, text = _suppressed_scheme(write, worked_example_text)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = cquin("lint", str(path))  # inside GitHub Actions: annotations by default
    assert re.search(rf"^::warning file={re.escape(str(path))},line=\d+,col=\d+,title=W402::W402 ", result.stdout, re.M)
    assert "::warning" not in result.stdout.split("W402", 1)[1].split("\n", 1)[1]  # W401 was suppressed
    assert result.stdout.rstrip().endswith("0 errors, 1 warning, 1 suppressed in 1 of 1 file")
    markdown = summary.read_text()
    assert markdown.startswith("### cquin lint\n")
    assert "| warning | W402 |" in markdown
    assert f"| W401 | `{path}:{x1_rule_line(text)}:11` |" in markdown and REASON in markdown


@pytest.mark.parametrize("breakage", ["parse", "schema"])
def test_a_file_the_design_checks_skipped_says_so_instead_of_w515(write, cquin, worked_example_text, breakage):
    text = with_comment(worked_example_text, x1_rule_line(worked_example_text), f"# cquin: allow W401 -- {REASON}")
    if breakage == "parse":
        text = text.replace("rate: 0.5%", "rate: [0.5%", 1)
    else:
        text = text.replace("rate: 0.5%", "rate: lots", 1)
    result = cquin("lint", str(write(text)))
    found = codes(result.stdout)
    assert "W515" not in [c for c, _ in found], result.stdout
    (skipped,) = [m for m in LINE.finditer(result.stdout) if m["code"] == "I516"]
    assert int(skipped["line"]) == x1_rule_line(worked_example_text)
    why = "could not be parsed (E002" if breakage == "parse" else "does not match the scheme format (E10"
    assert "the design checks did not run on this file: it " + why in skipped["message"], skipped["message"]
    assert "its suppression of W401 at line" in skipped["message"]
    assert result.exit_code == 1
