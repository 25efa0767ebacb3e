"""``cquin reconcile SCHEME --month N``: earned, paid on account, and who pays whom at a checkpoint."""

from __future__ import annotations

import sys

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def reconcile(
        scheme_file: str = typer.Argument(..., metavar="SCHEME", help="The scheme file."),
        month: int = typer.Option(..., "--month", "-m", help="The checkpoint month: 6, 9 or 12 (the scheme's checkpoints)."),
        achievement: str = typer.Option(
            None, "--achievement", "-a", help="Achievement data (default: NAME.achievement.yaml beside NAME.yaml)."
        ),
        record: bool = typer.Option(
            False, "--record", help="Write the adjustment into the achievement data as agreed (keeps comments and layout)."
        ),
        date: str = typer.Option(
            None,
            "--date",
            help="With --record: the date the adjustment was agreed, YYYY-MM-DD, from the end of the checkpoint month to 12 months after the year ends (default: today, when it is in that span).",
        ),
        allow_carried: bool = typer.Option(
            False,
            "--allow-carried",
            help="With --record: record even when no indicator has a measurement for the month (the record notes it).",
        ),
        format: str = typer.Option("text", "--format", "-f", metavar="text|json|csv", help="text, json or csv."),
    ) -> None:
        """Reconcile a scheme at a checkpoint: per indicator the target, measured value, rule and £ earned; E(m), P(m), A(m) per commissioner.

        The arithmetic is guidance ¶64-67 (docs/money.md). Exit 0: reconciled (and recorded,
        with --record). Exit 1: the scheme or its achievement data has errors (diagnostics
        shown). Exit 2: it could not run: not a checkpoint month, no achievement data, no
        actual outturn at month 12, or --record refused (already recorded, out of order,
        no measurement for the month, a date outside the span, another run recording into
        the file, the file changed meanwhile); nothing is written then.
        """
        import datetime as dt
        import os
        from contextlib import ExitStack

        from cquin_cli.commands import CommandError
        from cquin_cli.commands.output import emit, emit_note
        from cquin_cli.commands.price import valid_schemes
        from cquin_cli.compute.checkpoint import data_file_of, reconcile_checkpoint
        from cquin_cli.money import format_money
        from cquin_cli.report.diagnostics import text_lines
        from cquin_cli.report.money import FORMATS, reconciliation_csv, reconciliation_json, reconciliation_text

        if format not in FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
        recorded_on = None
        for given, option in (
            (date, "--date is the date of a recorded adjustment"),
            (allow_carried or None, "--allow-carried is a choice about recording"),
        ):
            if given is not None and not record:
                raise CommandError(f"{option}; use it with --record")
        if date is not None:
            try:
                recorded_on = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a calendar date written YYYY-MM-DD") from None
        if os.path.isdir(scheme_file):
            from cquin_cli.diagnostics import CANNOT_READ, Location, make

            why = "is a folder; reconcile one scheme file at a time"
            raise CommandError(f"{scheme_file} {why}", (make(CANNOT_READ, why, Location(scheme_file)),))
        (scheme,) = valid_schemes([scheme_file])
        with ExitStack() as locked:
            held = None
            if record:  # one run at a time records into a file: lock it before it is read
                from cquin_cli.format.adjustment_record import RecordRefused, record_adjustment, recording_lock

                try:
                    held = locked.enter_context(recording_lock(data_file_of(scheme, achievement)))
                except RecordRefused as exc:
                    raise CommandError(f"not recorded: {exc}") from None
            done = reconcile_checkpoint(scheme, month, achievement)
            if done.could_not_run:
                raise CommandError(done.refusal or "it could not be reconciled")
            if done.refusal is not None:  # the achievement data has errors
                for line in text_lines(done.errors or done.diagnostics):
                    sys.stderr.write(line + "\n")
                sys.stderr.write(f"cquin: refused: {done.refusal}\n")
                raise typer.Exit(1)
            reconciliation, data_file = done.reconciliation, done.achievement_file

            if record:
                try:
                    written = record_adjustment(
                        held, reconciliation, recorded_on, today=dt.date.today(), allow_carried=allow_carried
                    )
                except RecordRefused as exc:
                    raise CommandError(f"not recorded: {exc}") from None
                emit_note(
                    f"cquin: recorded the month-{month} adjustment of {format_money(written.amount)} in {data_file} "
                    f"(recorded {written.recorded.isoformat()}; {written.inserted_lines} lines added, nothing else changed)\n",
                    stream=sys.stderr,
                )
        emit({"text": reconciliation_text, "json": reconciliation_json, "csv": reconciliation_csv}[format](reconciliation))
        raise typer.Exit(0)
