"""One result however a run is scheduled: the process pool gives what the serial path gives."""

from __future__ import annotations

import shutil

from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.check import pipeline


def test_pool_and_serial_runs_report_the_same(tmp_path, monkeypatch):
    # 70 copies of the worked example (one provider, so E203 fires for every one and
    # each is located by re-reading the file) plus the samples: more than PARALLEL_FROM.
    for i in range(70):
        shutil.copy(WORKED_EXAMPLE, tmp_path / f"copy-{i:02d}.yaml")
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 10**9)
    serial = pipeline.check_paths([str(tmp_path)])
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 64)
    monkeypatch.setattr(pipeline, "CHUNK", 8)
    pooled = pipeline.check_paths([str(tmp_path)], keep_values=False)
    assert [r.file for r in pooled.results] == [r.file for r in serial.results]
    assert pooled.diagnostics == serial.diagnostics
    e203 = [d for d in pooled.diagnostics if d.code == "E203"]
    assert len(e203) >= 70 and all(d.location.line > 1 for d in e203)
    assert all(r.values is None for r in pooled.results if r.scheme is not None)


def test_a_few_files_stay_serial(monkeypatch):
    def no_pool(*args, **kwargs):  # pragma: no cover - failing is the point
        raise AssertionError("a pool was started for a few files")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    run = pipeline.check_paths([str(WORKED_EXAMPLE)])
    assert run.results[0].scheme is not None and run.results[0].values is not None
