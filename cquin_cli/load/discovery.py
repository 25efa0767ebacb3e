"""Which files a command works on: files named, and YAML files found in folders named.

Folders are walked recursively in sorted order (the same input gives the same output),
following symbolic links but never round a loop; hidden folders (``.git``, ``.venv``)
are skipped. A path that does not exist or a loop is a diagnostic, not an exception.
A file named ``NAME.achievement.yaml`` holds achievement data for ``NAME.yaml``. A
YAML file found in a folder that shares no top-level key with a scheme (a workflow, a
site configuration) is not a scheme: the pipeline skips it with a note (I001); named on
the command line, it is checked as a scheme.
"""
from __future__ import annotations

import os

from cquin_cli.diagnostics import Diagnostic, Location, make
from dataclasses import dataclass

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


def discover(paths: list[str] | tuple[str, ...]) -> Discovered:
    files: list[str] = []
    named: set[str] = set()
    diagnostics: list[Diagnostic] = []
    for path in paths:
        if os.path.isdir(path):
            inside = _walk(path, diagnostics)
            if not inside:
                diagnostics.append(make("E001", "the folder holds no .yaml or .yml files", Location(path)))
            files.extend(inside)
        elif os.path.exists(path) or os.path.islink(path):
            files.append(path)
            named.add(path)
        else:
            diagnostics.append(make("E001", "no such file or folder", Location(path)))
    seen: set[str] = set()
    unique = [f for f in files if not (f in seen or seen.add(f))]
    return Discovered(
        schemes=tuple(f for f in unique if not is_achievement_file(f)),
        achievements=tuple(f for f in unique if is_achievement_file(f)),
        diagnostics=tuple(diagnostics),
        named=frozenset(named),
    )


def _walk(root: str, diagnostics: list[Diagnostic]) -> list[str]:
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
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(os.path.join(folder, name))
    return found
