"""One bounded reader for every command: regular files only, one size limit, little memory.

Each command that reads schemes or achievement data is run as a real process (so a hang
is a timeout, not a stuck suite) on a FIFO named like a scheme, on a symbolic link to a
character device, and on a 50 MB file; the reader refuses each before reading it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WORKED_EXAMPLE
from test_cli_exit_codes import COMMANDS, command

TIMEOUT = 30  # seconds: far more than any refusal takes; a hang fails the test

MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, timeout=60)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def commands(target: str, out: Path) -> dict[str, list[str]]:
    """Every command that reads a scheme, each on ``target`` (the same list as tests/test_cli_exit_codes.py)."""
    return {name: command(name, Path(target), out) for name in COMMANDS}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cquin_cli", *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_named_like_a_scheme_is_refused_without_opening_it(tmp_path, command):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    done = run(commands(str(fifo), tmp_path)[command], tmp_path)  # opening it would block: the timeout fails the test
    assert done.returncode == 2, (done.stdout, done.stderr)
    said = done.stdout + done.stderr
    assert "is not a regular file (a FIFO)" in said, said
    assert "Traceback" not in said


@pytest.mark.parametrize("command", COMMANDS)
def test_a_link_to_a_character_device_is_refused_without_reading_it(tmp_path, command):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")  # only ever read, and the reader must not even open it
    done = run(commands(str(link), tmp_path)[command], tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    said = done.stdout + done.stderr
    assert "is not a regular file (a character device)" in said, said
    assert "MemoryError" not in said and "Traceback" not in said


@pytest.mark.parametrize("command", COMMANDS)
def test_a_50_mb_file_costs_any_command_at_most_60_mb(tmp_path, command):
    big = tmp_path / "big.yaml"
    with open(big, "w", encoding="utf-8") as handle:
        line = "# " + "x" * 97 + "\n"
        handle.write(WORKED_EXAMPLE.read_text(encoding="utf-8"))
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    args = [sys.executable, "-m", "cquin_cli", *commands(str(big), tmp_path)[command]]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT * 3
    )
    code, peak_kb = map(int, done.stdout.split())
    assert code == 2
    assert peak_kb <= 60 * 1024, f"cquin {command} on a 50 MB file peaked at {peak_kb / 1024:.1f} MB"


def test_the_reader_refuses_by_kind_before_opening(tmp_path, monkeypatch):
    from cquin_cli.load import yaml_reader

    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(yaml_reader.os, "open", spy)
    for name, expected in ((fifo, "a FIFO"), (tmp_path, "is a folder, not a file")):
        loaded = yaml_reader.read_yaml(name)
        assert loaded.error is not None and loaded.error.code == "E001" and expected in loaded.error.message
    assert opened == []
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    assert yaml_reader.read_yaml(tmp_path / "ok.yaml").value == {"a": 1}
    assert opened == [str(tmp_path / "ok.yaml")]
