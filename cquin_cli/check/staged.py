"""Findings in some files only, with cross-file rules still seeing every scheme (pre-commit).

pre-commit names the changed files. The one-scheme-per-provider rule (E203), unequal
stretch (W413) and the same indicator paid twice (W414) must still see the rest of the
repository's schemes, so the files named are checked together with every scheme under
the ``context`` folders, and only the findings in the files named are reported, under
the names given. A file named is found as it would be in a folder: YAML that is no
scheme at all (a workflow, ``mkdocs.yml``) is skipped silently, not reported as a broken
scheme.
"""

from __future__ import annotations

import os
from dataclasses import replace

from cquin_cli.diagnostics import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Sequence

    from cquin_cli.check.lint import LintRun
    from cquin_cli.check.pipeline import Run


def _real(path: str) -> str:
    return os.path.realpath(path)


def paths_to_check(named: Sequence[str], context: Sequence[str], exclude: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """What to check, and what to leave out: the context folders, any file named outside
    all of them, and ``exclude`` with every file git does not track under the context
    (an untracked draft takes no part in a commit, so it never blocks one)."""
    folders = [_real(c).rstrip(os.sep) + os.sep for c in context]
    outside = [n for n in named if not any(_real(n).startswith(f) for f in folders)]
    untracked = [pattern for c in context for pattern in _untracked(c)]
    return [*context, *outside], [*exclude, *untracked]


def _untracked(folder: str) -> list[str]:
    """Patterns (relative to ``folder``) for each file in it that git does not track."""
    import re
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", folder, "ls-files", "-z", "--others", "--exclude-standard"], capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []  # not a work tree: every file there is context
    names = (os.fsdecode(n) for n in done.stdout.split(b"\0") if n)
    return ["/" + re.sub(r"([\\*?\[\]!#])", r"\\\1", n) for n in names if n.endswith((".yaml", ".yml"))]


class _Names:
    """The files named, by their real path, and how each was written."""

    def __init__(self, named: Sequence[str]) -> None:
        self.given = {_real(n): n for n in named}

    def file(self, path: str) -> str | None:
        return self.given.get(_real(path))

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
        kept = []
        for d in diagnostics:
            given = self.file(d.location.file)
            if given is not None and d.code == "I001":
                continue  # a changed file that is no scheme: nothing to say in a hook
            if given is not None:
                kept.append(replace(d, location=replace(d.location, file=given)))
            elif d.code == "E001" and not os.path.isfile(d.location.file):  # a context folder that cannot be read
                kept.append(d)
        return tuple(kept)


def only_in(run: Run, named: Sequence[str]) -> Run:
    """``run`` with only the files named and the findings in them."""
    names = _Names(named)
    return replace(
        run,
        files=tuple(names.file(f) or f for f in run.files if names.file(f) is not None),
        results=tuple(r for r in run.results if names.file(r.file) is not None),
        diagnostics=names.diagnostics(run.diagnostics),
    )


def lint_only_in(lint: LintRun, named: Sequence[str]) -> LintRun:
    """``lint`` with only the findings (and suppressed findings) in the files named."""
    names = _Names(named)
    kept = {id(s): names.diagnostics([s.diagnostic]) for s in lint.suppressed}
    return replace(
        lint,
        run=only_in(lint.run, named),
        diagnostics=names.diagnostics(lint.diagnostics),
        suppressed=tuple(replace(s, diagnostic=kept[id(s)][0]) for s in lint.suppressed if kept[id(s)]),
    )
