"""One module per command; each has ``register(app)``. See ``cquin_cli/cli.py``.

A command that cannot run raises :class:`CommandError`; ``cquin_cli.cli.main`` turns it
into exit 2 with its message, the one place where an outcome becomes an exit code.
"""

from __future__ import annotations


class CommandError(Exception):
    """The command cannot run (bad usage, unusable input): exit 2 with this message.

    ``diagnostics`` (each located, e.g. E001 for a path that cannot be read) are printed
    first, so an unusable path is named the same way by every command.
    """

    def __init__(self, message: str, diagnostics=()) -> None:
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)
