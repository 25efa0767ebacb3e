"""Every writer: it never replaces what is not a regular file, writes through a link to one,
and says in the user's words why a write failed (a full disk, a read-only file system, ...).

The special files are made here, in ``tmp_path``: a character device (only as root, the
same numbers as the null device, so writing to it is harmless), a named pipe, a socket,
a folder. Nothing under /dev is touched.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.load.discovery import achievement_file_for

ACHIEVEMENT = Path(achievement_file_for(str(WORKED_EXAMPLE)))
SCHEME = str(WORKED_EXAMPLE)

# name: (the destination's name in tmp_path, the command's arguments with {dest} and {tmp})
WRITERS = {
    "export json": ("out.json", ("export", SCHEME, "--format", "json", "-o", "{dest}")),
    "export sqlite": (
        "out.db",
        ("export", SCHEME, "--format", "sqlite", "-o", "{dest}"),
    ),
    "export csv": (
        "csv/schemes.csv",
        ("export", SCHEME, "--format", "csv", "-o", "{tmp}/csv"),
    ),
    "report --xlsx": ("report.xlsx", ("report", SCHEME, "--xlsx", "{dest}")),
    "render -o FILE": ("book.xlsx", ("render", SCHEME, "-o", "{dest}")),
    "render -o FOLDER": (
        "books/worked-example/northfield-acute-2009-10.xlsx",
        ("render", str(SAMPLES), "-o", "{tmp}/books"),
    ),
    "render --portfolio": (
        "portfolio.xlsx",
        ("render", SCHEME, "--portfolio", "{dest}"),
    ),
    "new -o": (
        "new.yaml",
        ("new", "--provider", "RNF", "--year", "2010/11", "-o", "{dest}"),
    ),
}

NODES = {
    "character device": "a character device",
    "named pipe": "a named pipe",
    "socket": "a socket",
    "folder": "a folder",
}


def make_node(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "character device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root (CI runs as root)")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    elif kind == "named pipe":
        os.mkfifo(path)
    elif kind == "socket":
        here = os.getcwd()
        os.chdir(path.parent)  # a socket's path is limited to about 100 characters
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.bind(path.name)
        finally:
            os.chdir(here)
    else:
        path.mkdir()


def args_for(writer: str, tmp_path: Path) -> tuple[Path, list[str]]:
    name, template = WRITERS[writer]
    dest = tmp_path / name
    return dest, [a.format(dest=dest, tmp=tmp_path) for a in template]


def temporaries(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob(".cquin-*")]


def workbooks(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".xlsx", ".json", ".db", ".csv")]


@pytest.mark.parametrize("kind", NODES)
@pytest.mark.parametrize("writer", WRITERS)
def test_a_destination_that_is_not_a_regular_file_is_refused_and_kept(cquin, tmp_path, writer, kind):
    if (writer, kind) == ("render -o FILE", "folder"):
        pytest.skip("render -o FOLDER (one that exists) writes the workbook into it, as documented")
    dest, args = args_for(writer, tmp_path)
    make_node(dest, kind)
    before = os.lstat(dest)
    result = cquin(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"cannot write {dest}: it is {NODES[kind]}" in result.stderr
    assert "internal error" not in result.stderr
    after = os.lstat(dest)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (
        stat.S_IFMT(before.st_mode),
        before.st_ino,
    )
    assert workbooks(tmp_path) == []  # refused before any work: nothing else written either
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("writer", ["export json", "report --xlsx", "render -o FILE"])
def test_a_link_to_a_named_pipe_is_refused(cquin, tmp_path, writer):
    dest, args = args_for(writer, tmp_path)
    make_node(tmp_path / "pipe", "named pipe")
    dest.symlink_to(tmp_path / "pipe")
    result = cquin(*args)
    assert result.exit_code == 2
    assert f"cannot write {dest}: it is a link to {tmp_path / 'pipe'}, a named pipe" in result.stderr
    assert stat.S_ISFIFO(os.stat(dest).st_mode) and dest.is_symlink()


def test_a_link_to_nothing_is_refused_not_followed(cquin, tmp_path):
    dest, args = args_for("export json", tmp_path)
    dest.symlink_to(tmp_path / "elsewhere" / "x.json")
    result = cquin(*args)
    assert result.exit_code == 2
    assert f"cannot write {dest}: it is a link to {tmp_path / 'elsewhere' / 'x.json'}, which does not exist" in result.stderr
    assert dest.is_symlink() and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("kind", ["character device", "named pipe", "socket"])
def test_a_csv_folder_that_is_a_special_file_or_a_file_is_refused(cquin, tmp_path, kind):
    folder = tmp_path / "csv"
    make_node(folder, kind)
    result = cquin("export", SCHEME, "--format", "csv", "-o", str(folder))
    assert result.exit_code == 2
    assert f"cannot write {folder}: it is {NODES[kind]}" in result.stderr
    (tmp_path / "plain").write_text("x")
    result = cquin("export", SCHEME, "--format", "csv", "-o", str(tmp_path / "plain"))
    assert result.exit_code == 2 and f"cannot write {tmp_path / 'plain'}: it is a file, and a folder is meant" in result.stderr
    assert (tmp_path / "plain").read_text() == "x"


# --- a link to a regular file is written through, the link kept -------------------------

LINKED_WRITERS = [w for w in WRITERS if w != "new -o"]  # new never writes over a file, linked or not


@pytest.mark.parametrize("writer", LINKED_WRITERS)
def test_a_link_to_a_regular_file_is_written_through_and_kept(cquin, tmp_path, writer):
    dest, args = args_for(writer, tmp_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "elsewhere" / ("target" + dest.suffix)
    target.parent.mkdir()
    target.write_bytes(b"old")
    dest.symlink_to(target)
    result = cquin(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert dest.is_symlink() and os.readlink(dest) == str(target)
    assert target.read_bytes() != b"old" and len(target.read_bytes()) > 100
    assert temporaries(tmp_path) == []


def test_fmt_writes_through_a_linked_scheme(cquin, tmp_path):
    target = tmp_path / "elsewhere" / "scheme.yaml"
    target.parent.mkdir()
    target.write_text("provider:\n    code: RNF\nfinancial_year: 2009/10\n")
    link = tmp_path / "scheme.yaml"
    link.symlink_to(target)
    result = cquin("fmt", str(link))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "financial_year: 2009/10\nprovider:\n  code: RNF\n"
    assert temporaries(tmp_path) == []


def unrecorded(tmp_path: Path, *, linked: bool = False) -> tuple[Path, Path]:
    """The worked example and its achievement data before any --record (optionally through a link)."""
    scheme = tmp_path / "northfield.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    text = ACHIEVEMENT.read_text(encoding="utf-8")
    data = tmp_path / "northfield.achievement.yaml"
    target = data
    if linked:
        target = tmp_path / "elsewhere" / "data.yaml"
        target.parent.mkdir()
        data.symlink_to(target)
    target.write_text(text[: text.index("adjustments:\n")], encoding="utf-8")
    return scheme, target


RECORD = ("reconcile", "{scheme}", "--month", "6", "--record", "--date", "2009-10-30")


def test_record_writes_through_a_linked_achievement_file(cquin, tmp_path):
    scheme, target = unrecorded(tmp_path, linked=True)
    result = cquin(*(a.format(scheme=scheme) for a in RECORD))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "northfield.achievement.yaml").is_symlink()
    assert "month: 6" in target.read_text().split("adjustments:")[1]
    assert temporaries(tmp_path) == []


# --- a write the system refuses, in the user's words --------------------------------------


def fail_writes(monkeypatch, code: int) -> None:
    """Every file cquin writes fails as a full (read-only, ...) disk fails: at the flush to disk."""

    def refuse(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", refuse)


@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_disk_is_said_plainly_for_every_writer(cquin, tmp_path, monkeypatch, writer):
    dest, args = args_for(writer, tmp_path)
    if writer != "new -o":
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"old")
    fail_writes(monkeypatch, errno.ENOSPC)
    result = cquin(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    shown = {
        "export csv": tmp_path / "csv",
        "render -o FOLDER": tmp_path / "books",
    }.get(writer, dest)  # its first file
    assert f"cannot write {shown}" in result.stderr and ": no space left on device" in result.stderr
    assert "internal error" not in result.stderr and "OSError" not in result.stderr
    assert (not dest.exists()) if writer == "new -o" else dest.read_bytes() == b"old"
    assert temporaries(tmp_path) == []


def test_a_full_disk_is_said_plainly_by_fmt_and_record(cquin, tmp_path, monkeypatch):
    scheme, data = unrecorded(tmp_path)
    before = data.read_bytes()
    (tmp_path / "fmt").mkdir()
    messy = tmp_path / "fmt" / "scheme.yaml"
    messy.write_text("provider:\n    code: RNF\nfinancial_year: 2009/10\n")
    fail_writes(monkeypatch, errno.ENOSPC)
    recorded = cquin(*(a.format(scheme=scheme) for a in RECORD))
    assert recorded.exit_code == 2
    assert f"cannot write {data}: no space left on device" in recorded.stderr and "internal error" not in recorded.stderr
    assert data.read_bytes() == before
    formatted = cquin("fmt", str(messy))
    assert formatted.exit_code == 2
    assert f"cannot write {messy}: no space left on device" in formatted.stderr and "internal error" not in formatted.stderr
    assert messy.read_text() == "provider:\n    code: RNF\nfinancial_year: 2009/10\n"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "no space left on device"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
        (errno.EPERM, "permission denied"),
        (errno.EDQUOT, "disk quota exceeded"),
    ],
)
@pytest.mark.parametrize("writer", ["export json", "render -o FILE", "new -o"])
def test_each_refusal_of_the_system_in_the_users_words(cquin, tmp_path, monkeypatch, writer, code, words):
    dest, args = args_for(writer, tmp_path)
    fail_writes(monkeypatch, code)
    result = cquin(*args)
    assert result.exit_code == 2
    assert f"cannot write {dest}: {words}\n" in result.stderr
    assert not dest.exists()


def test_a_full_disk_under_sqlite_is_said_plainly(cquin, tmp_path, monkeypatch):
    """SQLite reports a full disk itself ("database or disk is full"): here a real one,
    a database allowed only two pages."""
    import sqlite3

    connect = sqlite3.connect

    def small(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA max_page_count = 2")
        return connection

    monkeypatch.setattr(sqlite3, "connect", small)
    dest = tmp_path / "out.db"
    result = cquin("export", SCHEME, "--format", "sqlite", "-o", str(dest))
    assert result.exit_code == 2, result.stderr
    assert f"cannot write {dest}: no space left on device" in result.stderr and "internal error" not in result.stderr
    assert not dest.exists() and temporaries(tmp_path) == []
