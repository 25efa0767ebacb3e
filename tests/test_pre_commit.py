"""The hooks of .pre-commit-hooks.yaml run by pre-commit itself on a repository's staged files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE

from cquin_cli.load.yaml_reader import read_yaml

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install -e '.[test]'")

CLEAN = WORKED_EXAMPLE.read_text(encoding="utf-8")
BROKEN = CLEAN.replace("share: 10%", "share: 15%")
BIN = Path(sys.executable).parent


def _config() -> str:
    """The manifest's lint and fmt hooks as `repo: local` hooks running this environment's cquin.

    A hook repository given by URL or path is cloned and installed into a new
    environment, which needs the package index; a local repository keeps the manifest's
    entries, arguments, file pattern and serial calls and runs offline.
    """
    hooks = [h for h in read_yaml(ROOT / ".pre-commit-hooks.yaml").value if h["id"] in ("cquin-lint", "cquin-fmt")]
    local = [dict(h, entry=str(BIN / h["entry"]), language="system") for h in hooks]
    return json.dumps({"repos": [{"repo": "local", "hooks": local}]}, indent=2)


@pytest.fixture
def repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "no-global-gitconfig"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t.invalid",
    }
    env.pop("GITHUB_ACTIONS", None)
    repo = tmp_path / "schemes-repo"
    repo.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=120)

    run("git", "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(_config(), encoding="utf-8")
    (repo / "schemes").mkdir()
    (repo / "schemes" / "a.yaml").write_text(CLEAN, encoding="utf-8")
    run("git", "add", "-A")
    run("git", "commit", "-q", "--no-verify", "-m", "a scheme")
    return repo, run


def _pre_commit(run) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pre_commit", "run", "--color", "never")


def test_an_untracked_broken_draft_does_not_block_an_unrelated_commit(repository):
    repo, run = repository
    (repo / "drafts").mkdir()
    (repo / "drafts" / "wip.yaml").write_text(BROKEN, encoding="utf-8")  # untracked, never staged
    (repo / "schemes" / "a.yaml").write_text(CLEAN + "# reviewed\n", encoding="utf-8")
    run("git", "add", "schemes/a.yaml")
    result = _pre_commit(run)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wip.yaml" not in result.stdout


def test_a_staged_error_is_reported_once_at_its_place(repository):
    repo, run = repository
    (repo / "schemes" / "a.yaml").write_text(BROKEN, encoding="utf-8")
    run("git", "add", "schemes/a.yaml")
    result = _pre_commit(run)
    assert result.returncode == 1, result.stdout + result.stderr
    findings = [line for line in result.stdout.splitlines() if " E206 " in line]
    assert len(findings) == 1 and findings[0].startswith("schemes/a.yaml:"), result.stdout


def test_cross_file_rules_see_the_schemes_not_staged(repository):
    repo, run = repository
    # a second scheme for the same provider and year: E203 is found against a.yaml,
    # which is not staged, and reported only in the staged b.yaml
    (repo / "schemes" / "b.yaml").write_text(CLEAN, encoding="utf-8")
    run("git", "add", "schemes/b.yaml")
    result = _pre_commit(run)
    assert result.returncode == 1, result.stdout + result.stderr
    findings = [line for line in result.stdout.splitlines() if " E203 " in line]
    assert len(findings) == 1 and findings[0].startswith("schemes/b.yaml:"), result.stdout
    assert "schemes/a.yaml" in findings[0]
