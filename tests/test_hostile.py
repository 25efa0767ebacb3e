"""Hostile and broken input (issue 6, DOMAIN.md §8): one located diagnostic, the documented
exit code, no traceback, bounded time and memory, and the other files still checked.

The corpus is ``tests/hostile/`` (small files, committed) plus the cases that are too
big or too odd to commit (a 20 MB file, 10,000-deep nesting, a folder link loop, an
unreadable file, a path that does not exist), made here in ``tmp_path``. The table of
codes and exit codes is docs/bad-input.md; a test below keeps the two in step.
"""

from __future__ import annotations

import os
import re
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE, run_cli

HOSTILE = ROOT / "tests" / "hostile"
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info) (?P<code>[EWI]\d{3}) ", re.M
)

# file -> (code, text on the line the diagnostic must point at, or (line, column), exit code)
COMMITTED = {
    "alias-bomb.yaml": ("E004", (7, 12), 1),
    "binary.yaml": ("E005", (1, 1), 1),
    "bom.yaml": ("W001", (1, 1), 0),
    "duplicate-keys.yaml": ("E003", "rate: 1.5%", 1),
    "empty.yaml": ("E006", (1, 1), 1),
    "impossible-date.yaml": ("E107", "final_reporting_date: 2010-02-30", 1),
    "invalid-utf8.yaml": ("E005", (8, 40), 1),
    "money-400-digits.yaml": ("E105", "tariff_income: 9999", 1),
    "money-inf.yaml": ("E105", "tariff_income: .inf", 1),
    "money-nan.yaml": ("E105", "tariff_income: .nan", 1),
    "money-three-decimals.yaml": ("E105", "excluded_income: 500000.005", 1),
    "python-tag.yaml": ("E004", (2, 17), 1),
    "tabs.yaml": ("E002", "\tcode: RH", 1),
    "top-level-list.yaml": ("E110", (1, 1), 1),
    "top-level-scalar.yaml": ("E110", (1, 1), 1),
    "unquoted-1-20.yaml": ("E103", "floor: 1:20", 1),
    "utf16.yaml": ("E005", (1, 1), 1),
    "yaml11-yes.yaml": ("E103", "foundation_trust: yes", 1),
    "yaml11-no.yaml": ("E103", "foundation_trust: no", 1),
    "yaml11-on.yaml": ("E103", "clinical_lead: on", 1),
    "yaml11-off.yaml": ("E103", "clinical_lead: off", 1),
}

TIME_LIMIT_S = 2.0
MEMORY_LIMIT_BYTES = 200 * 1024 * 1024


def expected_position(path: Path, where) -> tuple[int, int]:
    if isinstance(where, tuple):
        return where
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if where in line)
    return number, len(lines[number - 1]) - len(lines[number - 1].lstrip(" ")) + 1


def companion(tmp_path: Path) -> tuple[Path, int]:
    """A good scheme with one known finding (E204, rate), to show the run goes on."""
    text = WORKED_EXAMPLE.read_text(encoding="utf-8").replace("rate: 0.5%", "rate: 1%")
    path = tmp_path / "companion" / "northfield-acute-2009-10.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines().index("rate: 1%") + 1


