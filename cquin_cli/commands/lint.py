"""``cquin lint PATH...``: validate's rules plus the design-quality checks (DOMAIN.md §6)."""

from __future__ import annotations

import os

import typer

from cquin_cli.commands.output import context_option, emit, emit_diagnostic_text, exclude_option, is_quiet, quiet_findings


def register(app: typer.Typer) -> None:
    @app.command()
    def lint(
        paths: list[str] = typer.Argument(
            ..., help="Scheme files and folders (searched recursively); pass them all, portfolio checks run across them."
        ),
        format: str = typer.Option(
            None,
            "--format",
            "-f",
            metavar="text|json|github|sarif",
            help="text, json, github or sarif (default: text; github inside GitHub Actions).",
        ),
        strict: bool = typer.Option(False, "--strict", help="Warnings fail too (exit 1)."),
        config: str | None = typer.Option(
            None, "--config", help="Configuration file to use instead of the nearest .cquin.toml or pyproject.toml [tool.cquin]."
        ),
        exclude: list[str] = exclude_option(),
        context: list[str] = context_option(),
    ) -> None:
        """Check schemes against the framework's rules and its design guidance (docs/lint.md).

        Exit 0: no errors (and no warnings with --strict). Exit 1: findings that fail.
        Exit 2: a path or the configuration could not be used.
        """
        from cquin_cli.check.lint import lint_paths
        from cquin_cli.commands import CommandError
        from cquin_cli.commands.validate import default_format
        from cquin_cli.report.diagnostics import FORMATS
        from cquin_cli.report.lint_report import render_lint

        chosen = format or default_format()
        if chosen not in FORMATS:
            raise CommandError(f"unknown --format {chosen!r}; choose one of {', '.join(FORMATS)}")
        if context:  # pre-commit: findings in the changed files, cross-file rules over the rest too
            from cquin_cli.check.staged import lint_only_in, paths_to_check

            checked, excluded = paths_to_check(paths, context, exclude)
            result = lint_only_in(lint_paths(checked, config_file=config, strict=strict, exclude=excluded), paths)
        else:
            result = lint_paths(paths, config_file=config, strict=strict, exclude=exclude)
        text = quiet_findings(result.diagnostics) if chosen == "text" and is_quiet() else render_lint(chosen, result)
        if chosen == "text":
            emit_diagnostic_text(text)
        else:
            emit(text)
        if os.environ.get("GITHUB_STEP_SUMMARY"):  # GitHub shows only 10 annotations of a level per step
            from cquin_cli.report.step_summary import write_step_summary

            write_step_summary("lint", result.diagnostics, len(result.files) + len(result.configs), result.suppressed)
        raise typer.Exit(result.exit_code())
