"""``cquin report PATH...``: the regional view across a portfolio of schemes (docs/report.md)."""

from __future__ import annotations

import typer

from cquin_cli.commands.output import emit


def register(app: typer.Typer) -> None:
    from cquin_cli.commands.output import exclude_option

    @app.command()
    def report(
        paths: list[str] = typer.Argument(..., help="Scheme files and folders (searched recursively)."),
        format: str = typer.Option("text", "--format", "-f", metavar="text|markdown|json", help="text, markdown or json."),
        year: list[str] = typer.Option([], "--year", help="Only schemes of this financial year, e.g. 2009/10 (repeatable)."),
        commissioner: list[str] = typer.Option(
            [], "--commissioner", help="Only schemes with this coordinating or associate commissioner code (repeatable)."
        ),
        provider: list[str] = typer.Option([], "--provider", help="Only schemes of this provider code (repeatable)."),
        min_value: str | None = typer.Option(
            None,
            "--min-value",
            help="£ per indicator below which an indicator is counted as worth too little (default: the lint rule's, else 10000.00).",
        ),
        xlsx: str | None = typer.Option(None, "--xlsx", help="Also write the report to this Excel workbook, with charts."),
        achievement: bool = typer.Option(
            False,
            "--achievement",
            help="Quality Accounts: per provider and year, each indicator's achievement and the money earned.",
        ),
        month: int = typer.Option(12, "--month", help="With --achievement: the checkpoint month (6, 9 or 12)."),
        exclude: list[str] = exclude_option(),
    ) -> None:
        """Portfolio figures for the strategic health authority (guidance ¶36, ¶71, ¶76-77, ¶80).

        Files that cannot be loaded are reported on stderr and left out. Exit 0: clean.
        Exit 1: some files or schemes have errors (the rest are reported). Exit 2: no
        scheme to report, a path that cannot be read, or a --xlsx that cannot be written.
        """
        from cquin_cli.commands import CommandError
        from cquin_cli.money import MoneyError, money
        from cquin_cli.report.portfolio_text import FORMATS

        if format not in FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
        threshold = None
        if min_value is not None:
            try:
                threshold = money(min_value)
            except MoneyError as exc:
                raise CommandError(f"--min-value: {exc}") from None
        filters = portfolio_filters(year, commissioner, provider)
        if achievement:
            code = _quality_accounts(paths, filters, month, format, exclude)
        else:
            code = _portfolio(paths, filters, threshold, format, xlsx, exclude)
        raise typer.Exit(code)


def portfolio_filters(year, commissioner, provider):
    """``--year``, ``--commissioner`` and ``--provider`` (report, export) as filters.

    A year is checked against the format's own pattern (E104), with a dash allowed for
    the shell's sake: a malformed year would otherwise just match nothing.
    """
    import re

    from cquin_cli.commands import CommandError
    from cquin_cli.portfolio.aggregate import Filters

    for value in year:
        text = value.strip()
        if not re.fullmatch(r"[0-9]{4}[/-][0-9]{2}", text) or int(text[5:]) != (int(text[:4]) + 1) % 100:
            raise CommandError(f"--year {value!r}: a financial year is written like 2009/10 (or 2009-10)")
    return Filters(tuple(year), tuple(commissioner), tuple(provider))


def report_diagnostics(diagnostics, command: str = "report", listed_by: str = "cquin validate") -> None:
    """Errors on stderr, so stdout stays the report; warnings only counted.

    ``diagnostics`` are the ones ``listed_by`` reports, so the count and the pointer to
    the command that lists them agree: ``cquin lint``'s for the portfolio report (its
    configuration and suppressions applied), ``cquin validate``'s otherwise.
    """
    import sys

    from cquin_cli.commands.output import emit
    from cquin_cli.report.diagnostics import text_lines

    errors = [d for d in diagnostics if d.severity.value == "error"]
    warnings = sum(1 for d in diagnostics if d.severity.value == "warning")
    lines = text_lines(errors)
    if errors:
        files = len({d.location.file for d in errors})
        lines.append(
            f"cquin {command}: {len(errors)} error{'s' if len(errors) != 1 else ''} in {files} file{'s' if files != 1 else ''}; schemes that could not be loaded are left out"
        )
    if warnings:
        lines.append(
            f"cquin {command}: {warnings} warning{'s' if warnings != 1 else ''} (`{listed_by}` lists {'it' if warnings == 1 else 'them'})"
        )
    if lines:
        emit("\n".join(lines) + "\n", stream=sys.stderr)


