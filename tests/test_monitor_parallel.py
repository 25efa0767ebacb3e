"""`cquin monitor FOLDER` in the worker pool gives what the serial path gives, byte for byte, in every format."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from cquin_cli import pool


def _generate():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    """70 generated schemes (more than PARALLEL_FROM), each with 12 months of history and 12 in-year months.

    Only the 2009/10 ones: the generator does not write 2010/11's national goals (E225)."""
    folder = tmp_path_factory.mktemp("portfolio")
    _generate()(str(folder), 140, seed=9, achievement=True)
    for path in folder.rglob("*2010-11*.yaml"):
        path.unlink()
    return folder


def both_ways(monkeypatch, *args: str):
    monkeypatch.setattr(pool, "workers", lambda: 1)
    serial = run_cli("monitor", *args)
    monkeypatch.setattr(pool, "workers", lambda: 2)
    started = []
    real = pool.map_chunks

    def counting(work, items, *rest, **options):
        started.append(len(items))
        return real(work, items, *rest, **options)

    monkeypatch.setattr(pool, "map_chunks", counting)
    pooled = run_cli("monitor", *args)
    assert started == [70]
    return serial, pooled


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
@pytest.mark.parametrize("month", [None, "7"])
def test_pool_and_serial_give_the_same_table(portfolio, monkeypatch, fmt, month):
    args = [str(portfolio), "--format", fmt] + (["--month", month] if month else [])
    serial, pooled = both_ways(monkeypatch, *args)
    assert serial.exit_code == pooled.exit_code == 0, serial.stderr + pooled.stderr
    assert pooled.stdout == serial.stdout and pooled.stderr == serial.stderr
    if fmt == "text":
        assert "70 schemes: money at risk £" in pooled.stdout


def test_pool_and_serial_refuse_bad_data_alike(portfolio, tmp_path, monkeypatch):
    folder = tmp_path / "p"
    shutil.copytree(portfolio, folder)
    data = sorted(folder.rglob("*.achievement.yaml"))
    text = data[3].read_text(encoding="utf-8")
    data[3].write_text(text.replace("month: 5, value:", "month: 13, value:", 1), encoding="utf-8")
    data[10].unlink()
    serial, pooled = both_ways(monkeypatch, str(folder))
    assert serial.exit_code == pooled.exit_code == 1
    assert pooled.stdout == serial.stdout and pooled.stderr == serial.stderr
    assert "E108" in pooled.stderr and "68 schemes" in pooled.stdout
    assert f"{str(data[10]).replace('.achievement', '')}: no achievement data" in pooled.stdout
