"""One result whichever way the command line takes: ``cquin validate PATH...`` is answered
without building the typer app (start-up time); anything else goes through typer.
The two must print the same bytes and exit with the same code."""

from __future__ import annotations

import pytest
from conftest import ROOT, SAMPLES, run_cli

from cquin_cli.cli import _plain_validate

HOSTILE = ROOT / "tests" / "hostile"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
@pytest.mark.parametrize(
    "paths", [[str(SAMPLES)], [str(HOSTILE / "money-nan.yaml"), str(HOSTILE / "tabs.yaml")], [str(HOSTILE / "nope.yaml")]]
)
def test_plain_path_and_typer_path_agree(paths, fmt):
    assert _plain_validate(["validate", "--format", fmt, *paths]) == (paths, fmt)
    plain = run_cli("validate", "--format", fmt, *paths)
    assert _plain_validate(["validate", *paths, "--format", fmt]) is None  # an option after the paths: typer
    through_typer = run_cli("validate", *paths, "--format", fmt)
    assert (plain.exit_code, plain.stdout, plain.stderr) == (through_typer.exit_code, through_typer.stdout, through_typer.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--help"],
        ["validate", "-f"],
        ["validate", "--format="],
        ["validate", "-x", "a.yaml"],
        ["lint", "a.yaml"],
    ],
)
def test_anything_else_goes_to_typer(args):
    assert _plain_validate(args) is None


def test_a_bad_format_is_the_same_refusal_both_ways():
    plain = run_cli("validate", "--format", "xml", str(SAMPLES))
    through_typer = run_cli("validate", str(SAMPLES), "--format", "xml")
    assert plain.exit_code == through_typer.exit_code == 2
    assert plain.stderr == through_typer.stderr and "unknown --format" in plain.stderr
