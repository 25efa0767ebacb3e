"""Which files a command works on: files named, and YAML files found in folders named.

Folders are walked recursively in sorted order (the same input gives the same output),
following symbolic links but never round a loop; hidden folders (``.git``, ``.venv``)
are skipped. A path that does not exist or a loop is a diagnostic, not an exception.

Files in folders are found as git sees them: inside a git work tree, only files git
tracks or would track (``git ls-files --cached --others --exclude-standard``: every
``.gitignore``, ``.git/info/exclude`` and the global excludes file respected); outside
one, the ``.gitignore`` files found in the folders are applied with git's own pattern
rules (``pathspec``). ``exclude`` patterns (``--exclude``), in the same syntax, leave out
more files found in folders, matched against paths relative to the folder named. A file
named on the command line is always checked.
A file named ``NAME.achievement.yaml`` holds achievement data for ``NAME.yaml``. A
YAML file found in a folder that shares no top-level key with a scheme (a workflow, a
site configuration) is not a scheme: the pipeline skips it with a note (I001); named on
the command line, it is checked as a scheme.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cquin_cli.diagnostics import Diagnostic, Location, make

TYPE_CHECKING = False
if TYPE_CHECKING:  # pathspec is imported only where a .gitignore or --exclude applies
    from pathspec import GitIgnoreSpec

YAML_SUFFIXES = (".yaml", ".yml")
ACHIEVEMENT_SUFFIXES = (".achievement.yaml", ".achievement.yml")


@dataclass(frozen=True, slots=True)
class Discovered:
    schemes: tuple[str, ...]
    achievements: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    named: frozenset[str] = frozenset()  # files named on the command line, not found in a folder


def is_achievement_file(path: str) -> bool:
    return path.endswith(ACHIEVEMENT_SUFFIXES)


def achievement_file_for(scheme_file: str) -> str:
    """The achievement file beside a scheme, by convention: ``NAME.yaml`` -> ``NAME.achievement.yaml``."""
    stem, ext = os.path.splitext(scheme_file)
    return f"{stem}.achievement{ext or '.yaml'}"


def discover(paths: list[str] | tuple[str, ...], exclude: tuple[str, ...] | list[str] = ()) -> Discovered:
    files: list[str] = []
    named: set[str] = set()
    diagnostics: list[Diagnostic] = []
    for path in paths:
        if os.path.isdir(path):
            inside = _walk(path, diagnostics, _Ignored(path, tuple(exclude)))
            if not inside:
                diagnostics.append(make("E001", "the folder holds no .yaml or .yml files", Location(path)))
            files.extend(inside)
        elif os.path.exists(path) or os.path.islink(path):
            files.append(path)
            named.add(path)
        else:
            diagnostics.append(make("E001", "no such file or folder", Location(path)))
    unique = list(dict.fromkeys(files))  # each file once, in the order found
    return Discovered(
        schemes=tuple(f for f in unique if not is_achievement_file(f)),
        achievements=tuple(f for f in unique if is_achievement_file(f)),
        diagnostics=tuple(diagnostics),
        named=frozenset(named),
    )


def _git_files(folder: str) -> frozenset[str] | None:
    """What git tracks or would track under ``folder``, relative to it; None outside a work tree."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):  # no git: as outside a work tree
        return None
    if done.returncode != 0:
        return None
    return frozenset(os.fsdecode(name) for name in done.stdout.split(b"\0") if name)


class _Ignored:
    """Which paths under a folder being walked are left out: git's view, then ``exclude``."""

    def __init__(self, root: str, exclude: tuple[str, ...]) -> None:
        self.root = root
        self.tracked = _git_files(root)
        # every folder holding something git lists: any other folder is not walked
        self.tracked_folders = {"/".join(f.split("/")[:i]) for f in self.tracked or () for i in range(1, f.count("/") + 1)}
        self.exclude = _spec(exclude) if exclude else None
        self.gitignores: list[tuple[str, object]] = []  # (folder relative to root, spec), outside git

    def enter(self, folder: str, names: list[str]) -> None:
        """Outside git, read the ``.gitignore`` of each folder as the walk reaches it."""
        if self.tracked is None and ".gitignore" in names:
            try:
                with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as handle:
                    lines = handle.read().splitlines()
            except OSError:
                return
            self.gitignores.append((self._relative(folder), _spec(lines)))

    def _relative(self, path: str) -> str:
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        return "" if rel == "." else rel

    def __call__(self, path: str, is_folder: bool = False) -> bool:
        rel = self._relative(path)
        probe = rel + "/" if is_folder else rel
        if self.exclude is not None and self.exclude.match_file(probe):
            return True
        if self.tracked is not None:
            if is_folder and rel in self.tracked_folders:
                return False
            parts = rel.split("/")  # a tracked link to a folder (or a submodule) tracks what is in it
            return not any("/".join(parts[:i]) in self.tracked for i in range(1, len(parts) + 1))
        # the deepest .gitignore that has a say decides, as in git
        for base, spec in reversed(self.gitignores):
            if base and not (rel + "/").startswith(base + "/"):
                continue
            decided = spec.check_file(probe[len(base) + 1 :] if base else probe)  # type: ignore[attr-defined]
            if decided.include is not None:
                return bool(decided.include)
        return False


def _spec(lines: tuple[str, ...] | list[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # only where a .gitignore or --exclude is to be applied

    return GitIgnoreSpec.from_lines(lines)


def _walk(root: str, diagnostics: list[Diagnostic], ignored: _Ignored | None = None) -> list[str]:
    found: list[str] = []
    visited: set[str] = set()

    def onerror(exc: OSError) -> None:
        diagnostics.append(make("E001", f"the folder cannot be read ({exc.strerror})", Location(exc.filename or root)))

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=onerror):
        real = os.path.realpath(folder)
        if real in visited:
            diagnostics.append(make("E001", f"folder link loop: {folder} leads back to {real}; not followed", Location(folder)))
            dirs[:] = []
            continue
        visited.add(real)
        if ignored is not None:
            ignored.enter(folder, names)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (ignored and ignored(os.path.join(folder, d), True)))
        for name in sorted(names):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                path = os.path.join(folder, name)
                if ignored is None or not ignored(path):
                    found.append(path)
    return found
