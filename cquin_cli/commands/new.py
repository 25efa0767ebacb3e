"""``cquin new``: the scaffolds of what users edit, with every value to agree left as a stub.

* ``cquin new --provider CODE --year 2010/11``: a new scheme, from the rulebook;
* ``cquin new --achievement SCHEME [--month N]``: the scheme's achievement data for a month,
  written beside it (``NAME.achievement.yaml``);
* ``cquin new --from LAST_YEAR.yaml --year 2010/11``: last year's scheme rolled forward.

The texts are made in :mod:`cquin_cli.format.scaffold`; this module reads the inputs,
chooses the destination and writes it (atomically, never over an input, and never over
an existing file unless ``--force``).
"""

from __future__ import annotations

import os

import typer

from cquin_cli.commands.output import emit, emit_note

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from decimal import Decimal
    from typing import Any


def _schema_path(out_file: str | None, name: str = "scheme") -> str | None:
    """``schemas/NAME.schema.json`` relative to the new file, when a folder above it has one."""
    folder = os.path.dirname(os.path.abspath(out_file)) if out_file else os.getcwd()
    probe = folder
    while True:
        candidate = os.path.join(probe, "schemas", f"{name}.schema.json")
        if os.path.isfile(candidate):
            return os.path.relpath(candidate, folder).replace(os.sep, "/")
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent


def _scheme_of(path: str, option: str) -> Any:
    """The scheme record of ``path``, or a CommandError saying why there is none (exit 2)."""
    from cquin_cli.check.pipeline import check_scheme_file
    from cquin_cli.commands import CommandError
    from cquin_cli.diagnostics import Severity
    from cquin_cli.load.scheme import Scheme

    if not os.path.lexists(path):
        raise CommandError(f"{option} {path}: the file does not exist")
    if os.path.isdir(path):
        raise CommandError(f"{option} {path}: it is a folder; name one scheme file")
    result = check_scheme_file(path)
    if isinstance(result.scheme, Scheme):
        return result
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    first = f"; the first: {errors[0]}" if errors else ""
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    raise CommandError(
        f"{option} {path} cannot be read as a scheme ({count}{first}); fix it first (`cquin validate {path}` lists them)"
    )


def _write(output: str, text: str, *, force: bool, inputs: tuple[str, ...]) -> None:
    """Write ``text`` to ``output`` in one step: never over an input, over an existing file only with ``force``."""
    from cquin_cli.atomic import atomic_create, atomic_write, check_destination
    from cquin_cli.commands import CommandError

    check_destination(output, inputs=inputs)  # a device, a pipe, a folder, a missing folder, an input: exit 2
    exists = os.path.exists(output) or os.path.islink(output)
    if exists and not force:
        raise CommandError(
            f"{output} already exists; cquin new does not overwrite a file unless --force is given "
            "(choose another name, or delete it first)"
        )
    if force:
        atomic_write(output, text)
        return
    try:
        # a file that appears between the check above and now is still never overwritten
        atomic_create(output, text)
    except FileExistsError:
        raise CommandError(f"{output} already exists; cquin new does not overwrite a file unless --force is given") from None


def _one_mode(provider: str | None, achievement: str | None, from_scheme: str | None) -> str:
    from cquin_cli.commands import CommandError

    given = [name for name, value in (("--provider", provider), ("--achievement", achievement), ("--from", from_scheme)) if value]
    if len(given) > 1:
        raise CommandError(f"give one of --provider, --achievement or --from, not {' and '.join(given)}")
    if not given:
        raise CommandError(
            "say what to scaffold: --provider CODE --year YYYY/YY (a new scheme), --achievement SCHEME "
            "(its achievement data) or --from LAST_YEAR.yaml --year YYYY/YY (next year's scheme)"
        )
    return given[0]


def _only_with(mode: str, options: dict[str, tuple[bool, tuple[str, ...]]]) -> None:
    """Refuse an option given that the chosen scaffold does not use (it would be silently ignored)."""
    from cquin_cli.commands import CommandError

    for option, (given, modes) in options.items():
        if given and mode not in modes:
            raise CommandError(f"{option} goes with {' or '.join(modes)}, not with {mode}")


