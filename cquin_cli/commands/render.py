"""``cquin render PATH... -o OUT``: the contract tables as an Excel workbook (DOMAIN.md §5)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from cquin_cli.commands.output import exclude_option

    @app.command()
    def render(
        paths: list[str] = typer.Argument(..., help="A scheme file, or folders of schemes (searched recursively)."),
        output: str | None = typer.Option(
            None, "--output", "-o", help="FILE.xlsx for one scheme file; a FOLDER for several (one workbook per scheme)."
        ),
        month: int | None = typer.Option(
            None,
            "--month",
            help="Add a Monitoring sheet at this month (1-12: SPC chart per indicator, year-end forecast), and at a checkpoint a Reconciliation sheet.",
        ),
        achievement: str | None = typer.Option(
            None, "--achievement", help="Achievement data for --month (default: NAME.achievement.yaml beside NAME.yaml)."
        ),
        portfolio: str | None = typer.Option(
            None, "--portfolio", help="Also write a portfolio summary workbook of every scheme to this .xlsx file."
        ),
        force: bool = typer.Option(
            False, "--force", help="Render a scheme even when validation finds errors (they are still printed)."
        ),
        exclude: list[str] = exclude_option(),
    ) -> None:
        """Render schemes into Schedule 3 Part 4C and Schedule 18 Parts 2 and 3 of the contract (Excel).

        A scheme with validation errors is refused (exit 1) unless --force. An output that
        would overwrite an input, or is no regular file (a device, a pipe, a folder), is
        refused (exit 2). Workbooks are written atomically and
        the same input gives the same bytes.
        """
        from cquin_cli.commands import CommandError
        from cquin_cli.commands.output import emit, emit_diagnostic_text, emit_note
        from cquin_cli.render.run import RenderRefused, render_paths
        from cquin_cli.report.diagnostics import text_lines

        try:
            run = render_paths(
                list(paths),
                output=output,
                portfolio=portfolio,
                month=month,
                achievement=achievement,
                force=force,
                exclude=exclude,
            )
        except RenderRefused as exc:
            raise CommandError(str(exc)) from None
        lines = text_lines(run.diagnostics)
        if lines:
            emit_diagnostic_text("\n".join(lines) + "\n")
        for message in run.messages:
            emit(f"cquin render: {message}\n", stream=__import__("sys").stderr)
        for path in run.written:
            emit_note(f"wrote {path}\n")
        raise typer.Exit(run.exit_code)
