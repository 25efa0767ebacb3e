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


def _commands() -> tuple[str, ...]:
    from cquin_cli.cli import build_command

    return tuple(build_command().commands)  # every command main has, whoever added it


COMMANDS = _commands()
WORKED = str(SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_takes_quiet_and_color_and_names_its_arguments_alike(name):
    result = run_cli(name, "--help")
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0]
    assert "{" not in usage and "paths" not in usage  # PATH..., SCHEME, CODE: one way on every command
    if name in ("validate", "lint", "price", "monitor", "fmt", "report", "export", "render"):
        assert usage == f"Usage: cquin {name} [OPTIONS] PATH..."
    assert "-q, --quiet" in result.stdout
    assert "--color auto|always|never" in result.stdout
    assert "<str>" not in result.stdout.split("--format", 1)[-1].split("\n", 1)[0]  # choices, not a type


def test_usage_lines_of_one_scheme_and_of_revisions():
    assert run_cli("reconcile", "--help").stdout.startswith("Usage: cquin reconcile [OPTIONS] SCHEME\n")
    assert run_cli("explain", "--help").stdout.startswith("Usage: cquin explain [OPTIONS] CODE\n")
    assert run_cli("diff", "--help").stdout.startswith("Usage: cquin diff [OPTIONS] [BASE [HEAD]]\n")


@pytest.mark.parametrize(
    "name, choices",
    [
        ("validate", "text|json|github|sarif"),
        ("lint", "text|json|github|sarif"),
        ("price", "text|json|csv"),
        ("reconcile", "text|json|csv"),
        ("monitor", "text|json|csv|markdown"),
        ("diff", "text|markdown|json"),
        ("report", "text|markdown|json"),
        ("export", "csv|json|sqlite"),
    ],
)
def test_format_choices_are_listed_in_help_as_the_command_accepts_them(name, choices):
    assert f"-f, --format {choices}" in run_cli(name, "--help").stdout
    refused = run_cli(name, "--format", "yaml", WORKED, *(("--month", "12") if name == "reconcile" else ()))
    assert refused.exit_code == 2
    assert ", ".join(choices.split("|")) in refused.stderr


def test_quiet_prints_findings_only(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("financial_year: 2009/10\nrate: 0.5%\n")
    loud = run_cli("validate", str(bad))
    quiet = run_cli("validate", "--quiet", str(bad))
    assert quiet.exit_code == loud.exit_code == 1
    assert loud.stdout.splitlines()[:-1] == quiet.stdout.splitlines()  # the findings, without the summary line
    assert "errors" in loud.stdout.splitlines()[-1]
    assert run_cli("validate", "-q", str(SAMPLES / "worked-example")).stdout == ""  # clean: nothing at all
    assert run_cli("lint", "-q", str(SAMPLES / "worked-example")).stdout == ""
    assert run_cli("validate", str(SAMPLES / "worked-example")).stdout.endswith(
        "no problems (0 errors, 0 warnings)\n"
    )  # not sticky
    out = tmp_path / "worked.xlsx"
    rendered = run_cli("render", "-q", WORKED, "-o", str(out))
    assert rendered.exit_code == 0 and rendered.stdout == "" and out.is_file()
    assert run_cli("price", "-q", WORKED).stdout == run_cli("price", WORKED).stdout  # a result is still printed


def test_color_auto_always_never_and_the_environment(tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text("financial_year: 2009/10\nrate: 0.5%\n")
    escape = "\x1b["
    assert escape not in run_cli("validate", str(bad)).stdout  # piped: plain
    assert escape in run_cli("validate", "--color", "always", str(bad)).stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert escape in run_cli("validate", str(bad)).stdout
    assert escape not in run_cli("validate", "--color", "never", str(bad)).stdout
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert escape not in run_cli("validate", str(bad)).stdout
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    assert escape in run_cli("validate", "--color", "always", str(bad)).stdout  # the option wins
    refused = run_cli("validate", "--color", "sometimes", str(bad))
    assert refused.exit_code == 2 and "auto, always, never" in refused.stderr


def test_shell_completion_is_offered():
    result = run_cli("--help")
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
