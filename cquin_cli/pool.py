"""Many files on every core: the one process pool of cquin (``validate``, ``lint``, ``render``, ``fmt``).

:func:`map_chunks` cuts a list of files into chunks, has one worker process per core
(``fork``) run a function over each chunk, and returns the results in the order of the
files whatever the pool does, so a parallel run prints the same bytes as a serial one.
Below ``parallel_from`` files, on one core, or where no pool can start (no ``fork``, a
sandbox without semaphores), the function runs over the whole list in this process.
An error the function raises in a worker is raised here as it is. A worker starts with
the cycle collector on, whatever the parent had paused when it forked.

The function must be importable at module level (it is pickled by name) and return a
list with one result per file of its chunk.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Callable
    from typing import Any

# Below this many files a run is serial: starting worker processes costs more than it saves.
PARALLEL_FROM = 64
CHUNK = 32


@contextmanager
def collector_paused(*, keep: bool = False):
    """Pause Python's cycle collector while building many acyclic records (documents,
    schemes, diagnostics): it would otherwise re-scan a growing heap again and again
    (receiving 5,000 schemes from the workers took 3.9 s of CPU with it, about 1 s
    without). Anything cyclic made meanwhile is collected once it is back on.

    ``keep=True`` (the records live until the run ends) also moves everything made so far
    out of the collector's sight (``gc.freeze``): otherwise its first pass afterwards
    walks every one of those millions of objects, and the next ones again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _worker_started() -> None:
    """A worker's first step: the cycle collector on (the parent may have paused it when it
    forked), and on Linux the worker ends with its parent, so a run killed outright leaves
    no worker behind waiting for work."""
    gc.enable()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
            if os.getppid() == 1:  # the parent ended before the line above took effect
                os._exit(1)
        except (OSError, AttributeError):  # pragma: no cover - no prctl here
            pass


def _terminated(signum, frame):  # pragma: no cover - exercised in a subprocess by tests/test_pool.py
    raise SystemExit(128 + signum)


def workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_chunks(
    function: Callable[..., list[Any]],
    files: list[Any],
    *args: Any,
    chunk: int | None = None,
    parallel_from: int | None = None,
) -> list[Any]:
    """``function(chunk_of_files, *args)`` over ``files``, results in the order of ``files``.

    ``chunk`` and ``parallel_from`` default to this module's ``CHUNK`` and
    ``PARALLEL_FROM``, read at the call (a test may lower them).
    """
    chunk = chunk or CHUNK
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    count = min(workers(), max(1, len(files) // chunk))
    if len(files) < parallel_from or count < 2:
        return function(files, *args)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [files[i : i + chunk] for i in range(0, len(files), chunk)]
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return function(files, *args)
    import signal
    import threading
    from concurrent.futures.process import BrokenProcessPool

    n = len(chunks)
    try:
        executor = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_worker_started)
    except (OSError, RuntimeError):  # no process pool here (a sandbox without semaphores)
        return function(files, *args)
    # SIGTERM (a CI job cancelled, `kill`) ends the run as an exit, so what the caller set
    # up is cleaned away (a spool's folder) and the workers are told to stop.
    main = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, _terminated) if main else None
    try:
        with executor as pool, collector_paused(keep=True):
            try:  # every chunk is submitted, and the workers started, before any result is read
                results = pool.map(function, chunks, *([arg] * n for arg in args))
            except (OSError, RuntimeError):  # pragma: no cover - the workers could not start (fork refused)
                return function(files, *args)
            try:
                # an error of the work itself is raised as it is, never hidden by running it again
                parts = list(results)
            except BrokenProcessPool:  # pragma: no cover - a worker died (killed): the run is done here
                return function(files, *args)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, before)
    return [result for part in parts for result in part]
