"""``cquin export PATH... --format csv|json|sqlite -o OUT``: the portfolio as flat tables (docs/data-dictionary.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from cquin_cli.commands.output import exclude_option

    @app.command()
    def export(
        paths: list[str] = typer.Argument(
            ..., help="Scheme files and folders (searched recursively); achievement data beside each scheme is included."
        ),
        format: str = typer.Option(
            ...,
            "--format",
            "-f",
            metavar="csv|json|sqlite",
            help="csv (one file per table in the -o folder), json (one document) or sqlite (one database file).",
        ),
        out: str | None = typer.Option(
            None,
            "--output",
            "-o",
            help="Where to write: a folder for csv, a file for json or sqlite (json: omit or `-` for stdout).",
        ),
        year: list[str] = typer.Option([], "--year", help="Only schemes of this financial year, e.g. 2009/10 (repeatable)."),
        commissioner: list[str] = typer.Option(
            [], "--commissioner", help="Only schemes with this coordinating or associate commissioner code (repeatable)."
        ),
        provider: list[str] = typer.Option([], "--provider", help="Only schemes of this provider code (repeatable)."),
        exclude: list[str] = exclude_option(),
    ) -> None:
        """Export schemes, commissioners, goals, indicators, milestones, achievement and reconciliations as tables.

        --year, --commissioner and --provider keep only the schemes that match (as in
        `cquin report`). Files that cannot be loaded are reported on stderr and left out.
        Exit 0: clean. Exit 1: written, but some files had errors. Exit 2: nothing to
        export, or the output cannot be written (it is never one of the input files).
        """
        from cquin_cli.commands import CommandError
        from cquin_cli.commands.report import portfolio_filters
        from cquin_cli.report.export import FORMATS, check_targets
        from cquin_cli.spool import spooled

        if format not in FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
        filters = portfolio_filters(year, commissioner, provider)
        to_stdout = format == "json" and out in (None, "-")
        if not to_stdout and not out:
            raise CommandError(f"--format {format} needs -o {'FOLDER' if format == 'csv' else 'FILE'}")
        destination = out or ""  # given whenever to_stdout is false
        if not to_stdout:
            check_targets(format, destination)  # before any work: a device, a pipe, a folder for a file...
        with spooled("cquin-export-") as spool:
            code = _export(paths, exclude, filters, format, destination, to_stdout, spool)
        raise typer.Exit(code)


def _export(paths, exclude, filters, format: str, destination: str, to_stdout: bool, spool) -> int:
    """Each scheme's rows are made where it is checked, with the achievement data beside it,
    and put in ``spool``: the run keeps where they are, never the schemes or the rows, and
    the tables are written as they are read back (a portfolio streams)."""
    import os
    import sys
    from functools import partial

    from cquin_cli.check.pipeline import check_paths
    from cquin_cli.commands import CommandError
    from cquin_cli.commands.output import emit, emit_note
    from cquin_cli.commands.report import report_diagnostics
    from cquin_cli.diagnostics import exit_code
    from cquin_cli.portfolio.aggregate import matches
    from cquin_cli.portfolio.export_tables import ExportEntry, export_entry_of, tables_of
    from cquin_cli.report.export import batched_text, check_targets, export_json_pieces, write

    derive = partial(export_entry_of, spool=spool)
    run = check_paths(paths, exclude=exclude, keep_values=False, keep_schemes=False, derive=derive)
    report_diagnostics(run.diagnostics, command="export")
    if not run.schemes:
        raise CommandError("no scheme could be loaded from the paths given; nothing to export")
    entries = [r.derived for r in run.results if isinstance(r.derived, ExportEntry)]
    chosen = [e for e in entries if matches(e.summary, filters)]
    if not chosen:
        raise CommandError(f"no scheme matches the filters ({len(run.schemes)} schemes loaded); nothing to export")
    if not to_stdout:
        check_targets(format, destination, inputs=run.files)
    tables = tables_of(chosen, spool)
    if tables.notes:
        emit("".join(f"cquin export: {note}\n" for note in tables.notes), stream=sys.stderr)
    if not tables.table("schemes").rows:
        raise CommandError("every scheme is left out (above); nothing to export")
    if to_stdout:
        for text in batched_text(export_json_pieces(tables)):
            emit(text)
    else:
        written = write(tables, format, destination)
        counts = ", ".join(f"{len(t.rows)} {t.name}" for t in tables.tables)
        emit_note(f"wrote {', '.join(written) if format != 'csv' else os.path.join(destination, '*.csv')}: {counts}\n")
    return exit_code(run.diagnostics)
