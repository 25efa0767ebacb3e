"""``cquin monitor SCHEME --month N``: the monthly quality report, with SPC and a year-end forecast (guidance ¶73-74)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def monitor(
        paths: list[str] = typer.Argument(
            ..., metavar="SCHEME...", help="A scheme file; or folders (or several files): one table across schemes."
        ),
        month: int | None = typer.Option(
            None, "--month", "-m", help="The month, 1 (April) to 12 (March); default: the latest month with data."
        ),
        achievement: str | None = typer.Option(
            None, "--achievement", "-a", help="Achievement data for one scheme (default: NAME.achievement.yaml beside NAME.yaml)."
        ),
        format: str = typer.Option(
            "text", "--format", "-f", metavar="text|json|csv|markdown", help="text, json, csv or markdown."
        ),
        shift_run: int = typer.Option(7, "--shift-run", help="Points in a row on one side of the mean that make a shift."),
        trend_run: int = typer.Option(7, "--trend-run", help="Points in a row rising or falling that make a trend."),
    ) -> None:
        """Monitor schemes between checkpoints: per indicator its series, status, SPC verdict and money; the year-end forecast.

        One scheme file: the full report, with the year-end forecast (P10, P50, P90 of
        E(12) and A(12), 1,000 seeded runs). Folders or several files: one table across
        the schemes, the money at risk worst first (no forecast). Exit 0: monitored.
        Exit 1: a scheme or its achievement data has errors (diagnostics shown). Exit 2:
        it could not run (bad usage, no achievement data for a scheme file, no data yet).
        """
        import os
        import sys

        from cquin_cli.commands import CommandError
        from cquin_cli.commands.output import emit
        from cquin_cli.commands.price import valid_schemes
        from cquin_cli.compute.checkpoint import checked_achievement
        from cquin_cli.compute.monitoring import latest_month
        from cquin_cli.compute.monitoring import monitor as monthly
        from cquin_cli.report import monitoring as reporters
        from cquin_cli.report.diagnostics import text_lines

        if format not in reporters.FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(reporters.FORMATS)}")
        if month is not None and not 1 <= month <= 12:
            raise CommandError(f"--month {month} is not a month of the financial year: 1 (April) to 12 (March)")
        if shift_run < 2 or trend_run < 2:
            raise CommandError("--shift-run and --trend-run are at least 2 points")
        one = len(paths) == 1 and not os.path.isdir(paths[0])
        if achievement is not None and not one:
            raise CommandError("--achievement names the data of one scheme file")
        if not one:  # a table across schemes: monitored in the worker pool (compute/monitoring_run.py)
            from cquin_cli.commands.price import refuse_invalid, scheme_files
            from cquin_cli.compute.monitoring_run import monitor_files

            files = scheme_files(list(paths))
            results = monitor_files(files, month, shift_run=shift_run, trend_run=trend_run)
            refuse_invalid(files, [r.scheme_diagnostics for r in results])
            failed = False
            for r in results:
                if r.data_errors:
                    failed = True
                    for line in text_lines(r.data_diagnostics):
                        sys.stderr.write(line + "\n")
            table = {
                "text": reporters.portfolio_text,
                "json": reporters.portfolio_json,
                "csv": reporters.portfolio_csv,
                "markdown": reporters.portfolio_markdown,
            }
            summaries = [r.summary for r in results if r.summary is not None]
            emit(table[format](summaries, [r.not_monitored for r in results if r.not_monitored]))
            raise typer.Exit(1 if failed else 0)
        (scheme,) = valid_schemes(list(paths))
        loaded = checked_achievement(scheme, month or 0, achievement)
        if loaded.refusal is not None:
            if not loaded.could_not_run:
                for line in text_lines(loaded.errors or loaded.diagnostics):
                    sys.stderr.write(line + "\n")
                sys.stderr.write(f"cquin: refused: {loaded.refusal}\n")
                raise typer.Exit(1)
            raise CommandError(loaded.refusal)
        at = month or latest_month(loaded.achievement)
        if at is None:
            raise CommandError(f"nothing measured yet in {loaded.achievement_file}; name a month with --month")
        report = monthly(scheme, loaded.achievement, at, shift_run=shift_run, trend_run=trend_run, with_forecast=True)
        writer = {
            "text": reporters.monitoring_text,
            "json": reporters.monitoring_json,
            "csv": reporters.monitoring_csv,
            "markdown": reporters.monitoring_markdown,
        }
        emit(writer[format](report))
        raise typer.Exit(0)
