"""``cquin diff``'s stages put together: find the versions, load both sides, compare each scheme.

Two ways in: :func:`diff_revisions` (git: a base revision against a head revision or
the working tree) and :func:`diff_files` (two files on disk, no git needed);
:func:`diff_arguments` tells which the command line asks for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cquin_cli.check.config import ConfigFinder
from cquin_cli.compare.git import Change, GitError, changed_files, default_base, describe, read_version, repository_root, verify
from cquin_cli.compare.schemes import SchemeDiff, Version, compare, load_version
from cquin_cli.diagnostics import CANNOT_READ, Diagnostic, Location, make
from cquin_cli.load.discovery import YAML_SUFFIXES
from cquin_cli.load.yaml_reader import read_bytes


class DiffRefused(Exception):
    """The comparison cannot be made: a file is missing or is not a scheme (exit 2)."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


@dataclass(frozen=True, slots=True)
class DiffRun:
    base: str  # how the old side is named: "main (3f2a1c9)" or a file
    head: str  # "working tree", a revision, or a file
    schemes: tuple[SchemeDiff, ...]
    notes: tuple[str, ...] = ()


def _pair_moves(pairs: list[tuple[Change, Version, Version]]) -> list[tuple[Change, Version, Version]]:
    """Pair a deleted scheme with an added one of the same provider, year and route: a move git missed."""
    deleted = [p for p in pairs if p[0].status == "deleted" and p[1].scheme is not None]
    out = []
    for change, old, new in pairs:
        if change.status == "added" and new.scheme is not None:
            match = next((d for d in deleted if d[1].scheme.key == new.scheme.key), None)  # type: ignore[union-attr]
            if match is not None:
                deleted.remove(match)
                out.append((Change(match[0].old_path, change.new_path, "renamed"), match[1], new))
                continue
        out.append((change, old, new))
    moved_away = {p[0].old_path for p in out if p[0].status == "renamed"}
    return [p for p in out if not (p[0].status == "deleted" and p[0].old_path in moved_away and p[2].path is None)]


def diff_revisions(base: str | None = None, head: str | None = None, cwd: str | None = None) -> DiffRun:
    """Schemes changed from ``base`` (default: the merge-base with main) to ``head`` (default: the working tree)."""
    root = repository_root(cwd)
    notes: list[str] = []
    if base is None:
        base_commit, branch = default_base(root)
        base_label = f"merge-base with {branch} ({describe(root, base_commit)})"
    else:
        base_commit = verify(root, base)
        base_label = describe(root, base)
    head_commit = verify(root, head) if head is not None else None
    head_label = describe(root, head) if head is not None else "working tree"
    loaded = []
    finder = ConfigFinder()  # each file's lint configuration, from where it lives in the working tree

    def load(revision: str | None, path: str | None, label: str) -> Version:
        if path is None:
            return Version(None, label)
        return load_version(read_version(root, revision, path), path, label, real_path=os.path.join(root, path), finder=finder)

    for change in changed_files(root, base_commit, head_commit):
        old = load(base_commit, change.old_path, base_label)
        new = load(head_commit, change.new_path, head_label)
        if not any(v.is_scheme for v in (old, new) if v.path is not None):
            continue  # YAML that is not a scheme (a workflow, a pre-commit configuration)
        loaded.append((change, old, new))
    diffs = []
    for change, old, new in _pair_moves(loaded):
        diffs.append(compare(old, new, change.status))
    return DiffRun(base_label, head_label, tuple(diffs), tuple(notes))


def _unreadable(path: str, why: str) -> DiffRefused:
    """A side that cannot be read: its E001 names it, as every command does (exit 2)."""
    return DiffRefused(f"{path} {why}; nothing compared", (make(CANNOT_READ, why, Location(path)),))


def _read(path: str) -> bytes:
    """A file given on the command line, through the one bounded reader; DiffRefused (with its E001) when it cannot be compared."""
    if not os.path.lexists(path):
        raise _unreadable(path, "does not exist")
    if os.path.isdir(path):
        raise _unreadable(path, "is a folder; cquin diff compares two scheme files, or two git revisions")
    raw, error = read_bytes(path)
    if error is not None:
        raise _unreadable(path, error.message if error.message.startswith("is ") else f"cannot be read: {error.message}")
    assert raw is not None
    return raw


def _usable(version: Version) -> None:
    """Refuse a side that is not a scheme: a diff against nothing would show every indicator as added."""
    if not version.is_scheme:
        raise DiffRefused(f"{version.path} is not a scheme (it has neither financial_year nor goals); nothing compared")
    if version.scheme is None:
        errors = tuple(d for d in version.diagnostics if d.severity.value == "error")
        raise DiffRefused(f"{version.path} cannot be read as a scheme (the errors above say why); nothing compared", errors)


def diff_files(old_file: str, new_file: str) -> DiffRun:
    """Two scheme files on disk, old then new; :class:`DiffRefused` when either is not a usable scheme."""
    raw = {path: _read(path) for path in (old_file, new_file)}
    finder = ConfigFinder()
    old = load_version(raw[old_file], old_file, old_file, finder=finder)
    new = load_version(raw[new_file], new_file, new_file, finder=finder)
    _usable(old)
    _usable(new)
    status = "modified" if os.path.realpath(old_file) == os.path.realpath(new_file) else "renamed"
    return DiffRun(old_file, new_file, (compare(old, new, status),))


def looks_like_a_file(argument: str) -> bool:
    """An argument meant as a file: it names a YAML file, or something on disk."""
    return argument.lower().endswith(YAML_SUFFIXES) or os.path.lexists(argument)


def diff_arguments(versions: list[str] | tuple[str, ...], cwd: str | None = None) -> DiffRun:
    """``cquin diff [BASE [HEAD]]`` or ``cquin diff OLD.yaml NEW.yaml``, as the arguments say.

    Arguments that name files (``*.yaml``, ``*.yml``, or anything that exists on disk)
    are compared as files, and a missing one is named, never taken for a revision.
    Otherwise they are git revisions; one that is neither (``./gone``, ``origin/mian``)
    is named as such rather than answered with a git error.
    """
    versions = list(versions)
    if len(versions) > 2:
        raise DiffRefused("give at most two versions: cquin diff [BASE [HEAD]] or cquin diff OLD.yaml NEW.yaml")
    if any(looks_like_a_file(v) for v in versions):
        if len(versions) != 2:
            raise DiffRefused(
                f"{versions[0]} is a file: give two files, cquin diff OLD.yaml NEW.yaml (or git revisions: cquin diff [BASE [HEAD]])"
            )
        return diff_files(versions[0], versions[1])
    try:
        base = versions[0] if versions else None
        head = versions[1] if len(versions) > 1 else None
        return diff_revisions(base, head, cwd=cwd)
    except GitError as exc:
        pathlike = [v for v in versions if os.sep in v or "/" in v]
        if pathlike:
            raise DiffRefused(f"{pathlike[0]} is neither a file nor a revision git knows ({exc})") from None
        raise
