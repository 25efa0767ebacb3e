"""Writing a file in one step: the only way cquin puts bytes on disk.

A temporary file is written beside the target, flushed to disk, given the mode the
target should have, and renamed over it (``os.replace`` is atomic on one file system),
so a crash or a full disk never leaves half a scheme, workbook or database. A file that
is replaced keeps its permissions; a new one gets the usual ``0666`` less the umask
(``mkstemp`` alone would leave it readable by its owner only).

Only a regular file is ever replaced. A destination that is a device, a named pipe, a
socket, or a folder where a file is meant is refused with :class:`CannotWrite` (exit 2:
``cquin_cli.cli.main`` says it and stops). A symbolic link to a regular file is written
through: the temporary file goes in the target's folder and replaces the target, and
the link stays as it was. A link to nothing is refused (it would create a file where no
one asked for one).

Every writer calls :func:`check_destination` on each path it will write, before it does
any work, so a refusal costs nothing and leaves the disk untouched::

    from cquin_cli.atomic import check_destination
    check_destination(out)                  # a file; its folder must exist
    check_destination(folder, folder=True)  # a folder, or nothing yet (make_folder makes it)
    check_destination(out, new_folders=True)  # a file in folders the writer will make
    check_destination(out, inputs=files)    # and never one of the files read

``atomic_write*`` then check the destination again just before the rename (it may have
changed meanwhile). An :class:`OSError` from any write here (a full disk, a read-only
file system, permission denied, a quota) becomes :class:`CannotWrite` in the user's
words: "cannot write FILE: no space left on device" (:func:`cannot_write` does the
mapping for a writer's own ``os`` calls, e.g. :func:`make_folder`).
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Callable, Iterable

# The reasons a user can act on, in their words; any other error gives the system's own.
REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


class CannotWrite(OSError):
    """A destination cquin will not write, or a write the system refused: exit 2, nothing replaced.

    ``str()`` is the whole message, "cannot write PATH: REASON". An ``OSError``, so code
    that catches ``OSError`` around a write keeps working.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):  # raised in a worker process, it is sent to the parent whole
        return (CannotWrite, (self.path, self.reason))


def reason_of(exc: OSError) -> str:
    """What went wrong, as a user would say it: "no space left on device", ..."""
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def cannot_write(path: str, exc: OSError) -> CannotWrite:
    """``exc``, raised while writing ``path``, as :class:`CannotWrite` (unchanged if it is one)."""
    return exc if isinstance(exc, CannotWrite) else CannotWrite(path, reason_of(exc))


def _kind(mode: int) -> str | None:
    """What a node that is not a regular file or a folder is, in words; None for those two."""
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "not a regular file"


def _target(path: str, folder: bool) -> str:
    """The file (or folder) a write to ``path`` replaces: ``path``, or the regular file it links to.

    Raises :class:`CannotWrite` when it is anything else."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise cannot_write(path, exc) from None
    target, link = path, ""
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise CannotWrite(path, f"it is a link to {target}, which does not exist") from None
        except OSError as exc:
            raise cannot_write(path, exc) from None
        link = f"a link to {target}, "
    kind = _kind(st.st_mode)
    if kind is None and stat.S_ISDIR(st.st_mode) != folder:
        kind = "a folder" if not folder else "a file, and a folder is meant"
    if kind is not None:
        why = f"it is {link}{kind}"
        if not folder and kind != "a folder":
            why += "; cquin replaces only regular files"
        raise CannotWrite(path, why)
    return target


def check_destination(
    path: str,
    *,
    folder: bool = False,
    new_folders: bool = False,
    inputs: Iterable[str] = (),
) -> str:
    """Refuse (:class:`CannotWrite`) to write ``path`` unless it can be written as meant;
    returns what a write replaces (``path``, or the regular file it links to).

    ``path`` is refused when it is a device, a named pipe, a socket, a link to one or to
    nothing, a folder (unless ``folder``), a file (when ``folder``), one of ``inputs``
    (files read by the same run: cquin never overwrites an input), or when the folder it
    goes in does not exist: a mistyped path must not create a tree somewhere else.
    ``new_folders``: the folders above ``path`` may be missing (the writer makes them);
    the nearest one that exists must be a folder.
    """
    target = _target(path, folder)
    real = os.path.normcase(os.path.realpath(path))
    if any(os.path.normcase(os.path.realpath(i)) == real for i in inputs):
        raise CannotWrite(path, "it is one of the input files; refusing to overwrite it")
    parent = os.path.dirname(os.path.abspath(target))
    if new_folders:
        while not os.path.lexists(parent) and os.path.dirname(parent) != parent:
            parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        missing = os.path.exists(parent) or os.path.islink(parent)
        raise CannotWrite(
            path,
            f"{parent} is not a folder" if missing else f"the folder {parent} does not exist",
        )
    return target


def make_folder(path: str, *, parents: bool = False) -> None:
    """Make the folder ``path`` if it is missing (and, with ``parents``, the ones above it)."""
    try:
        if parents:
            os.makedirs(path, exist_ok=True)
        elif not os.path.isdir(path):
            os.mkdir(path)
    except OSError as exc:
        raise cannot_write(path, exc) from None


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
    ``path`` is checked as :func:`check_destination` does, before and just before the
    rename; an ``OSError`` is raised as :class:`CannotWrite`.
    """
    import tempfile

    target = check_destination(path)
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=".cquin-",
            suffix=".tmp",
            dir=os.path.dirname(os.path.abspath(target)),
        )
    except OSError as exc:
        raise cannot_write(path, exc) from None
    os.close(fd)
    try:
        write(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        if _target(path, folder=False) != target:
            raise CannotWrite(path, "it changed while it was being written; nothing was replaced")
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, CannotWrite):
            raise CannotWrite(path, reason_of(exc)) from exc
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""

    def write(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)

    atomic_write_with(path, write)


def atomic_write_pieces(path: str, pieces: Iterable[str]) -> None:
    """Replace ``path`` with the text of ``pieces`` (UTF-8) atomically, written as they come:
    a large file is never held whole (the same bytes as :func:`atomic_write` of their join)."""

    def write(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8"))

    atomic_write_with(path, write)


def atomic_write(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line ends as given) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_create(path: str, text: str) -> None:
    """Create ``path`` with ``text`` in one step, never replacing a file: ``FileExistsError`` if
    one is there (even one that appeared a moment ago). Written beside it, then hard-linked.
    Any other ``OSError`` is raised as :class:`CannotWrite`."""
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".cquin-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.link(temporary, path)  # fails if path exists: no overwrite, no half-written file
    except FileExistsError:
        raise
    except OSError as exc:
        raise CannotWrite(path, reason_of(exc)) from exc
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
