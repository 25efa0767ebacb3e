"""Shared output plumbing of the commands: where text goes and whether it is coloured.

Rich colours text only on a terminal and never when ``NO_COLOR`` is set; piped output
is plain, so CI logs and golden files never hold escape codes.
"""

from __future__ import annotations

import os
import sys


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def emit(text: str, *, stream=None) -> None:
    """Write text as it is: plain, byte for byte the same on every run."""
    (stream or sys.stdout).write(text)
    (stream or sys.stdout).flush()


_STYLES = {" error ": "bold red", " warning ": "yellow", " info ": "cyan"}


def emit_diagnostic_text(text: str) -> None:
    """Diagnostic lines, coloured by severity on a terminal."""
    if not use_color():
        emit(text)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
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
