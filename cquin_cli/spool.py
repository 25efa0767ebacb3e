"""Values put aside on disk by the worker processes, read back by the parent one at a time.

A command that streams a portfolio keeps only what it prints; when what it writes is
large and must come out in an order known only at the end (``cquin export``: every
table in scheme-id order), each worker puts its part here instead of sending it back,
and the parent keeps a :data:`Ref` (a file, an offset, a length) per part. Each process
appends to a file of its own in the spool's folder (no two writers share one); a value
is pickled, and only ever read back by the run that wrote it. The folder is the
caller's: made with :func:`tempfile.mkdtemp` and removed when the run ends.
"""

from __future__ import annotations

import os
import pickle
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Iterator
    from typing import Any

# Where a value is: the spool file, its offset and its length in bytes.
Ref = tuple[str, int, int]

# Each process's open spool files, by (folder, process id): a forked worker opens its own.
_WRITERS: dict[tuple[str, int], int] = {}
_READERS: dict[str, int] = {}


class Spool:
    """A folder of spool files; pickled by its folder, so it can be handed to worker processes."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def put(self, value: Any) -> Ref:
        """Append ``value`` to this process's file; where it is."""
        key = (self.folder, os.getpid())
        name = f"part-{key[1]}"
        fd = _WRITERS.get(key)
        if fd is None:
            fd = _WRITERS[key] = os.open(os.path.join(self.folder, name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        offset = os.lseek(fd, 0, os.SEEK_END)
        view = memoryview(data)
        while view:  # an OSError (a full temporary folder) is the caller's to say
            view = view[os.write(fd, view) :]
        return (name, offset, len(data))

    def get(self, ref: Ref) -> Any:
        name, offset, length = ref
        path = os.path.join(self.folder, name)
        fd = _READERS.get(path)
        if fd is None:
            fd = _READERS[path] = os.open(path, os.O_RDONLY)
        data = os.pread(fd, length, offset)
        if len(data) != length:  # pragma: no cover - the spool is the run's own
            raise OSError(f"spool file {path} is shorter than what was put in it")
        return pickle.loads(data)

    def close(self) -> None:
        """Close this process's files of the spool (the caller removes the folder)."""
        for key in [k for k in _WRITERS if k[0] == self.folder]:
            os.close(_WRITERS.pop(key))
        for path in [p for p in _READERS if os.path.dirname(p) == self.folder]:
            os.close(_READERS.pop(path))


@contextmanager
def spooled(prefix: str = "cquin-spool-") -> Iterator[Spool]:
    """A spool in a new temporary folder, removed (with everything put in it) when the block ends."""
    import shutil
    import tempfile

    spool = Spool(tempfile.mkdtemp(prefix=prefix))
    try:
        yield spool
    finally:
        spool.close()
        shutil.rmtree(spool.folder, ignore_errors=True)
