"""`cquin diff` on real git repositories: what changed, and what it is worth to whom."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import WORKED_EXAMPLE

WORKED = WORKED_EXAMPLE.read_text(encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Contract Manager", "-c", "user.email=cm@example.nhs.uk", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "schemes-repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "northfield.yaml").write_text(WORKED)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Northfield 2009/10 as agreed")
    monkeypatch.chdir(root)
    return root


def swap_weightings(text: str) -> str:
    """S1 (and goal 1) 30% -> 20%; X1 (and goal 3) 20% -> 30%: still valid, same pot."""
    lines = text.split("\n")

    def set_weighting(after: str, old: str, new: str, indent: str, nth: int = 1) -> None:
        start = lines.index(after)
        seen = 0
        for k in range(start, len(lines)):
            if lines[k] == f"{indent}weighting: {old}":
                seen += 1
                if seen == nth:
                    lines[k] = f"{indent}weighting: {new}"
                    return
        raise AssertionError(after)

    set_weighting("  - number: 1", "30%", "20%", "    ")
    set_weighting("      - number: S1", "30%", "20%", "        ")
    set_weighting("  - number: 3", "20%", "30%", "    ")
    set_weighting("      - number: X1", "20%", "30%", "        ")
    return "\n".join(lines)


def test_weighting_30_to_20_shows_the_indicators_money_and_each_commissioners_share(cquin, repo):
    git(repo, "checkout", "-q", "-b", "lower-vte")
    (repo / "northfield.yaml").write_text(swap_weightings(WORKED))
    result = cquin("diff")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("cquin diff: merge-base with main (")
    assert "northfield.yaml (changed): Northfield Hospitals NHS Trust 2009/10" in out
    assert "S1 VTE risk assessment (goal 1): changed\n      weighting: 30% -> 20%\n" in out
    assert "money: £300,000.00 -> £200,000.00 (-£100,000.00); 5NF -£70,000.00, 5NB -£20,000.00, 5NC -£10,000.00" in out
    assert "money: £200,000.00 -> £300,000.00 (+£100,000.00); 5NF +£70,000.00, 5NB +£20,000.00, 5NC +£10,000.00" in out
    assert "goal 1 weighting: 30% -> 20%" in out
    assert "expected value: £1,000,000.00 -> £1,000,000.00 (no change)" in out
    assert "E1 " not in out  # unchanged indicators are not listed
    assert "findings introduced:" not in out
    assert "1 scheme changed; 0 findings introduced, 0 resolved" in out


def test_markdown_is_ready_for_a_pull_request(cquin, repo):
    (repo / "northfield.yaml").write_text(swap_weightings(WORKED))
    result = cquin("diff", "HEAD", "--format", "markdown")
    assert result.exit_code == 0
    md = result.stdout
    assert "### Northfield Hospitals NHS Trust 2009/10 — `northfield.yaml` (changed)" in md
    assert "| S1 VTE risk assessment | 1 | weighting: 30% -> 20% | £300,000.00 | £200,000.00 | -£100,000.00 |" in md
    assert "| indicator | 5NF | 5NB | 5NC | total |" in md
    assert "| S1 VTE risk assessment | -£70,000.00 | -£20,000.00 | -£10,000.00 | -£100,000.00 |" in md
    assert "| goal 1 weighting | 30% | 20% |" in md


def test_json_splits_each_change_exactly_by_commissioner(cquin, repo):
    (repo / "northfield.yaml").write_text(swap_weightings(WORKED))
    document = json.loads(cquin("diff", "--format", "json", "HEAD").stdout)
    (scheme,) = document["schemes"]
    by_number = {i["number"]: i for i in scheme["indicators"]}
    assert set(by_number) == {"S1", "X1"}
    s1 = by_number["S1"]
    assert (s1["old_value"], s1["new_value"], s1["change"]) == ("300000.00", "200000.00", "-100000.00")
    assert [(c["code"], c["change"]) for c in s1["by_commissioner"]] == [
        ("5NF", "-70000.00"),
        ("5NB", "-20000.00"),
        ("5NC", "-10000.00"),
    ]
    for indicator in scheme["indicators"]:
        assert sum(Decimal(c["change"]) for c in indicator["by_commissioner"]) == Decimal(indicator["change"])


def test_several_commits_added_indicator_changed_weighting_and_renamed_file(cquin, repo):
    base = git(repo, "rev-parse", "HEAD")
    # commit 2: a second safety indicator takes 10% of goal 1 from S1
    text = WORKED.replace(
        "        weighting: 30%\n        kind: process\n        provenance: national\n  - number: 2",
        "        weighting: 20%\n        kind: process\n        provenance: national\n"
        + "      - number: S2\n"
        + "".join(f"        {k}: {k} of S2\n" for k in ("name", "description", "numerator", "denominator", "rationale"))
        + "        outcome_link: Fewer falls mean fewer injuries.\n"
        + "".join(
            f"        {k}: {k} of S2\n"
            for k in ("data_source", "collection_frequency", "responsible_organisation", "reporting_frequency")
        )
        + "        baseline: {period: 2008/09, value: 10}\n        final: {period: 2009/10, value: 5}\n"
        + "        final_reporting_date: 2010-04-30\n        direction: lower\n"
        + "        partial_achievement:\n          rule: linear\n          floor: 8\n"
        + "        weighting: 10%\n        kind: outcome\n        provenance: local\n  - number: 2",
        1,
    )
    assert text != WORKED
    (repo / "northfield.yaml").write_text(text)
    git(repo, "commit", "-q", "-am", "Add S2 falls")
    # commit 3: the file moves into a folder
    (repo / "acute").mkdir()
    git(repo, "mv", "northfield.yaml", "acute/northfield-2009-10.yaml")
    git(repo, "commit", "-q", "-m", "One folder per sector")
    result = cquin("diff", base, "HEAD")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "northfield.yaml -> acute/northfield-2009-10.yaml (moved): Northfield Hospitals NHS Trust 2009/10" in out
    assert (
        "S2 name of S2 (goal 1): added\n      money: £0.00 -> £100,000.00 (+£100,000.00); 5NF +£70,000.00, 5NB +£20,000.00, 5NC +£10,000.00"
        in out
    )
    assert (
        "S1 VTE risk assessment (goal 1): changed\n      weighting: 30% -> 20%\n      money: £300,000.00 -> £200,000.00 (-£100,000.00)"
        in out
    )
    # the rename alone: nothing but the move
    moved_only = cquin("diff", "HEAD~1", "HEAD").stdout
    assert "northfield.yaml -> acute/northfield-2009-10.yaml (moved)" in moved_only
    assert "indicators:" not in moved_only


def test_a_move_git_cannot_see_is_followed_by_scheme_key(cquin, repo):
    (repo / "northfield.yaml").rename(repo / "renamed-but-not-staged.yaml")  # untracked new file
    out = cquin("diff", "HEAD").stdout
    assert "northfield.yaml -> renamed-but-not-staged.yaml (moved)" in out
    assert "scheme removed" not in out and "new scheme" not in out


def test_findings_introduced_and_resolved(cquin, repo):
    (repo / "northfield.yaml").write_text(WORKED.replace("rate: 0.5%", "rate: 1%"))
    git(repo, "commit", "-q", "-am", "wrong rate")
    (repo / "northfield.yaml").write_text(WORKED)
    git(repo, "commit", "-q", "-am", "rate fixed")
    introduced = cquin("diff", "HEAD~2", "HEAD~1").stdout
    assert "findings introduced:\n    northfield.yaml:27:1: error E204 " in introduced
    assert "expected value: £1,000,000.00 -> not priced: it has errors (E204)\n" in introduced  # never priced at a rate it breaks
    assert "rate: 0.5% -> 1%" in introduced
    resolved = cquin("diff", "HEAD~1", "HEAD").stdout
    assert "findings resolved:\n    northfield.yaml:27:1: error E204 " in resolved


def test_non_scheme_yaml_is_left_out(cquin, repo):
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    assert "no scheme changed" in cquin("diff", "HEAD").stdout


def test_two_files_outside_git(cquin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(WORKED)
    new.write_text(swap_weightings(WORKED))
    result = cquin("diff", str(old), str(new))
    assert result.exit_code == 0
    assert "money: £300,000.00 -> £200,000.00 (-£100,000.00); 5NF -£70,000.00, 5NB -£20,000.00, 5NC -£10,000.00" in result.stdout


def test_outside_a_git_repository_says_so_and_exits_2(cquin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = cquin("diff")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert "cquin diff OLD.yaml NEW.yaml" in result.stderr


def test_unknown_revision_exits_2(cquin, repo):
    result = cquin("diff", "no-such-branch")
    assert result.exit_code == 2
    assert "'no-such-branch' is not a revision of this repository" in result.stderr


def test_no_main_branch_asks_for_a_base(cquin, repo):
    git(repo, "branch", "-m", "main", "trunk")
    result = cquin("diff")
    assert result.exit_code == 2
    assert "name the base: cquin diff BASE" in result.stderr


# --- findings as `cquin lint` reports them: suppressions and configuration -------------------

ALL_OR_NOTHING_S1 = ("          rule: linear\n", "          rule: all_or_nothing\n")


def test_a_copy_of_a_suppressed_finding_is_not_introduced(cquin, repo):
    """The worked example carries `# cquin: allow W401 -- ...`: a copy of it introduces nothing."""
    assert "# cquin: allow W401 -- " in WORKED
    git(repo, "checkout", "-q", "-b", "copy")
    (repo / "copy").mkdir()
    (repo / "copy" / "northfield-copy.yaml").write_text(WORKED)
    result = cquin("diff")
    assert result.exit_code == 0, result.stderr
    assert "copy/northfield-copy.yaml (new scheme)" in result.stdout
    assert "W401" not in result.stdout
    assert "1 scheme changed; 0 findings introduced, 0 resolved" in result.stdout
    assert cquin("lint", "copy/northfield-copy.yaml").exit_code == 0  # what lint says of it


def test_removing_a_suppression_introduces_the_finding_it_hid(cquin, repo):
    (repo / "northfield.yaml").write_text(WORKED.replace("  # cquin: allow W401 -- ", "  # ", 1))
    out = cquin("diff").stdout
    assert "findings introduced:\n    northfield.yaml:131:11: warning W401 indicator X1 " in out


def test_a_finding_the_change_introduces_is_listed(cquin, repo):
    (repo / "northfield.yaml").write_text(WORKED.replace(*ALL_OR_NOTHING_S1, 1))
    out = cquin("diff").stdout
    assert "findings introduced:\n    northfield.yaml:76:11: warning W401 indicator S1 " in out


def test_rules_disabled_in_the_configuration_are_not_findings(cquin, repo):
    (repo / ".cquin.toml").write_text('disable = ["W401"]\n')
    (repo / "northfield.yaml").write_text(WORKED.replace(*ALL_OR_NOTHING_S1, 1))
    out = cquin("diff").stdout
    assert "W401" not in out and "0 findings introduced" in out


def test_the_configuration_of_the_files_real_path_applies(cquin, repo):
    """Per-path settings and severities are those of where the file lives, not of a temporary copy."""
    (repo / ".cquin.toml").write_text('[per-path."acute/**"]\nseverity = { W401 = "info" }\n')
    (repo / "acute").mkdir()
    for name in ("acute/a.yaml", "b.yaml"):
        (repo / name).write_text(WORKED.replace(*ALL_OR_NOTHING_S1, 1).replace("  # cquin: allow W401 -- ", "  # ", 1))
    result = cquin("diff")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    acute = out[out.index("acute/a.yaml") : out.index("b.yaml (new scheme)")]
    other = out[out.index("b.yaml (new scheme)") :]
    assert "acute/a.yaml:76:11: info W401 indicator S1 " in acute
    assert "b.yaml:76:11: warning W401 indicator S1 " in other


# --- files that are missing or are not schemes -------------------------------------------------


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "new.yaml").write_text(WORKED)
    return tmp_path


@pytest.mark.parametrize("missing", ["/nonexistent", "./missing.yaml", "missing.yaml"])
def test_a_missing_file_is_named_not_taken_for_a_revision(cquin, files, missing):
    result = cquin("diff", missing, "new.yaml")
    assert result.exit_code == 2
    assert f"{missing} does not exist" in result.stderr
    assert "git repository" not in result.stderr and result.stdout == ""
    result = cquin("diff", "new.yaml", missing)
    assert result.exit_code == 2 and f"{missing} does not exist" in result.stderr


def test_a_folder_or_a_device_is_not_a_scheme_file(cquin, files):
    (files / "folder").mkdir()
    result = cquin("diff", "folder", "new.yaml")
    assert result.exit_code == 2 and "folder is a folder" in result.stderr
    result = cquin("diff", "/dev/null", "new.yaml")
    assert result.exit_code == 2 and "/dev/null is not a regular file" in result.stderr


def test_an_old_file_that_is_not_a_scheme_is_refused_with_its_located_errors(cquin, files):
    """Never a silent 'everything added': the broken side's diagnostics, and exit 2."""
    (files / "broken.yaml").write_text("provider: [\n")
    result = cquin("diff", "broken.yaml", "new.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "broken.yaml:2:1: error E002 YAML syntax error" in result.stderr
    assert "broken.yaml cannot be read as a scheme (the errors above say why); nothing compared" in result.stderr
    (files / "incomplete.yaml").write_text(WORKED.replace("financial_year: 2009/10\n", "", 1))
    result = cquin("diff", "new.yaml", "incomplete.yaml")
    assert result.exit_code == 2 and "incomplete.yaml:" in result.stderr and " error E1" in result.stderr
    (files / "workflow.yaml").write_text("on: push\njobs: {}\n")
    result = cquin("diff", "workflow.yaml", "new.yaml")
    assert result.exit_code == 2 and "workflow.yaml is not a scheme" in result.stderr


def test_one_file_alone_asks_for_two(cquin, files):
    result = cquin("diff", "new.yaml")
    assert result.exit_code == 2 and "give two files" in result.stderr


def test_a_path_that_is_neither_file_nor_revision_says_so(cquin, repo):
    result = cquin("diff", "gone/northfield")
    assert result.exit_code == 2
    assert "gone/northfield is neither a file nor a revision git knows" in result.stderr


def test_a_branch_name_with_a_slash_is_still_a_revision(cquin, repo):
    git(repo, "branch", "release/2009-10")
    (repo / "northfield.yaml").write_text(swap_weightings(WORKED))
    result = cquin("diff", "release/2009-10")
    assert result.exit_code == 0, result.stderr
    assert "weighting: 30% -> 20%" in result.stdout


def test_an_unreadable_version_in_history_is_explained_in_the_note(cquin, repo):
    (repo / "northfield.yaml").write_text("provider: [\n")
    git(repo, "commit", "-q", "-am", "broken")
    (repo / "northfield.yaml").write_text(WORKED)
    out = cquin("diff", "HEAD").stdout
    assert (
        "note: the old version (" in out
        and "cannot be read as a scheme (northfield.yaml:2:1: error E002 YAML syntax error" in out
        and "it counts as no indicators, and is not priced" in out
    )
    assert "expected value: not priced: it has errors (E002) -> £1,000,000.00" in out


def goal_1_at_15_and_s1_at_10(text: str) -> str:
    """Goal 1 15% and its only indicator S1 10%: an E202 error (they must agree)."""
    lines = text.split("\n")
    goal = lines.index("  - number: 1")
    lines[lines.index("    weighting: 30%", goal)] = "    weighting: 15%"
    lines[lines.index("        weighting: 30%", lines.index("      - number: S1"))] = "        weighting: 10%"
    return "\n".join(lines)


def test_a_version_with_errors_is_not_priced_in_text(cquin, repo):
    (repo / "northfield.yaml").write_text(goal_1_at_15_and_s1_at_10(WORKED))
    result = cquin("diff", "HEAD")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "weighting: 30% -> 10%" in out
    assert "expected value: £1,000,000.00 -> not priced: it has errors (E202)" in out
    assert "£150,000.00" not in out and "£200,000.00 ->" not in out
    assert "money: £300,000.00 -> not priced: it has errors (E202)" in out
    assert "error E202" in out  # among the findings introduced


def test_a_version_with_errors_is_not_priced_in_markdown_or_json(cquin, repo):
    (repo / "northfield.yaml").write_text(goal_1_at_15_and_s1_at_10(WORKED))
    md = cquin("diff", "HEAD", "--format", "markdown").stdout
    assert "**Expected value:** £1,000,000.00 → not priced: it has errors (E202)" in md
    assert "| S1 VTE risk assessment | 1 | weighting: 30% -> 10% | £300,000.00 | not priced | — |" in md
    assert "£150,000.00" not in md
    document = json.loads(cquin("diff", "HEAD", "--format", "json").stdout)
    (scheme,) = document["schemes"]
    assert scheme["priced"] == {"old": True, "new": False, "new_errors": ["E202"], "old_errors": []}
    assert scheme["expected_value"] == {"old": "1000000.00", "new": None, "change": None}
    s1 = next(i for i in scheme["indicators"] if i["number"] == "S1")
    assert (s1["old_value"], s1["new_value"], s1["change"], s1["by_commissioner"]) == ("300000.00", None, None, [])
    assert all(c["new_value"] is None and c["change"] is None for c in scheme["commissioners"])