def bounded_run(*args: str):
    """``cquin validate ARGS`` in this process, with its wall time and peak Python memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run_cli("validate", *args)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak


def assert_one_located(result, path: str, code: str, position: tuple[int, int] | None, exit_code: int, elapsed: float, peak: int):
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    found = [m for m in DIAGNOSTIC.finditer(result.stdout) if m["file"] == path]
    assert [m["code"] for m in found] == [code], result.stdout
    if position is not None:
        assert (int(found[0]["line"]), int(found[0]["column"])) == position, result.stdout
    assert result.exit_code == exit_code, result.stdout
    assert elapsed < TIME_LIMIT_S, f"{path} took {elapsed:.2f} s"
    assert peak < MEMORY_LIMIT_BYTES, f"{path} peaked at {peak / 1048576:.0f} MB"


def assert_companion_checked(result, companion_path: Path, rate_line: int):
    assert f"{companion_path}:{rate_line}:1: error E204 " in result.stdout, result.stdout


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_hostile_file(name, tmp_path):
    path = HOSTILE / name
    code, where, exit_code = COMMITTED[name]
    position = expected_position(path, where)
    result, elapsed, peak = bounded_run(str(path))
    assert_one_located(result, str(path), code, position, exit_code, elapsed, peak)
    # ... and beside a good file, which is still checked and reported.
    other, rate_line = companion(tmp_path)
    result, elapsed, peak = bounded_run(str(path), str(other))
    assert_one_located(result, str(path), code, position, max(exit_code, 1), elapsed, peak)
    assert_companion_checked(result, other, rate_line)


def test_every_committed_file_is_in_the_table_and_the_docs():
    on_disk = sorted(p.name for p in HOSTILE.glob("*.yaml"))
    assert on_disk == sorted(COMMITTED)
    documented = (ROOT / "docs" / "bad-input.md").read_text(encoding="utf-8")
    for name, (code, _, exit_code) in COMMITTED.items():
        row = next((line for line in documented.splitlines() if f"`{name}`" in line), None)
        assert row is not None, f"{name} is not in docs/bad-input.md"
        assert code in row and f"| {exit_code} |" in row, row


def made(tmp_path: Path, kind: str) -> tuple[Path, str, tuple[int, int] | None, int]:
    """The cases built at test time: (path, code, position, exit code)."""
    if kind == "20 MB file":
        path = tmp_path / "huge.yaml"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("notes: |\n")
            line = "  " + "x" * 98 + "\n"
            for _ in range(20 * 1024 * 1024 // len(line)):
                handle.write(line)
        return path, "E001", (1, 1), 2
    if kind == "10,000-deep lists":
        path = tmp_path / "deep-lists.yaml"
        path.write_text("[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
        return path, "E004", (1, 65), 1
    if kind == "10,000-deep mappings":
        path = tmp_path / "deep-maps.yaml"
        path.write_text("{a: " * 10_000 + "1" + "}" * 10_000 + "\n", encoding="utf-8")
        return path, "E004", (1, 4 * 64 + 1), 1
    if kind == "folder link loop":
        folder = tmp_path / "loop"
        (folder / "inner").mkdir(parents=True)
        os.symlink("..", folder / "inner" / "back")
        return folder / "inner" / "back", "E001", (1, 1), 2
    if kind == "path that does not exist":
        return tmp_path / "no-such-scheme.yaml", "E001", (1, 1), 2
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["20 MB file", "10,000-deep lists", "10,000-deep mappings", "folder link loop", "path that does not exist"]
)
def test_made_hostile_input(kind, tmp_path):
    path, code, position, exit_code = made(tmp_path, kind)
    argument = str(tmp_path / "loop") if kind == "folder link loop" else str(path)
    result, elapsed, peak = bounded_run(argument)
    assert_one_located(result, str(path), code, position, exit_code, elapsed, peak)
    other, rate_line = companion(tmp_path)
    result, elapsed, peak = bounded_run(argument, str(other))
    assert_one_located(result, str(path), code, position, 2 if exit_code == 2 else 1, elapsed, peak)
    assert_companion_checked(result, other, rate_line)


def test_unreadable_file(tmp_path, monkeypatch):
    """chmod 000 stops anyone but root; as root (CI containers) the refusal is simulated."""
    path = tmp_path / "locked.yaml"
    path.write_text(WORKED_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:
        real_open = os.open

        def refuse(file, *args, **kwargs):  # the one reader opens with os.open
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    try:
        result, elapsed, peak = bounded_run(str(path))
        assert_one_located(result, str(path), "E001", (1, 1), 2, elapsed, peak)
        assert "permission denied" in result.stdout
        other, rate_line = companion(tmp_path)
        result, elapsed, peak = bounded_run(str(path), str(other))
        assert_one_located(result, str(path), "E001", (1, 1), 2, elapsed, peak)
        assert_companion_checked(result, other, rate_line)
    finally:
        path.chmod(0o644)


def test_a_folder_of_hostile_files_reports_each_once_and_checks_the_rest(tmp_path):
    """Everything at once: one diagnostic per hostile file, the good scheme still checked."""
    other, rate_line = companion(tmp_path)
    result, elapsed, peak = bounded_run(str(HOSTILE), str(other))
    assert "Traceback" not in result.stdout + result.stderr
    for name, (code, _, _) in COMMITTED.items():
        codes = [m["code"] for m in DIAGNOSTIC.finditer(result.stdout) if Path(m["file"]).name == name]
        assert codes == [code], (name, codes)
    assert_companion_checked(result, other, rate_line)
    assert result.exit_code == 1
