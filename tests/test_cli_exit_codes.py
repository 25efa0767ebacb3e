"""The same cause gives the same exit code from every command (docs/bad-input.md, "Exit codes").

A path that cannot be used as a scheme file (a broken or looping symbolic link, a path that
does not exist, an unreadable file, a folder where a file is meant) means the command could
not run: exit 2, with a located diagnostic (``FILE:LINE:COLUMN: error E001 ...``) naming it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import WORKED_EXAMPLE, run_cli

CASES = ["broken symbolic link", "looping symbolic link", "missing path", "unreadable file", "folder where a file is meant"]


def bad_path(tmp_path: Path, case: str) -> Path:
    if case == "broken symbolic link":
        path = tmp_path / "broken.yaml"
        os.symlink(tmp_path / "nowhere.yaml", path)
    elif case == "looping symbolic link":
        path = tmp_path / "loop-a.yaml"
        os.symlink(tmp_path / "loop-b.yaml", path)
        os.symlink(path, tmp_path / "loop-b.yaml")
    elif case == "missing path":
        path = tmp_path / "missing.yaml"
    elif case == "unreadable file":
        if os.geteuid() == 0:
            pytest.skip("root reads a chmod 000 file; tests/test_hostile.py simulates the refusal")
        path = tmp_path / "locked.yaml"
        path.write_text(WORKED_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        path.chmod(0)
    elif case == "folder where a file is meant":
        path = tmp_path / "scheme.yaml"
        path.mkdir()
    else:
        raise AssertionError(case)
    return path


def command(name: str, path: Path, tmp_path: Path) -> list[str]:
    """``cquin NAME ...`` reading ``path`` as its scheme (diff: as its old side)."""
    p = str(path)
    return {
        "validate": ["validate", p],
        "lint": ["lint", p],
        "price": ["price", p],
        "reconcile": ["reconcile", p, "--month", "6"],
        "render": ["render", p, "-o", str(tmp_path / "out.xlsx")],
        "report": ["report", p],
        "export": ["export", p, "--format", "json"],
        "diff": ["diff", p, str(WORKED_EXAMPLE)],
        "fmt --check": ["fmt", "--check", p],
    }[name]


COMMANDS = ["validate", "lint", "price", "reconcile", "render", "report", "export", "diff", "fmt --check"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", COMMANDS)
def test_an_unusable_path_is_exit_2_with_a_located_diagnostic(name, case, tmp_path):
    path = bad_path(tmp_path, case)
    try:
        result = run_cli(*command(name, path, tmp_path))
    finally:
        if path.exists() and not path.is_dir():
            path.chmod(0o644)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.exit_code == 2, output
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: error E001 \S", output, re.M), output
    assert not (tmp_path / "out.xlsx").exists()
