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
