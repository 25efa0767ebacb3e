"""``cquin import FILE... -o OUT.yaml``: Word and Excel schemes in the NHS templates, into cquin's format."""

from __future__ import annotations

import os

import typer

from cquin_cli.commands.output import emit, emit_diagnostic_text

_HEADINGS = {
    "todo": "To fill in",
    "unread": "Not read",
    "differs": "Not what the scheme is worth",
    "converted": "Converted",
    "assumed": "From the rulebook or cquin's defaults",
    "read past": "Read past (headings and notes)",
}


def report_lines(imported, output: str | None) -> str:
    """The import report: every stub with where it came from, every conversion, every row not read."""
    notes = imported.notes
    lines = [
        f"imported {imported.goals} goal{'s' if imported.goals != 1 else ''} and "
        f"{imported.indicators} indicator{'s' if imported.indicators != 1 else ''}" + (f" into {output}" if output else "")
    ]
    for kind in ("todo", "unread", "differs", "converted", "assumed", "read past"):
        chosen = [n for n in notes if n.kind == kind]
        if not chosen:
            continue
        lines.append(f"{_HEADINGS[kind]} ({len(chosen)}):")
        lines.extend(f"  {n.where}: {n.what}: {n.message}" for n in chosen)
    return "\n".join(lines) + "\n"


def _commissioner(text: str) -> tuple[str, str | None]:
    from cquin_cli.commands import CommandError
    from cquin_cli.format.scaffold import ScaffoldError, check_given
    from cquin_cli.money import format_percent, percentage

    code, _, share = text.partition("=")
    try:
        check_given("--commissioner", text)
    except ScaffoldError as exc:
        raise CommandError(str(exc)) from None
    if not code.strip():
        raise CommandError(f"--commissioner {text!r}: give the commissioner's code, e.g. 5NF or 5NF=70%")
    if not share:
        return code.strip(), None
    try:
        return code.strip(), format_percent(percentage(share.strip()))
    except ValueError:
        raise CommandError(f"--commissioner {text!r}: the share is a percentage with a % sign, e.g. 5NF=70%") from None


