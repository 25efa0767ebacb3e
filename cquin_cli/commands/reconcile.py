"""``cquin reconcile SCHEME --month N``: earned, paid on account, and who pays whom at a checkpoint."""
from __future__ import annotations

import sys

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def reconcile(
        scheme_file: str = typer.Argument(..., metavar="SCHEME", help="The scheme file."),
        month: int = typer.Option(..., "--month", "-m", help="The checkpoint month: 6, 9 or 12 (the scheme's checkpoints)."),
        achievement: str = typer.Option(None, "--achievement", "-a", help="Achievement data (default: NAME.achievement.yaml beside NAME.yaml)."),
        record: bool = typer.Option(False, "--record", help="Write the adjustment into the achievement data as agreed (keeps comments and layout)."),
        date: str = typer.Option(None, "--date", help="With --record: the date the adjustment is recorded as agreed, YYYY-MM-DD (default: today)."),
        format: str = typer.Option("text", "--format", "-f", help="text, json or csv."),
    ) -> None:
        """Reconcile a scheme at a checkpoint: per indicator the target, measured value, rule and £ earned; E(m), P(m), A(m) per commissioner.

        The arithmetic is DOMAIN.md §4 (guidance ¶64-67). Exit 0: reconciled (and recorded,
        with --record). Exit 1: the scheme or its achievement data has errors (diagnostics
        shown). Exit 2: it could not run: not a checkpoint month, no achievement data, no
        actual outturn at month 12, or --record refused (already recorded, out of order);
        nothing is written then.
        """
        import datetime as dt
        import os

        from cquin_cli.check.achievement_run import reconcile_checkpoint
        from cquin_cli.cli import CommandError
        from cquin_cli.commands.output import emit
        from cquin_cli.commands.price import valid_schemes
        from cquin_cli.compute.money import format_money
        from cquin_cli.report.diagnostics import text_lines
        from cquin_cli.report.money import FORMATS, reconciliation_csv, reconciliation_json, reconciliation_text

        if format not in FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
        recorded_on = dt.date.today()
        if date is not None:
            if not record:
                raise CommandError("--date is the date of a recorded adjustment; use it with --record")
            try:
                recorded_on = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a calendar date written YYYY-MM-DD") from None
        if os.path.isdir(scheme_file):
            from cquin_cli.diagnostics import CANNOT_READ, Location, make

            why = "is a folder; reconcile one scheme file at a time"
            raise CommandError(f"{scheme_file} {why}", (make(CANNOT_READ, why, Location(scheme_file)),))
        (scheme,) = valid_schemes([scheme_file])
        done = reconcile_checkpoint(scheme, month, achievement)
        if done.could_not_run:
            raise CommandError(done.refusal)
        if done.refusal is not None:  # the achievement data has errors
            for line in text_lines(done.errors or done.diagnostics):
                sys.stderr.write(line + "\n")
            sys.stderr.write(f"cquin: refused: {done.refusal}\n")
            raise typer.Exit(1)
        reconciliation, data_file = done.reconciliation, done.achievement_file

        if record:
            from cquin_cli.load.adjustment_record import RecordRefused, record_adjustment

            try:
                written = record_adjustment(data_file, reconciliation, recorded_on)
            except RecordRefused as exc:
                raise CommandError(f"not recorded: {exc}") from None
            sys.stderr.write(
                f"cquin: recorded the month-{month} adjustment of {format_money(written.amount)} in {data_file} "
                f"(recorded {written.recorded.isoformat()}; {written.inserted_lines} lines added, nothing else changed)\n"
            )
        emit({"text": reconciliation_text, "json": reconciliation_json, "csv": reconciliation_csv}[format](reconciliation))
        raise typer.Exit(0)
