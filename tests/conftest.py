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


def mixed_portfolio(folder: Path) -> Path:
    """The samples and 70 variants of the worked example, more than a run checks serially: with
    the findings only a whole portfolio has (E203 twins, W413 unequal stretch, W414 an indicator
    paid twice), suppressions used and unused (W515), one of a portfolio finding, a scheme with
    errors, and achievement data beside some. A streamed run must report all of it as a run
    holding every record would (tests of lint, report, export and the pipeline)."""
    import shutil

    shutil.copytree(SAMPLES, folder / "samples")
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    data = WORKED_EXAMPLE.with_name("northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8")
    variants = folder / "variants"
    variants.mkdir()
    for i in range(70):
        code = f"R{i // 2 * 2 if i % 10 == 1 else i:02d}"  # every tenth-and-one a twin of the one before (E203)
        own = text.replace("code: RNF", f"code: {code}")
        if i % 7 == 0:  # the specialised commissioning group's scheme for the provider before: VTE paid twice (W414)
            own = own.replace(f"code: {code}", f"code: R{i - 1:02d}" if i else "code: R69").replace(
                "commissioning_route: pct", "commissioning_route: specialised_commissioning_group"
            )
        if i % 9 == 0:  # far less stretch than the others of 5NF (W413); every other one suppressed
            own = own.replace("value: 55}", "value: 88}").replace("value: 58}", "value: 79}")
            if i % 18 == 0:
                own = own.replace("\ngoals:\n", "\ngoals:  # cquin: allow W413 -- agreed lower, for a new service\n")
        if i % 11 == 0:  # a suppression matching nothing (W515)
            own = own.replace("commissioning_route:", "# cquin: allow W404 -- nothing here\ncommissioning_route:", 1)
        if i == 33:  # errors: refused by price, left out of report and export
            own = own.replace("rate: 0.5%", "rate: 0.7%")
        (variants / f"variant-{i:02d}.yaml").write_text(own, encoding="utf-8")
        if i % 5 == 0:  # its own provider's data, but for variant-05 (E306)
            provider = own.split("provider:\n  code: ", 1)[1].split("\n", 1)[0]
            own_data = data if i == 5 else data.replace("RNF", provider)
            (variants / f"variant-{i:02d}.achievement.yaml").write_text(own_data, encoding="utf-8")
    return folder
