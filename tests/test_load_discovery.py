"""Files found in folders as git sees them (.gitignore, untracked drafts), and --exclude on every command that walks folders."""

from __future__ import annotations

import subprocess

import pytest
from conftest import WORKED_EXAMPLE

BROKEN = WORKED_EXAMPLE.read_text(encoding="utf-8").replace("share: 10%", "share: 15%")
CLEAN = WORKED_EXAMPLE.read_text(encoding="utf-8")
WALKING_COMMANDS = ("validate", "lint", "fmt", "price", "render", "report", "export")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No repository above tmp_path, and no global excludes file, whatever this machine has."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _reported(result) -> set[str]:
    """The files with the broken commissioner shares (E206; copies of one scheme also meet E203)."""
    return {line.split(":", 1)[0] for line in result.stdout.splitlines() if ": error E206 " in line}


def test_in_a_git_work_tree_only_what_git_tracks_or_would_track(cquin, isolated):
    _git(isolated, "init", "-q")
    _write(isolated / ".gitignore", "drafts/\n*.draft.yaml\n")
    _write(isolated / "schemes" / "a.yaml", CLEAN)
    _git(isolated, "add", "-A")
    _git(isolated, "commit", "-q", "-m", "one scheme")
    _write(isolated / "schemes" / "drafts" / "wip.yaml", BROKEN)  # ignored folder
    _write(isolated / "schemes" / "b.draft.yaml", BROKEN)  # ignored name
    _write(isolated / "schemes" / "new.yaml", BROKEN)  # untracked, not ignored: git would track it
    result = cquin("validate", "schemes")
    assert result.exit_code == 1
    assert _reported(result) == {"schemes/new.yaml"}
    assert result.stdout.rstrip().endswith("in 2 of 2 files")  # E203 pairs the copies
    # an ignored file named on the command line is still checked
    assert _reported(cquin("validate", "schemes/drafts/wip.yaml")) == {"schemes/drafts/wip.yaml"}
    # --exclude leaves out more
    excluded = cquin("validate", "--exclude", "new.yaml", "schemes")
    assert excluded.exit_code == 0, excluded.stdout


def test_a_tracked_file_that_matches_gitignore_is_still_found(cquin, isolated):
    _git(isolated, "init", "-q")
    _write(isolated / "kept.yaml", BROKEN)
    _git(isolated, "add", "kept.yaml")
    _write(isolated / ".gitignore", "*.yaml\n")
    assert _reported(cquin("validate", ".")) == {"./kept.yaml"}


def test_outside_git_every_gitignore_applies_with_gits_rules(cquin, isolated):
    _write(isolated / "schemes" / ".gitignore", "drafts/\n*.draft.yaml\n")
    _write(isolated / "schemes" / "a.yaml", CLEAN)
    _write(isolated / "schemes" / "drafts" / "wip.yaml", BROKEN)
    _write(isolated / "schemes" / "b.draft.yaml", BROKEN)
    # a deeper .gitignore has the last word: it takes one draft back
    _write(isolated / "schemes" / "region" / ".gitignore", "!keep.draft.yaml\n")
    _write(isolated / "schemes" / "region" / "keep.draft.yaml", BROKEN)
    _write(isolated / "schemes" / "region" / "other.draft.yaml", BROKEN)
    result = cquin("validate", "schemes")
    assert _reported(result) == {"schemes/region/keep.draft.yaml"}
    assert result.stdout.rstrip().endswith("in 2 of 2 files")  # E203 pairs the copies


@pytest.mark.parametrize("pattern", ["drafts/", "drafts", "/drafts/", "**/wip.yaml", "wip.yaml"])
def test_exclude_patterns_are_relative_to_the_folder_named(cquin, isolated, pattern):
    _write(isolated / "schemes" / "a.yaml", CLEAN)
    _write(isolated / "schemes" / "drafts" / "wip.yaml", BROKEN)
    assert cquin("validate", "schemes").exit_code == 1
    result = cquin("lint", "--exclude", pattern, "schemes")
    assert result.exit_code == 0, result.stdout
    assert "1 file checked" in result.stdout


def test_fmt_leaves_an_excluded_file_alone(cquin, isolated):
    _write(isolated / "schemes" / "a.yaml", CLEAN)
    messy = _write(
        isolated / "schemes" / "drafts" / "messy.yaml",
        CLEAN.replace("financial_year: 2009/10\n", "") + "financial_year: 2009/10\n",
    )
    assert cquin("fmt", "--check", "schemes").exit_code == 1
    assert cquin("fmt", "--check", "--exclude", "drafts/", "schemes").exit_code == 0
    assert cquin("fmt", "--exclude", "drafts/", "schemes").exit_code == 0
    assert messy.read_text(encoding="utf-8").endswith("financial_year: 2009/10\n")


@pytest.mark.parametrize("command", WALKING_COMMANDS)
def test_every_command_that_walks_folders_takes_exclude(cquin, command):
    result = cquin(command, "--help")
    assert result.exit_code == 0
    assert "--exclude" in result.stdout and "PATTERN" in result.stdout


def test_price_report_and_export_leave_excluded_files_out(cquin, isolated):
    _write(isolated / "schemes" / "a.yaml", CLEAN)
    _write(isolated / "schemes" / "drafts" / "wip.yaml", BROKEN)
    for command in (["price"], ["report"], ["export", "--format", "json"]):
        assert cquin(*command, "schemes").exit_code == 1, command
        result = cquin(*command, "--exclude", "drafts/", "schemes")
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
