"""``cquin diff``'s stages put together: find the versions, load both sides, compare each scheme.

Two ways in: :func:`diff_revisions` (git: a base revision against a head revision or
the working tree) and :func:`diff_files` (two files on disk, no git needed).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from cquin_cli.check.config import ConfigFinder
from cquin_cli.compare.git import Change, changed_files, default_base, describe, read_version, repository_root, verify
from cquin_cli.compare.schemes import SchemeDiff, Version, compare, load_version


@dataclass(frozen=True)
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
    notes = []
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


def diff_files(old_file: str, new_file: str) -> DiffRun:
    """Two scheme files on disk, old then new."""
    def read(path: str) -> bytes:
        with open(path, "rb") as handle:
            return handle.read()

    old = load_version(read(old_file), old_file, old_file)
    new = load_version(read(new_file), new_file, new_file)
    status = "modified" if old_file == new_file else "renamed"
    return DiffRun(old_file, new_file, (compare(old, new, status),))
