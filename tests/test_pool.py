"""The one process pool (cquin_cli/pool.py): results in file order, the collector on in the
workers, and a failure of the work itself never hidden by a serial re-run."""

from __future__ import annotations

import gc
import os

import pytest

from cquin_cli import pool


def _where(items: list[int]) -> list[tuple[int, int, bool]]:
    return [(i, os.getpid(), gc.isenabled()) for i in items]


def _fails_once(items: list[int], marker: str) -> list[int]:
    if 3 in items:
        with open(marker, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        raise OSError("disk full")
    return items


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setattr(pool, "workers", lambda: 2)


def test_results_come_in_the_order_of_the_files_from_workers_with_the_collector_on(two_workers):
    done = pool.map_chunks(_where, list(range(40)), chunk=4, parallel_from=8)
    assert [i for i, _, _ in done] == list(range(40))
    assert {pid for _, pid, _ in done} - {os.getpid()}  # the work ran in other processes
    assert all(enabled for _, _, enabled in done)  # forked while the parent paused it, turned on again


def test_an_error_of_the_work_in_a_worker_is_raised_not_run_again_serially(two_workers, tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(OSError, match="disk full"):
        pool.map_chunks(_fails_once, list(range(40)), str(marker), chunk=4, parallel_from=8)
    assert os.getpid() not in {int(p) for p in marker.read_text(encoding="utf-8").split()}


def test_no_pool_here_means_one_serial_run(two_workers, monkeypatch):
    import concurrent.futures

    def no_semaphores(*args, **kwargs):
        raise PermissionError("no semaphores in this sandbox")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_semaphores)
    done = pool.map_chunks(_where, list(range(40)), chunk=4, parallel_from=8)
    assert {pid for _, pid, _ in done} == {os.getpid()}


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
def test_a_run_ended_by_sigterm_leaves_no_worker_and_no_spool_behind(tmp_path):
    """`kill` of a portfolio export (a CI job cancelled): it exits 143, its workers end with
    it, and the folder its rows were put aside in is removed."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT, mixed_portfolio

    folder = mixed_portfolio(tmp_path / "in")
    spools = tmp_path / "tmp"
    spools.mkdir()
    env = dict(os.environ, TMPDIR=str(spools))
    run = subprocess.Popen(
        [sys.executable, "-m", "cquin_cli", "export", str(folder), "--format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline and run.poll() is None:
        workers = _children(run.pid) - {run.pid}
        time.sleep(0.02)
    if len(workers) < 2:  # pragma: no cover - the machine was too quick or too slow to catch it
        run.wait()
        pytest.skip("the run ended before its workers could be seen")
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=30) == 143
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers):
        assert time.monotonic() < deadline, "a worker outlived its run"
        time.sleep(0.05)
    assert not list(spools.iterdir())


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cannot_write(items: list[int]) -> list[int]:
    from cquin_cli.atomic import CannotWrite

    if 3 in items:
        raise CannotWrite("/out/x.xlsx", "no space left on device")
    return items


def test_a_write_refused_in_a_worker_reaches_the_parent_as_it_was(two_workers):
    from cquin_cli.atomic import CannotWrite

    with pytest.raises(CannotWrite, match="cannot write /out/x.xlsx: no space left on device"):
        pool.map_chunks(_cannot_write, list(range(40)), chunk=4, parallel_from=8)


def test_a_full_temporary_folder_is_a_write_refused_not_a_crash(cquin, monkeypatch, tmp_path):
    """cquin export puts each scheme's rows aside in TMPDIR; a full one is exit 2, said plainly."""
    import errno

    from conftest import SAMPLES

    from cquin_cli import spool

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool.os, "write", full)
    result = cquin("export", str(SAMPLES), "--format", "json")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "no space left on device" in result.stderr
    assert "internal error" not in result.stderr
