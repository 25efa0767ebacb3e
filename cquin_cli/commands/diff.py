"""``cquin diff [BASE [HEAD]]``: what a change to the schemes means, for the pull request."""

from __future__ import annotations

import typer

from cquin_cli.commands.output import emit


def register(app: typer.Typer) -> None:
    @app.command()
    def diff(
        versions: list[str] | None = typer.Argument(
            None,
            metavar="[BASE [HEAD]]",
            help="BASE [HEAD] revisions (default: the merge-base with main, to the working tree), or OLD.yaml NEW.yaml.",
        ),
        format: str = typer.Option(
            "text",
            "--format",
            "-f",
            metavar="text|markdown|json",
            help="text, markdown (pull-request comment, step summary) or json.",
        ),
    ) -> None:
        """Show what changed in each scheme: terms, weightings, targets, money per indicator and commissioner, findings.

        Exit 0 when the comparison ran (a diff is information, not a verdict; CI gates on
        validate and lint). Exit 2 when it could not run: outside a git repository, an
        unknown revision, a file that does not exist, or a file that cannot be read as a
        scheme (its errors are shown).
        """
        from cquin_cli.commands import CommandError
        from cquin_cli.compare.git import GitError
        from cquin_cli.compare.report import FORMATS, render
        from cquin_cli.compare.run import DiffRefused, diff_arguments

        if format not in FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
        try:
            run = diff_arguments(list(versions or []))
        except DiffRefused as exc:
            raise CommandError(str(exc), exc.diagnostics) from None
        except GitError as exc:
            raise CommandError(str(exc)) from None
        emit(render(format, run))
        raise typer.Exit(0)
