"""``scheme_versions`` asks git once per folder and must give exactly what ``scheme_version`` gives file by file."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from cquin_cli.render import version as version_module
from cquin_cli.render.version import NOT_IN_GIT, scheme_version, scheme_versions

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(repo, *args, date="2009-03-20T12:00:00+00:00"):
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "HOME": str(repo.parent),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run([GIT, *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit_all(repo, message, date):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


@pytest.fixture()
def repo(tmp_path):
    repo = tmp_path / "repo"
    (repo / "schemes").mkdir(parents=True)
    git(repo, "init", "-q")
    for name in ("a.yaml", "b.yaml", "c.yaml", "old.yaml"):
        (repo / "schemes" / name).write_text(f"name: {name}\n")
    commit_all(repo, "first", "2009-03-20T12:00:00+00:00")
    (repo / "schemes" / "b.yaml").write_text("name: b, agreed\n")
    commit_all(repo, "second", "2009-04-01T09:30:00+00:00")
    git(repo, "mv", "schemes/old.yaml", "schemes/renamed.yaml")
    (repo / "schemes" / "c.yaml").write_text("name: c\nchanged: yes\n")
    commit_all(repo, "third", "2009-05-02T10:00:00+00:00")
    return repo


def scheme_files(repo):
    folder = repo / "schemes"
    (folder / "a.yaml").write_text("name: a, not yet committed\n")  # changed in the working tree
    (folder / "new.yaml").write_text("name: new\n")  # never committed
    (folder / "renamed.yml").write_text("x: 1\n")
    git(repo, "add", "schemes/renamed.yml")  # staged, never committed
    return [str(folder / n) for n in ("a.yaml", "b.yaml", "c.yaml", "renamed.yaml", "new.yaml", "renamed.yml")]


def test_one_walk_gives_the_same_versions_as_one_question_a_file(repo, monkeypatch):
    files = scheme_files(repo)
    one_by_one = {f: scheme_version(f) for f in files}
    calls = []
    real_git = version_module._git
    monkeypatch.setattr(version_module, "_git", lambda args, folder: calls.append(args[0]) or real_git(args, folder))
    together = scheme_versions(files)
    assert together == one_by_one
    assert calls == ["rev-list", "log", "rev-parse", "status"]  # not two a file
    texts = {f.rsplit("/", 1)[1]: v.text for f, v in together.items()}
    assert re.search(r"of 2009-03-20 12:00 UTC \(with changes not yet committed; file SHA-256 [0-9a-f]{64}\)$", texts["a.yaml"])
    assert texts["b.yaml"].endswith("of 2009-04-01 09:30 UTC")
    assert texts["c.yaml"].endswith("of 2009-05-02 10:00 UTC") and texts["renamed.yaml"] == texts["c.yaml"]
    assert re.fullmatch(r"not in git; file SHA-256 [0-9a-f]{64}", texts["new.yaml"])
    assert re.fullmatch(r"not in git; file SHA-256 [0-9a-f]{64}", texts["renamed.yml"])


def test_a_history_with_a_merge_is_asked_file_by_file(repo):
    git(repo, "checkout", "-q", "-b", "side")
    (repo / "schemes" / "b.yaml").write_text("name: b, side\n")
    commit_all(repo, "side", "2009-06-01T00:00:00+00:00")
    git(repo, "checkout", "-q", "-")
    (repo / "schemes" / "a.yaml").write_text("name: a, main\n")
    commit_all(repo, "main", "2009-06-02T00:00:00+00:00")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "side", date="2009-06-03T00:00:00+00:00")
    files = scheme_files(repo)
    assert scheme_versions(files) == {f: scheme_version(f) for f in files}


def test_outside_git_every_file_is_not_in_git(tmp_path):
    files = []
    for name in ("x.yaml", "y.yaml"):
        (tmp_path / name).write_text("a: 1\n")
        files.append(str(tmp_path / name))
    digest = hashlib.sha256(b"a: 1\n").hexdigest()
    assert scheme_versions(files) == {f: replace(NOT_IN_GIT, sha256=digest) for f in files}
    assert scheme_versions(files)[files[0]].text == f"not in git; file SHA-256 {digest}"
