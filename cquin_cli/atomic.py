"""Writing a file in one step: the only way cquin puts bytes on disk.

A temporary file is written beside the target, flushed to disk, given the mode the
target should have, and renamed over it (``os.replace`` is atomic on one file system),
so a crash or a full disk never leaves half a scheme, workbook or database. A file that
is replaced keeps its permissions; a new one gets the usual ``0666`` less the umask
(``mkstemp`` alone would leave it readable by its owner only).
"""
from __future__ import annotations

import os
import tempfile
from typing import Callable


def _mode_for(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_with(path: str, write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)`` to fill a file beside ``path``, then move it into place.

    For writers that need a path of their own (SQLite); the others use the two below.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".cquin-", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""

    def write(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)

    atomic_write_with(path, write)


def atomic_write(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line ends as given) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_create(path: str, text: str) -> None:
    """Create ``path`` with ``text`` in one step, never replacing a file: ``FileExistsError`` if
    one is there (even one that appeared a moment ago). Written beside it, then hard-linked."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".cquin-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.link(temporary, path)  # fails if path exists: no overwrite, no half-written file
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