def _money_option(option: str, text: str | None) -> str | None:
    if text is None:
        return None
    from cquin_cli.commands import CommandError
    from cquin_cli.money import MoneyError, money

    try:
        return str(money(text))
    except MoneyError:
        raise CommandError(
            f"{option} {text!r} is not an amount in pounds with at most two decimal places, e.g. 180000000.00"
        ) from None


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        files: list[str] = typer.Argument(..., help="Word (.docx) and Excel (.xlsx) documents of one scheme."),
        output: str | None = typer.Option(None, "--output", "-o", help="Write the scheme to this file; default: print it."),
        force: bool = typer.Option(False, "--force", help="Replace the output file if it exists."),
        provider: str | None = typer.Option(None, "--provider", help="The provider's organisation code, e.g. RNF."),
        name: str | None = typer.Option(None, "--name", help="The provider's name."),
        year: str | None = typer.Option(
            None, "--year", help="The financial year, e.g. 2016/17 (the rulebook's rate and payment terms)."
        ),
        sector: str | None = typer.Option(
            None, "--sector", help="acute, community, mental_health, ambulance, specialised or independent_sector."
        ),
        foundation_trust: bool | None = typer.Option(
            None, "--foundation-trust/--not-foundation-trust", help="Whether the provider is an NHS foundation trust."
        ),
        route: str | None = typer.Option(None, "--route", help="pct or specialised_commissioning_group (default pct)."),
        commissioner: list[str] | None = typer.Option(
            None, "--commissioner", help="CODE or CODE=SHARE (5NF=70%); repeat it, coordinating commissioner first."
        ),
        tariff_income: str | None = typer.Option(None, "--tariff-income", help="Tariff income including MFF, in pounds."),
        non_tariff_income: str | None = typer.Option(None, "--non-tariff-income", help="Non-tariff income, in pounds."),
        excluded_income: str | None = typer.Option(None, "--excluded-income", help="Income not financed by the English NHS."),
        contract_value: str | None = typer.Option(
            None, "--contract-value", help="The whole contract value, written as tariff income with no other parts."
        ),
    ) -> None:
        """Import a scheme from Word and Excel documents in the NHS CQUIN templates.

        Finds the goal table and each indicator's labelled table or row by the
        templates' labels, and writes one scheme laid out as `cquin fmt` would. Every
        value it could not read is a TODO stub (`cquin validate` lists them, E111); the
        report says where each came from. Facts the documents do not hold can be
        given as options; the year's rulebook gives the rate and payment terms.

        Exit 0: the scheme validates. Exit 1: something needs attention (a TODO, a row
        not read, a finding). Exit 2: a file is not a document cquin can read, holds
        no scheme, or the output exists (give --force to replace it).
        """
        from cquin_cli.atomic import atomic_create, atomic_write, check_destination
        from cquin_cli.commands import CommandError
        from cquin_cli.format.scaffold import ROUTES, SECTORS, ScaffoldError, check_given
        from cquin_cli.importer.build import Given
        from cquin_cli.importer.documents import NotADocument
        from cquin_cli.importer.run import NothingToImport, import_documents
        from cquin_cli.importer.values import Unreadable, financial_year

        for option, value in (
            ("--provider", provider),
            ("--name", name),
            ("--year", year),
            ("--sector", sector),
            ("--route", route),
        ):
            if value is not None:
                try:
                    check_given(option, value)
                except ScaffoldError as exc:
                    raise CommandError(str(exc)) from None
        if sector is not None and sector not in SECTORS:
            raise CommandError(f"unknown sector {sector!r}; choose one of {', '.join(SECTORS)}")
        if route is not None and route not in ROUTES:
            raise CommandError(f"unknown commissioning route {route!r}; choose one of {', '.join(ROUTES)}")
        if year is not None:
            try:
                financial_year(year)
            except Unreadable:
                raise CommandError(f"--year {year!r} is not a financial year written like 2010/11") from None
        if output is not None:
            check_destination(output, inputs=files)
            if (os.path.exists(output) or os.path.islink(output)) and not force:
                raise CommandError(f"{output} already exists; cquin import never overwrites a file unless --force is given")
        given = Given(
            provider=provider,
            name=name,
            year=year,
            sector=sector,
            foundation_trust=foundation_trust,
            route=route,
            commissioners=tuple(_commissioner(c) for c in commissioner or ()),
            tariff_income=_money_option("--tariff-income", tariff_income),
            non_tariff_income=_money_option("--non-tariff-income", non_tariff_income),
            excluded_income=_money_option("--excluded-income", excluded_income),
            contract_value=_money_option("--contract-value", contract_value),
        )
        try:
            imported = import_documents(list(files), given, output or "imported.yaml")
        except (NotADocument, NothingToImport) as exc:
            raise CommandError(str(exc)) from None
        report = report_lines(imported, output)
        others = [d for d in imported.diagnostics if d.code != "E111"]
        if output is None:
            emit(imported.text)
            emit(report, stream=_stderr())
            if others:
                emit("".join(f"{d}\n" for d in others), stream=_stderr())
        else:
            if force:
                atomic_write(output, imported.text)
            else:
                try:
                    atomic_create(output, imported.text)
                except FileExistsError:
                    raise CommandError(
                        f"{output} already exists; cquin import never overwrites a file unless --force is given"
                    ) from None
            emit(report)
            if others:
                emit("Findings of `cquin validate` on the result, besides the stubs:\n")
                emit_diagnostic_text("".join(f"{d}\n" for d in others))
        stubs = len([d for d in imported.diagnostics if d.code == "E111"])
        where = output or "the scheme"
        if imported.attention:
            summary = f"{where}: {stubs} TODO stub{'s' if stubs != 1 else ''} to fill in"
            if others:
                summary += f", {len(others)} other finding{'s' if len(others) != 1 else ''}"
            summary += f"; `cquin validate {output}` lists them at their lines\n" if output else "\n"
            emit(summary, stream=None if output else _stderr())
            raise typer.Exit(1)
        emit(f"{where} validates\n", stream=None if output else _stderr())
        raise typer.Exit(0)


def _stderr():
    import sys

    return sys.stderr
