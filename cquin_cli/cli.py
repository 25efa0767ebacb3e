"""The command line: thin (STYLE.md §11).

Each command lives in ``cquin_cli/commands/<name>.py``: it parses options, calls one
library function, hands the result to a reporter, and returns an exit code. This
module builds the typer app, and turns every outcome into an exit code in one place:
0 clean, 1 findings at error level, 2 the command could not run (a ``CommandError``, or a
``cquin_cli.atomic.CannotWrite``: a destination refused, a full disk). No traceback ever
reaches a user (set ``CQUIN_DEBUG=1`` to see one).

``cquin --version`` answers before typer is imported, so it costs no more than the
interpreter's own start-up.
"""

from __future__ import annotations

import importlib
import os
import sys

from cquin_cli import __version__
from cquin_cli.commands import CommandError

# One module per command, in the order `cquin --help` lists them.
COMMAND_MODULES = (
    "validate",
    "lint",
    "price",
    "reconcile",
    "monitor",
    "rules",
    "diff",
    "fmt",
    "new",
    "import_",
    "report",
    "export",
    "site",
    "render",
)


def build_app():
    import typer

    app = typer.Typer(
        name="cquin",
        help="CQUIN pay-for-quality schemes as code: validate, price, reconcile and render NHS CQUIN schemes.",
        add_completion=True,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback(invoke_without_command=True)
    def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
        if version:
            print(f"cquin {__version__}")
            raise typer.Exit(0)

    for name in COMMAND_MODULES:
        importlib.import_module(f"cquin_cli.commands.{name}").register(app)
    return app


def _usage_metavar(param) -> str:
    """An argument as usage lines show it, the same way on every command: ``PATH...`` for
    paths, ``SCHEME`` for one scheme, ``[KIND]`` when it may be left out."""
    name = param.metavar or (param.name or "").upper()
    if name == "SCHEME...":  # monitor: a scheme file, or folders
        name = "PATH"
    elif param.metavar is None and param.nargs != 1 and name.endswith("S"):  # paths: PATH..., files: FILE...
        name = name[:-1]
    if param.nargs != 1 and not name.endswith("...") and not name.startswith("["):
        name += "..."
    return name


def _color(ctx, param, value: str) -> None:
    import typer

    from cquin_cli.commands.output import COLOR_CHOICES, configure

    if value not in COLOR_CHOICES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(COLOR_CHOICES)}")
    configure(color=value)


def _quiet(ctx, param, value: bool) -> None:
    from cquin_cli.commands.output import configure

    configure(quiet=value)


def _output_options(command) -> None:
    """``--quiet`` and ``--color`` on a command, and its arguments named as usage lines name them."""
    from typer.core import TyperArgument, TyperOption

    from cquin_cli.commands.output import COLOR_HELP, QUIET_HELP

    for param in command.params:
        if isinstance(param, TyperArgument):
            shown = _usage_metavar(param)

            def metavar(ctx=None, *, usage: bool = False, shown=shown, required=param.required) -> str:
                return shown if required or not usage or shown.startswith("[") else f"[{shown}]"

            param.make_metavar = metavar  # type: ignore[method-assign]
    quiet = TyperOption(
        param_decls=["--quiet", "-q"], is_flag=True, default=False, expose_value=False, help=QUIET_HELP, callback=_quiet
    )
    color = TyperOption(
        param_decls=["--color"], default="auto", metavar="auto|always|never", expose_value=False, help=COLOR_HELP, callback=_color
    )
    command.params += [quiet, color]


def build_command():
    """The click command of the app, each subcommand with the output options every command shares."""
    import typer

    group = typer.main.get_command(build_app())
    for command in group.commands.values():  # type: ignore[attr-defined]
        _output_options(command)
    return group


def _plain_validate(args: list[str]) -> tuple[list[str], str | None] | None:
    """``validate [--format F] PATH...`` with nothing else: (paths, format), else None.

    The pre-commit and CI hot path is answered without building the typer app (typer
    and every command module cost about 40 ms of a 1-file run; benchmarks/RESULTS.md).
    Anything else (help, a path starting with ``-``, an unknown option) goes to typer,
    which gives the same result and the usual messages.
    """
    if len(args) < 2 or args[0] != "validate":
        return None
    rest, format = list(args[1:]), None
    if rest[0] in ("--format", "-f") and len(rest) >= 3:
        format, rest = rest[1], rest[2:]
    elif rest[0].startswith("--format="):
        format, rest = rest[0].split("=", 1)[1], rest[1:]
    if not rest or any(a.startswith("-") for a in rest) or format == "":
        return None
    return rest, format


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        sys.stdout.write(f"cquin {__version__}\n")
        raise SystemExit(0)
    from cquin_cli.commands.output import reset

    reset()  # --quiet and --color are per run (tests run many in one process)
    try:
        plain = _plain_validate(args)
        if plain is not None:
            from cquin_cli.commands.validate import validate_paths

            raise SystemExit(validate_paths(*plain))
        build_command().main(args=args, prog_name="cquin", standalone_mode=True)
    except SystemExit:
        raise
    except CommandError as exc:
        if exc.diagnostics:
            from cquin_cli.report.diagnostics import text_lines

            sys.stderr.write("".join(line + "\n" for line in text_lines(exc.diagnostics)))
        sys.stderr.write(f"cquin: {exc}\n")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("cquin: interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except Exception as exc:  # the last line of defence: never a traceback for a user
        from cquin_cli.atomic import CannotWrite  # here, not above: validate's path stays lean

        if isinstance(exc, CannotWrite):  # a destination refused, or a full disk: said, exit 2
            sys.stderr.write(f"cquin: {exc}\n")
            raise SystemExit(2) from None
        if os.environ.get("CQUIN_DEBUG"):
            raise
        sys.stderr.write(
            f"cquin: internal error: {type(exc).__name__}: {exc}\n(please report this; CQUIN_DEBUG=1 shows the details)\n"
        )
        raise SystemExit(2) from None
