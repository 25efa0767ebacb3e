"""``cquin validate PATH...``: the framework's rules, for CI."""

from __future__ import annotations

import os

from cquin_cli.commands.output import emit, emit_diagnostic_text, is_quiet, quiet_findings


def default_format() -> str:
    """GitHub annotations inside GitHub Actions, plain text elsewhere."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def validate_paths(
    paths: list[str],
    format: str | None = None,
    exclude: list[str] | tuple[str, ...] = (),
    context: list[str] | tuple[str, ...] = (),
) -> int:
    """The whole command, without typer: ``cquin validate`` on one file is on every
    pre-commit hook, so ``cquin_cli.cli`` calls this directly for plain paths."""
    from cquin_cli.check.pipeline import check_paths
    from cquin_cli.commands import CommandError
    from cquin_cli.report.diagnostics import FORMATS, render

    chosen = format or default_format()
    if chosen not in FORMATS:
        raise CommandError(f"unknown --format {chosen!r}; choose one of {', '.join(FORMATS)}")
    # A large run need not keep every document, nor every scheme's records (only what
    # the portfolio rules read): 5,000 schemes, docs/performance.md.
    if context:  # the files named, among every scheme under the context folders
        from cquin_cli.check.staged import only_in, paths_to_check

        checked, excluded = paths_to_check(paths, context, exclude)
        run = only_in(check_paths(checked, keep_values=False, keep_schemes=False, exclude=excluded), paths)
    else:
        run = check_paths(paths, keep_values=False, keep_schemes=False, exclude=exclude)
    if chosen == "text" and is_quiet():
        text = quiet_findings(run.diagnostics)
    else:
        text = render(chosen, run.diagnostics, len(run.files))
    if chosen == "text":
        emit_diagnostic_text(text)
    else:
        emit(text)
    if os.environ.get("GITHUB_STEP_SUMMARY"):  # GitHub shows only 10 annotations of a level per step
        from cquin_cli.report.step_summary import write_step_summary

        write_step_summary("validate", run.diagnostics, len(run.files))
    return run.exit_code()


def register(app) -> None:
    import typer

    from cquin_cli.commands.output import context_option, exclude_option

    @app.command()
    def validate(
        paths: list[str] = typer.Argument(..., help="Scheme files and folders (searched recursively)."),
        format: str = typer.Option(
            None,
            "--format",
            "-f",
            metavar="text|json|github|sarif",
            help="text, json, github or sarif (default: text; github inside GitHub Actions).",
        ),
        exclude: list[str] = exclude_option(),
        context: list[str] = context_option(),
    ) -> None:
        """Check schemes against the CQUIN framework's rules (docs/rules.md).

        Exit 0: no errors. Exit 1: errors found. Exit 2: a path could not be read.
        """
        raise typer.Exit(validate_paths(paths, format, exclude, context))
