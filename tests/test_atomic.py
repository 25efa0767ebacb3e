"""Writes are atomic and leave files with ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from cquin_cli.atomic import atomic_write, atomic_write_bytes, atomic_write_with


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_0666_less_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(str(tmp_path / "a.yaml"), "x: 1\n")
        atomic_write_bytes(str(tmp_path / "b.xlsx"), b"PK")
        atomic_write_with(str(tmp_path / "c.db"), lambda p: open(p, "wb").write(b"db"))
    finally:
        os.umask(old)
    assert [mode(tmp_path / n) for n in ("a.yaml", "b.xlsx", "c.db")] == [0o644] * 3
    assert (tmp_path / "a.yaml").read_text() == "x: 1\n"


def test_a_replaced_file_keeps_its_mode_and_no_temporary_is_left(tmp_path):
    target = tmp_path / "scheme.yaml"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    atomic_write(str(target), "new\n")
    assert target.read_text() == "new\n" and mode(target) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["scheme.yaml"]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "portfolio.db"
    target.write_bytes(b"old")

    def broken(path: str) -> None:
        open(path, "wb").write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write_with(str(target), broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["portfolio.db"]


def test_create_never_replaces_and_leaves_no_temporary(tmp_path):
    from cquin_cli.atomic import atomic_create

    target = tmp_path / "new.yaml"
    atomic_create(str(target), "a: 1\n")
    assert target.read_text() == "a: 1\n"
    with pytest.raises(FileExistsError):
        atomic_create(str(target), "b: 2\n")
    assert target.read_text() == "a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


def test_a_destination_that_becomes_a_pipe_while_written_is_not_replaced(tmp_path):
    """The destination is checked again just before the rename."""
    from cquin_cli.atomic import CannotWrite

    target = tmp_path / "out.db"
    target.write_bytes(b"old")

    def swap(path: str) -> None:
        open(path, "wb").write(b"new")
        target.unlink()
        os.mkfifo(target)  # another process put a named pipe there meanwhile

    with pytest.raises(CannotWrite) as refused:
        atomic_write_with(str(target), swap)
    assert str(refused.value) == f"cannot write {target}: it is a named pipe (FIFO); cquin replaces only regular files"
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.db"]


def test_a_refused_write_is_still_an_oserror(tmp_path):
    """Code that catches OSError around a write keeps working."""
    import errno

    from cquin_cli.atomic import CannotWrite

    def full(path: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as refused:
        atomic_write_with(str(tmp_path / "x"), full)
    assert isinstance(refused.value, CannotWrite)
    assert str(refused.value) == f"cannot write {tmp_path / 'x'}: no space left on device"
