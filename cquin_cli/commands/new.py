"""``cquin new --provider CODE --year 2010/11``: the scaffold of a scheme, from the rulebook."""

from __future__ import annotations

import os

import typer

from cquin_cli.commands.output import emit


def _schema_path(out_file: str | None) -> str | None:
    """``schemas/scheme.schema.json`` relative to the new file, when a folder above it has one."""
    folder = os.path.dirname(os.path.abspath(out_file)) if out_file else os.getcwd()
    probe = folder
    while True:
        candidate = os.path.join(probe, "schemas", "scheme.schema.json")
        if os.path.isfile(candidate):
            return os.path.relpath(candidate, folder).replace(os.sep, "/")
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent


def register(app: typer.Typer) -> None:
    @app.command()
    def new(
        provider: str = typer.Option(..., "--provider", help="The provider's organisation code, e.g. RNF."),
        year: str = typer.Option(
            ..., "--year", help="The financial year, e.g. 2010/11 (the rulebook's rate and payment defaults)."
        ),
        name: str | None = typer.Option(None, "--name", help="The provider's name."),
        sector: str | None = typer.Option(
            None, "--sector", help="acute, community, mental_health, ambulance, specialised or independent_sector."
        ),
        foundation_trust: bool | None = typer.Option(
            None, "--foundation-trust/--not-foundation-trust", help="Whether the provider is an NHS foundation trust."
        ),
        commissioner: list[str] | None = typer.Option(
            None, "--commissioner", help="A commissioner's code; repeat it, coordinating commissioner first."
        ),
        route: str = typer.Option("pct", "--route", help="pct or specialised_commissioning_group."),
        output: str | None = typer.Option(
            None, "--output", "-o", help="Write the scheme to this new file (never overwritten); default: print it."
        ),
    ) -> None:
        """Scaffold a new scheme: the four domains stubbed, the rulebook's rate and payment terms.

        The scaffold does not validate until its TODO stubs are filled in: `cquin validate`
        lists each one (E111) at its line. Exit 2 when the file already exists, cannot
        be written (a full disk, ...), or the year is not in the rulebook.
        """
        from cquin_cli.atomic import atomic_create, check_destination
        from cquin_cli.commands import CommandError
        from cquin_cli.format.scaffold import NewScheme, ScaffoldError, scaffold

        if output is not None:
            check_destination(output)  # a device, a pipe, a folder, a missing folder: refused, exit 2
        if output is not None and (os.path.exists(output) or os.path.islink(output)):
            raise CommandError(
                f"{output} already exists; cquin new never overwrites a file (choose another name, or delete it first)"
            )
        spec = NewScheme(provider, year, name, sector, foundation_trust, tuple(commissioner or ()), route, _schema_path(output))
        try:
            text = scaffold(spec)
        except ScaffoldError as exc:
            raise CommandError(str(exc)) from None
        if output is None:
            emit(text)
            raise typer.Exit(0)
        try:
            # a file that appears between the check above and now is still never overwritten
            atomic_create(output, text)
        except FileExistsError:
            raise CommandError(f"{output} already exists; cquin new never overwrites a file") from None
        emit(f"wrote {output}: fill in its TODO stubs; `cquin validate {output}` lists them\n")
        raise typer.Exit(0)
