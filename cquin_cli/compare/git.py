"""The edge that talks to git: which scheme files changed between two versions, and their bytes.

Everything goes through the real ``git`` executable (no library re-implements git's
rename detection or its idea of the working tree). A version is a revision, or ``None``
for the working tree. Renames and moves are git's (``--name-status -M``), and, because
git cannot pair a deleted file with an untracked new one, a deleted scheme and an added
scheme with the same provider, year and commissioning route are paired here too.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from cquin_cli.load.discovery import YAML_SUFFIXES
from cquin_cli.load.yaml_reader import MAX_FILE_BYTES, LoadError, read_bytes


class GitError(Exception):
    """git could not answer: not a repository, an unknown revision, git missing."""


@dataclass(frozen=True, slots=True)
class Change:
    """One file between two versions: ``old_path`` None when added, ``new_path`` None when deleted."""

    old_path: str | None
    new_path: str | None
    status: str  # added, deleted, modified, renamed


def _git(args: list[str], cwd: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(
            "the git executable was not found; install git, or compare two files: cquin diff OLD.yaml NEW.yaml"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def repository_root(cwd: str | None = None) -> str:
    """The top folder of the git repository around ``cwd``; GitError outside one."""
    cwd = cwd or os.getcwd()
    try:
        out = _git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise GitError(
            f"{os.path.abspath(cwd)} is not inside a git repository; run cquin diff inside one, "
            "or compare two files: cquin diff OLD.yaml NEW.yaml"
        ) from None
    return out.decode("utf-8").strip()


def verify(root: str, revision: str) -> str:
    """The commit a revision names; GitError with git's own words when it names none."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).decode().strip()
    except GitError:
        raise GitError(f"{revision!r} is not a revision of this repository (a branch, tag or commit)") from None


def default_base(root: str) -> tuple[str, str]:
    """The merge-base of HEAD with the main branch (main, else master, else the upstream)."""
    for branch in ("main", "master", "origin/main", "origin/master", "@{upstream}"):
        try:
            _git(["rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"], root)
        except GitError:
            continue
        try:
            base = _git(["merge-base", "HEAD", branch], root).decode().strip()
        except GitError:
            continue
        return base, branch
    raise GitError(
        "found no main or master branch and no upstream to compare with; name the base: cquin diff BASE "
        "(in CI, fetch the history: actions/checkout with fetch-depth: 0)"
    )


def _is_scheme_path(path: str) -> bool:
    from cquin_cli.load.discovery import is_achievement_file

    return path.endswith(YAML_SUFFIXES) and not is_achievement_file(path)


def changed_files(root: str, base: str, head: str | None) -> list[Change]:
    """Scheme-like YAML files that differ between ``base`` and ``head`` (None: the working tree)."""
    args = ["diff", "--name-status", "-M", "-z", "--no-color", "--no-ext-diff", base]
    if head is not None:
        args.append(head)
    fields = _git(args, root).decode("utf-8", errors="surrogateescape").split("\0")
    changes: list[Change] = []
    at = 0
    while at < len(fields) and fields[at]:
        status = fields[at]
        if status.startswith(("R", "C")):
            old, new = fields[at + 1], fields[at + 2]
            at += 3
            if status.startswith("C"):
                changes.append(Change(None, new, "added"))
            else:
                changes.append(Change(old, new, "renamed"))
            continue
        path = fields[at + 1]
        at += 2
        if status.startswith("A"):
            changes.append(Change(None, path, "added"))
        elif status.startswith("D"):
            changes.append(Change(path, None, "deleted"))
        else:  # M, T (type change), U (unmerged)
            changes.append(Change(path, path, "modified"))
    if head is None:
        untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root).decode("utf-8", errors="surrogateescape")
        changes += [Change(None, path, "added") for path in untracked.split("\0") if path]
    kept = [c for c in changes if _is_scheme_path(c.new_path or c.old_path or "")]
    return sorted(kept, key=lambda c: c.new_path or c.old_path or "")


def read_version(root: str, revision: str | None, path: str) -> bytes | LoadError | None:
    """A file's bytes at a revision (None: the working tree); None when it does not exist there.

    The working tree is read through the one bounded reader, and a blob is read to the
    same limit (``git cat-file`` is stopped past it): a :class:`LoadError` says why a
    version was not read (a FIFO, a device, too large).
    """
    if revision is None:
        full = os.path.join(root, path)
        if not os.path.lexists(full):
            return None
        raw, error = read_bytes(full)
        return raw if error is None else error
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "blob", f"{revision}:{path}"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except FileNotFoundError:
        return None
    assert process.stdout is not None
    with process.stdout:
        raw = process.stdout.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        process.kill()
        process.wait()
        return LoadError(
            "E001", f"the version at {revision} is larger than {MAX_FILE_BYTES // 1048576} MB, the most a scheme file may be"
        )
    return raw if process.wait() == 0 else None


def describe(root: str, revision: str) -> str:
    """A short human name of a revision: ``main (3f2a1c9)``."""
    try:
        short = _git(["rev-parse", "--short", revision], root).decode().strip()
    except GitError:
        return revision
    if short.startswith(revision) or revision.startswith(short):
        return short
    return f"{revision} ({short})"