def register(app: typer.Typer) -> None:
    @app.command()
    def new(
        provider: str | None = typer.Option(
            None, "--provider", metavar="CODE", help="A new scheme: the provider's organisation code, e.g. RNF."
        ),
        achievement: str | None = typer.Option(
            None,
            "--achievement",
            metavar="SCHEME",
            help="The achievement data of this scheme for --month, written beside it as NAME.achievement.yaml.",
        ),
        from_scheme: str | None = typer.Option(
            None, "--from", metavar="LAST_YEAR.yaml", help="Roll this scheme forward to --year: next year's scheme."
        ),
        year: str | None = typer.Option(
            None, "--year", metavar="YYYY/YY", help="The financial year, e.g. 2010/11 (the rulebook's rate and payment defaults)."
        ),
        month: int | None = typer.Option(
            None,
            "--month",
            help="With --achievement: the month to fill in, 1 (April) to 12 (March); default the first checkpoint.",
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
            None,
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file; default: print the scheme, write achievement data beside its scheme.",
        ),
        force: bool = typer.Option(False, "--force", help="Replace an existing file (never one of the inputs)."),
    ) -> None:
        """Scaffold what users edit: a new scheme, a scheme's achievement data, or next year's scheme.

        Every value the parties must agree is a TODO stub: `cquin validate` lists each one
        (E111) at its line until it is filled in. Exit 2 when the file already exists
        (without --force), cannot be written (a full disk, ...), an input cannot be read as a
        scheme, or the year is not in the rulebook.
        """
        from cquin_cli.commands import CommandError
        from cquin_cli.format.scaffold import ScaffoldError

        mode = _one_mode(provider, achievement, from_scheme)
        _only_with(
            mode,
            {
                "--year": (year is not None, ("--provider", "--from")),
                "--month": (month is not None, ("--achievement",)),
                "--name": (name is not None, ("--provider",)),
                "--sector": (sector is not None, ("--provider",)),
                "--foundation-trust": (foundation_trust is not None, ("--provider",)),
                "--commissioner": (bool(commissioner), ("--provider",)),
                "--route": (route != "pct", ("--provider",)),
            },
        )
        try:
            if mode == "--achievement":
                assert achievement is not None
                _new_achievement(achievement, month, output, force)
            elif mode == "--from":
                assert from_scheme is not None
                _roll_forward(from_scheme, year, output, force)
            else:
                assert provider is not None
                _new_scheme(provider, year, name, sector, foundation_trust, commissioner, route, output, force)
        except ScaffoldError as exc:
            raise CommandError(str(exc)) from None
        raise typer.Exit(0)


def _new_scheme(
    provider: str,
    year: str | None,
    name: str | None,
    sector: str | None,
    foundation_trust: bool | None,
    commissioner: list[str] | None,
    route: str,
    output: str | None,
    force: bool,
) -> None:
    from cquin_cli.commands import CommandError
    from cquin_cli.format.scaffold import NewScheme, scaffold

    if year is None:
        raise CommandError("give the financial year of the new scheme: --year 2010/11")
    spec = NewScheme(provider, year, name, sector, foundation_trust, tuple(commissioner or ()), route, _schema_path(output))
    text = scaffold(spec)
    if output is None:
        emit(text)
        return
    _write(output, text, force=force, inputs=())
    emit_note(f"wrote {output}: fill in its TODO stubs; `cquin validate {output}` lists them\n")


def _new_achievement(scheme_file: str, month: int | None, output: str | None, force: bool) -> None:
    from cquin_cli.format.scaffold import achievement_scaffold
    from cquin_cli.load.discovery import achievement_file_for

    scheme = _scheme_of(scheme_file, "--achievement").scheme
    chosen = month if month is not None else min(scheme.payment.checkpoints)
    destination = output or achievement_file_for(scheme_file)
    text = achievement_scaffold(scheme, chosen, os.path.basename(scheme_file), _schema_path(destination, "achievement"))
    _write(destination, text, force=force, inputs=(scheme_file,))
    emit_note(f"wrote {destination}: fill in its TODO stubs for month {chosen}; `cquin validate {destination}` lists them\n")


def _roll_forward(last_file: str, year: str | None, output: str | None, force: bool) -> None:
    from cquin_cli.commands import CommandError
    from cquin_cli.format.scaffold import roll_forward

    if year is None:
        raise CommandError("give the financial year to roll the scheme forward to: --year 2010/11")
    from cquin_cli.load.yaml_reader import read_bytes

    checked = _scheme_of(last_file, "--from")
    raw, error = read_bytes(last_file)  # the one bounded reader, as the check above read it
    if raw is None:
        raise CommandError(f"--from {last_file}: {error.message if error else 'cannot be read'}")
    measured = _measured_at_year_end(last_file, checked.scheme)
    text = roll_forward(raw, checked.scheme, year, os.path.basename(last_file), _schema_path(output), measured)
    if output is None:
        emit(text)
        return
    _write(output, text, force=force, inputs=(last_file,))
    emit_note(f"wrote {output}: fill in its TODO stubs; `cquin validate {output}` lists them\n")


def _measured_at_year_end(scheme_file: str, scheme: Any) -> dict[str, Decimal]:
    """Last year's month-12 measurements by indicator, from the achievement data beside the scheme (if it reads)."""
    from cquin_cli.check.pipeline import check_achievement_file
    from cquin_cli.load.achievement import build_achievement
    from cquin_cli.load.discovery import achievement_file_for

    data_file = achievement_file_for(scheme_file)
    if not os.path.isfile(data_file):
        return {}
    checked = check_achievement_file(data_file, {}, scheme=scheme)
    if checked.values is None:
        return {}
    data = build_achievement(checked.values, data_file)
    return {m.indicator: m.value for m in data.measurements if m.month == 12 and m.value is not None}
