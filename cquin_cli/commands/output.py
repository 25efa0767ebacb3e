"""Shared output plumbing of the commands: where text goes, whether it is coloured, how quiet.

Every command takes ``--color auto|always|never`` and ``--quiet`` (added in one place,
``cquin_cli.cli``). With ``auto`` (the default) diagnostics are coloured on a terminal
only: ``FORCE_COLOR`` (set and not empty, 0 or false) colours them anywhere, ``NO_COLOR``
(set and not empty) or ``TERM=dumb`` never; ``always`` and ``never`` win over both. Piped
output is plain, so CI logs and golden files never hold escape codes.

``--quiet`` keeps the findings and the errors and drops the rest of the chatter: the
summary line of validate and lint, notes (info findings), "wrote ..." and "reformatted
..." confirmations. A command's result (a price table, a JSON document) is still printed.
"""

from __future__ import annotations

import os
import sys

COLOR_CHOICES = ("auto", "always", "never")
_settings = {"quiet": False, "color": "auto"}


def configure(*, quiet: bool | None = None, color: str | None = None) -> None:
    """Set ``--quiet`` and ``--color`` for this run (``cquin_cli.cli`` calls it from the options)."""
    if quiet is not None:
        _settings["quiet"] = quiet
    if color is not None:
        _settings["color"] = color


def reset() -> None:
    configure(quiet=False, color="auto")


def is_quiet() -> bool:
    return bool(_settings["quiet"])


def _set(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false")


def use_color(stream=None) -> bool:
    chosen = _settings["color"]
    if chosen in ("always", "never"):
        return chosen == "always"
    if _set("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def emit(text: str, *, stream=None) -> None:
    """Write text as it is: plain, byte for byte the same on every run."""
    (stream or sys.stdout).write(text)
    (stream or sys.stdout).flush()


def quiet_findings(diagnostics) -> str:
    """--quiet's text for validate and lint: the warnings and errors, each with its related places; nothing else."""
    from cquin_cli.report.diagnostics import text_lines

    return "".join(line + "\n" for line in text_lines(d for d in diagnostics if d.severity.value != "info"))


def emit_note(text: str, *, stream=None) -> None:
    """Chatter around a result ("wrote ...", a summary): left out with --quiet."""
    if not is_quiet():
        emit(text, stream=stream)


_STYLES = {" error ": "bold red", " warning ": "yellow", " info ": "cyan"}


def emit_diagnostic_text(text: str) -> None:
    """Diagnostic lines, coloured by severity on a terminal."""
    if not text or not use_color():
        emit(text)
        return
    from rich.console import Console
    from rich.text import Text

    # Colour decided above (--color, FORCE_COLOR, NO_COLOR): rich is told, not left to guess.
    console = Console(
        file=sys.stdout, highlight=False, soft_wrap=True, force_terminal=True, no_color=False, color_system="standard"
    )
    for line in text.rstrip("\n").split("\n"):
        styled = Text(line)
        for word, style in _STYLES.items():
            at = line.find(word)
            if at >= 0:
                end = line.find(" ", at + len(word))
                styled.stylize(style, at + 1, end if end > 0 else len(line))
                break
        console.print(styled)


EXCLUDE_HELP = (
    "Leave out files found in folders that match PATTERN (.gitignore syntax, relative to the folder named; repeatable)."
)


def exclude_option():
    """``--exclude PATTERN`` (repeatable), the same on every command that walks folders."""
    import typer

    return typer.Option([], "--exclude", metavar="PATTERN", help=EXCLUDE_HELP)


CONTEXT_HELP = (
    "Also read the schemes under FOLDER, for the cross-file rules (E203, W413, W414), and report findings "
    "only in the files named (pre-commit; repeatable)."
)


def context_option():
    """``--context FOLDER`` (repeatable): the rest of the repository's schemes, for the hooks on changed files."""
    import typer

    return typer.Option([], "--context", metavar="FOLDER", help=CONTEXT_HELP)


QUIET_HELP = "Print only findings and errors: no summary line, no notes, no 'wrote ...' (a command's result is still printed)."
COLOR_HELP = "Colour diagnostics: auto (on a terminal; FORCE_COLOR and NO_COLOR are honoured), always or never."