def _portfolio(paths, filters, threshold, fmt, xlsx, exclude=()) -> int:
    from cquin_cli.atomic import check_destination
    from cquin_cli.check.lint import lint_paths
    from cquin_cli.commands import CommandError
    from cquin_cli.diagnostics import exit_code
    from cquin_cli.portfolio.aggregate import from_lint, report_entry_of
    from cquin_cli.report.portfolio_text import render

    if xlsx:
        check_destination(xlsx)  # before any work: a device, a pipe, a folder...
    # The lint stage, as `cquin lint` runs it: its configuration and the suppressions
    # written in the files decide what counts against a requirement (docs/report.md).
    linted = lint_paths(paths, exclude=exclude, derive=report_entry_of)  # each scheme's figures made where it is checked
    run = linted.run
    report_diagnostics(linted.diagnostics, listed_by="cquin lint")
    report = from_lint(linted, filters=filters, min_value=threshold)
    left_out(report.left_out)
    if not report.schemes:
        raise CommandError(_empty_message(run, filters, report.left_out))
    if xlsx:
        from cquin_cli.render.report_xlsx import write_report_workbook

        check_destination(xlsx, inputs=run.files)
        write_report_workbook(report, xlsx)
    emit(render(fmt, report))
    return exit_code(linted.diagnostics)


def left_out(notes, command: str = "report") -> None:
    """Name on stderr each loaded scheme that is left out, and why."""
    import sys

    if notes:
        emit("".join(f"cquin {command}: {file}: left out, {why}\n" for file, why in notes), stream=sys.stderr)


def _empty_message(run, filters, left=()) -> str:
    if not run.files:
        return "no scheme files found under the paths given; nothing to report"
    if not run.schemes:
        return f"none of the {len(run.files)} files found could be loaded as a scheme (the diagnostics above say why); nothing to report"
    if left:
        return f"every scheme {'that matches the filters ' if filters.any else ''}is left out (above); nothing to report"
    if filters.any:
        return f"no scheme matches the filters ({len(run.schemes)} schemes loaded); nothing to report"
    return "no scheme could be priced; nothing to report"


def _quality_accounts(paths, filters, month, fmt, exclude=()) -> int:
    """Quality Accounts: reconcile() at ``month`` for every scheme with achievement data beside it."""
    from functools import partial

    from cquin_cli.check.pipeline import check_paths
    from cquin_cli.commands import CommandError
    from cquin_cli.diagnostics import exit_code
    from cquin_cli.portfolio.aggregate import AccountEntry, account_entry_of, accounts_of
    from cquin_cli.report.portfolio_text import render_quality_accounts

    if not 1 <= month <= 12:
        raise CommandError(f"--month {month}: months of the financial year run from 1 (April) to 12 (March)")
    # each scheme reconciled where it and its achievement data are checked: the run keeps the accounts
    derive = partial(account_entry_of, month=month)
    run = check_paths(paths, exclude=exclude, keep_values=False, keep_schemes=False, derive=derive)
    report_diagnostics(run.diagnostics)
    if not run.schemes:
        raise CommandError(_empty_message(run, filters))
    qa = accounts_of((r.derived for r in run.results if isinstance(r.derived, AccountEntry)), month=month, filters=filters)
    if not qa.accounts:
        if not (qa.without_data or qa.refused):
            raise CommandError(f"no scheme matches the filters ({len(run.schemes)} schemes loaded); nothing to report")
        reasons = "; ".join(f"{sid}: {why}" for sid, why in qa.refused)
        raise CommandError(
            f"no scheme has achievement data that can be reconciled at month {month}"
            + (f" ({reasons})" if reasons else "")
            + "; nothing to report"
        )
    emit(render_quality_accounts(fmt, qa))
    return exit_code(run.diagnostics)
