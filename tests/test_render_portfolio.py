"""``cquin render`` in the worker pool: each scheme is checked, priced and rendered in a worker
process that sends back only what the run reports and its portfolio row (a portfolio streams,
docs/performance.md). Whatever the pool does, the bytes, the messages and the exit code are
those of a run in one process."""

from __future__ import annotations

import gc
import os

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE, run_cli
from openpyxl import load_workbook

from cquin_cli import pool
from cquin_cli.render import run as render_run


def serial(monkeypatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**9)


def pooled(monkeypatch) -> None:
    """Two workers, two schemes a chunk, even on a machine of one core."""
    monkeypatch.setattr(pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(pool, "CHUNK", 2)
    monkeypatch.setattr(pool, "workers", lambda: 2)


def record_processes(monkeypatch, log) -> None:
    """Note the process that renders each scheme, and whether its cycle collector is on
    (a forked worker inherits the patch)."""
    one = render_run._render_one

    def noted(item, *args):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}:{gc.isenabled()}\n")
        return one(item, *args)

    monkeypatch.setattr(render_run, "_render_one", noted)


def report(result, out) -> tuple[int, str, str]:
    """What a user sees, the output folder named OUT."""
    return result.exit_code, result.stdout.replace(str(out), "OUT"), result.stderr.replace(str(out), "OUT")


def books(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.xlsx"))}


def test_a_portfolio_and_its_workbooks_rendered_on_every_core_are_the_bytes_of_one_process(monkeypatch, tmp_path):
    log = tmp_path / "pids"
    record_processes(monkeypatch, log)
    runs = {}
    for name, mode in (("serial", serial), ("pooled", pooled)):
        mode(monkeypatch)
        log.write_text("", encoding="utf-8")
        out = tmp_path / name
        out.mkdir()
        result = run_cli("render", str(SAMPLES), "-o", str(out / "books"), "--portfolio", str(out / "portfolio.xlsx"))
        assert result.exit_code == 0, result.stdout + result.stderr
        runs[name] = (result, out, set(log.read_text(encoding="utf-8").split()))
    (serial_run, serial_out, serial_pids), (pooled_run, pooled_out, pooled_pids) = runs["serial"], runs["pooled"]
    assert serial_pids == {f"{os.getpid()}:True"}
    assert pooled_pids and f"{os.getpid()}:True" not in pooled_pids  # rendered in the workers,
    assert all(p.endswith(":True") for p in pooled_pids)  # which collect each workbook's cycles
    portfolio = (serial_out / "portfolio.xlsx").read_bytes()
    assert (pooled_out / "portfolio.xlsx").read_bytes() == portfolio
    serial_books = books(serial_out / "books")
    assert len(serial_books) == len([p for p in SAMPLES.rglob("*.yaml") if not p.name.endswith(".achievement.yaml")])
    assert books(pooled_out / "books") == serial_books
    assert report(pooled_run, pooled_out) == report(serial_run, serial_out)
    assert "OUT/portfolio.xlsx" in report(pooled_run, pooled_out)[1]
    ws = load_workbook(pooled_out / "portfolio.xlsx")["Portfolio"]
    assert ws["A2"].value.startswith(f"{len(serial_books)} schemes;")


@pytest.fixture
def six_schemes(tmp_path):
    """Six schemes of six providers; s3 breaks the rate of its year (an error), s5 cannot be read."""
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    folder = tmp_path / "schemes"
    folder.mkdir()
    for i in range(6):
        (folder / f"s{i}.yaml").write_text(text.replace("code: RNF", f"code: RN{i}"), encoding="utf-8")
    (folder / "s3.yaml").write_text(text.replace("code: RNF", "code: RN3").replace("rate: 0.5%", "rate: 0.7%"), encoding="utf-8")
    (folder / "s5.yaml").write_text("financial_year: [unclosed\n", encoding="utf-8")
    return folder


def both_ways(monkeypatch, tmp_path, folder, *options: str):
    """The same render, serial and pooled: each one's result, outputs folder and what it wrote."""
    runs = []
    for name, mode in (("serial", serial), ("pooled", pooled)):
        mode(monkeypatch)
        out = tmp_path / name
        out.mkdir(parents=True)
        result = run_cli("render", str(folder), "-o", str(out / "books"), "--portfolio", str(out / "portfolio.xlsx"), *options)
        runs.append((result, out, books(out)))
    return runs


def same_report(runs) -> None:
    (first, first_out, first_books), (second, second_out, second_books) = runs
    assert report(first, first_out) == report(second, second_out)
    assert first_books == second_books


def test_a_refused_scheme_among_many_gives_the_same_messages_and_exit_code_from_the_workers(monkeypatch, tmp_path, six_schemes):
    runs = both_ways(monkeypatch, tmp_path, six_schemes)
    same_report(runs)
    result, _, written = runs[1]
    assert result.exit_code == 1
    assert "s3.yaml: not rendered: 1 error (fix them, or --force to render anyway)" in result.stderr
    assert "s5.yaml: not rendered: the file cannot be read as a scheme" in result.stderr
    assert sorted(written) == ["books/s0.xlsx", "books/s1.xlsx", "books/s2.xlsx", "books/s4.xlsx", "portfolio.xlsx"]
    assert load_workbook(tmp_path / "pooled" / "portfolio.xlsx")["Portfolio"]["A2"].value.startswith("4 schemes;")

    forced = both_ways(monkeypatch, tmp_path / "forced", six_schemes, "--force")
    same_report(forced)
    result, _, written = forced[1]
    assert result.exit_code == 1  # s5 still cannot be read
    assert "s3.yaml: rendered despite 1 error (--force)" in result.stderr
    assert "books/s3.xlsx" in written


def test_a_scheme_that_fails_to_price_in_a_worker_is_reported_as_in_one_process(monkeypatch, tmp_path, six_schemes):
    """An invalid forced scheme too broken to price is refused with why; a valid one that
    cannot be priced is a bug, and reaches the CLI's last line of defence from a worker too."""
    from cquin_cli.compute import pricing

    real = pricing.price

    def price(scheme, *args, **kwargs):
        if os.path.basename(scheme.file) in ("s2.yaml", "s3.yaml"):
            raise ValueError(f"no price for {os.path.basename(scheme.file)}")
        return real(scheme, *args, **kwargs)

    monkeypatch.setattr(pricing, "price", price)
    (six_schemes / "s2.yaml").unlink()
    forced = both_ways(monkeypatch, tmp_path / "forced", six_schemes, "--force")
    same_report(forced)
    result = forced[1][0]
    assert "s3.yaml: not rendered: the scheme is too broken to price (ValueError: no price for s3.yaml)" in result.stderr

    (six_schemes / "s2.yaml").write_text(WORKED_EXAMPLE.read_text(encoding="utf-8").replace("code: RNF", "code: RN2"))
    crashed = both_ways(monkeypatch, tmp_path / "crashed", six_schemes, "--force")
    assert crashed[0][0].exit_code == crashed[1][0].exit_code != 0
    assert report(*crashed[0][:2]) == report(*crashed[1][:2])
    assert "internal error: ValueError: no price for s2.yaml" in crashed[1][0].stderr
    assert "portfolio.xlsx" not in crashed[1][2]
