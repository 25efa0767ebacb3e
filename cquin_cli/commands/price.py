"""``cquin price SCHEME...``: what schemes are worth, per goal, indicator, commissioner and month."""

from __future__ import annotations

import sys
from decimal import Decimal

import typer


def valid_schemes(paths: list[str], exclude: list[str] | tuple[str, ...] = ()) -> list:
    """The schemes under ``paths``, each validated; refuses (exit 1 or 2) with the diagnostics otherwise.

    A path that cannot be read (E001: missing, a broken or looping link, a folder with
    no schemes, permission denied) exits 2 with its diagnostic, as every command does;
    a scheme with errors is refused with its
    diagnostics on standard error and exit 1: cquin never prices or reconciles a
    scheme that breaks the framework's rules. Warnings do not stop it (`cquin validate`
    shows them).
    """
    from cquin_cli.check.pipeline import check_scheme_file

    files = scheme_files(paths, exclude)
    results = [check_scheme_file(f) for f in files]
    refuse_invalid(files, [r.diagnostics for r in results])
    return [r.scheme for r in results]


def scheme_files(paths: list[str], exclude: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The scheme files under ``paths``; refuses (exit 2) a path that cannot be read, or none found."""
    from cquin_cli.commands import CommandError
    from cquin_cli.load.discovery import discover

    found = discover(paths, exclude)
    if found.diagnostics:
        raise CommandError("nothing done: a path named cannot be read (above)", found.diagnostics)
    if not found.schemes:
        raise CommandError(f"no scheme files found in {', '.join(paths)}")
    return list(found.schemes)


def refuse_invalid(files: list[str], diagnostics_by_file: list) -> None:
    """Refuse the run when a scheme cannot be read (exit 2) or has errors (exit 1), as :func:`valid_schemes` does.

    ``diagnostics_by_file``: each of ``files``' diagnostics, in file order; a local
    rulebook governing any of them with errors refuses the run too.
    """
    from cquin_cli.commands import CommandError
    from cquin_cli.diagnostics import CANNOT_READ
    from cquin_cli.report.diagnostics import text_lines

    unreadable = [d for found in diagnostics_by_file for d in found if d.code == CANNOT_READ]
    if unreadable:
        raise CommandError("nothing done: a scheme file cannot be read (above)", unreadable)
    from cquin_cli.check.local_rulebook import local_rulebook_problems

    errors = [d for found in diagnostics_by_file for d in found if d.severity.value == "error"]
    errors += [d for d in local_rulebook_problems(files) if d.severity.value == "error"]
    if errors:
        for line in text_lines(errors):
            sys.stderr.write(line + "\n")
        bad = sorted({d.location.file for d in errors})
        sys.stderr.write(
            f"cquin: refused: {len(bad)} scheme file{'s' if len(bad) != 1 else ''} with errors ({', '.join(bad)}); fix them first (`cquin validate`)\n"
        )
        raise typer.Exit(1)


def what_if_change(outturn: str | None, activity: str | None) -> tuple[Decimal | None, Decimal | None]:
    """The --outturn base or the --activity change, read; a bad one is refused (exit 2) before any scheme is read."""
    from cquin_cli.commands import CommandError
    from cquin_cli.money import HUNDRED, MoneyError, money, percentage

    if outturn is not None:
        try:
            base = money(outturn)
        except MoneyError as exc:
            raise CommandError(f"--outturn: {exc}") from None
        if base < 0:
            raise CommandError("--outturn: an outturn base is never negative")
        return base, None
    if activity is not None:
        try:
            change = percentage(activity.strip().lstrip("+"))
        except MoneyError:
            raise CommandError(f"--activity: {activity!r} is not a change written like +2% or -1.5%") from None
        if change <= -HUNDRED:
            raise CommandError("--activity: activity cannot fall by 100% or more")
        return None, change
    return None, None


def what_if_base(scheme, outturn: str | None, activity: str | None):
    """(base, words) for a what-if, or (None, "") for the planned base."""
    from cquin_cli.compute.pricing import planned_base
    from cquin_cli.money import HUNDRED, format_money, format_percent, of_percent, to_penny

    base, change = what_if_change(outturn, activity)
    if base is not None:
        return base, f"at an outturn base of {format_money(base)}"
    if change is not None:
        base = to_penny(of_percent(planned_base(scheme), HUNDRED + change))
        sign = "+" if change > 0 else ""
        return base, f"at activity {sign}{format_percent(change)} (base {format_money(base)})"
    return None, ""


def price_chunk(files: list[str], format: str, outturn: str | None, activity: str | None) -> list[tuple]:
    """Check and price each of ``files`` in a worker process: (its errors, its piece of output, its
    year totals' entry). Only what is printed leaves the worker, so a portfolio streams: the run
    never holds a parsed scheme (the options were checked before the pool started)."""
    from cquin_cli.check.pipeline import check_scheme_file
    from cquin_cli.compute.pricing import price as price_scheme
    from cquin_cli.diagnostics import CANNOT_READ
    from cquin_cli.load.scheme import Scheme
    from cquin_cli.portfolio.aggregate import year_entry
    from cquin_cli.report.money import price_piece

    out: list[tuple] = []
    for file in files:
        result = check_scheme_file(file)
        refused = tuple(d for d in result.diagnostics if d.code == CANNOT_READ or d.severity.value == "error")
        scheme = result.scheme
        if refused or not isinstance(scheme, Scheme):
            out.append((refused, None, None))
            continue
        base, words = what_if_base(scheme, outturn, activity)
        priced = price_scheme(scheme, base=base, what_if=words)
        out.append(((), price_piece(priced, format), year_entry(priced)))
    return out


def register(app: typer.Typer) -> None:
    from cquin_cli.commands.output import exclude_option

    @app.command()
    def price(
        paths: list[str] = typer.Argument(
            ..., help="Scheme files, or folders (every scheme in them is priced, with a total per financial year)."
        ),
        format: str = typer.Option("text", "--format", "-f", metavar="text|json|csv", help="text, json or csv."),
        outturn: str = typer.Option(
            None, "--outturn", help="What-if: price at this base instead of the planned one, e.g. 204000000.00 (one scheme only)."
        ),
        activity: str = typer.Option(
            None, "--activity", help="What-if: price at the planned base changed by this much, e.g. +2% or -1.5%."
        ),
        exclude: list[str] = exclude_option(),
    ) -> None:
        """Price schemes: base, rate, expected value; per goal, indicator and commissioner; the on-account instalments.

        Every amount is rounded half-up to the penny once and every split is by largest
        remainder, so all totals add up exactly (docs/money.md). Exit 0: priced. Exit 1: a
        scheme has errors (its diagnostics are shown; nothing is priced). Exit 2: a path
        cannot be read, or the options are wrong.
        """
        from cquin_cli.commands import CommandError
        from cquin_cli.commands.output import emit
        from cquin_cli.pool import map_chunks
        from cquin_cli.portfolio.aggregate import year_totals_of
        from cquin_cli.report.money import FORMATS, price_output

        if format not in FORMATS:
            raise CommandError(f"unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
        if outturn is not None and activity is not None:
            raise CommandError("give --outturn or --activity, not both")
        what_if_change(outturn, activity)
        files = scheme_files(paths, exclude)
        # Checked and priced on every core, each scheme's piece of output made where it was priced.
        results = map_chunks(price_chunk, files, format, outturn, activity)
        refuse_invalid(files, [refused for refused, _, _ in results])
        if outturn is not None and len(files) > 1:
            raise CommandError(
                f"--outturn is the base of one scheme, but {len(files)} schemes were found; use --activity for a change across schemes"
            )
        totals = year_totals_of(entry for _, _, entry in results)
        for text in price_output((piece for _, piece, _ in results), totals, len(results), format):
            emit(text)
        raise typer.Exit(0)
