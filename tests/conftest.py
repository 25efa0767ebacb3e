"""Shared test helpers: run the CLI in-process and capture what a user sees."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_schemes"
WORKED_EXAMPLE = SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Result:
    """Run ``cquin ARGS`` in this process, as the console script does."""
    from cquin_cli.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cquin():
    return run_cli


@pytest.fixture
def worked_example_text() -> str:
    return WORKED_EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch):
    """Output as piped: no COLUMNS (names unwrapped), no colour forced or refused by the environment."""
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
