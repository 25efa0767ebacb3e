"""``cquin fmt`` over files: which files, what would change, and writing them safely.

A pure step (:func:`plan`) reads every file and computes its canonical text; the edge
(:func:`apply`) writes only the files that change, each atomically
(:func:`cquin_cli.load.yaml_roundtrip.atomic_write`). A file that cannot be read or
formatted is a diagnostic and is never written.
"""

from __future__ import annotations

from dataclasses import dataclass

from cquin_cli.diagnostics import Diagnostic, Location, cannot_read, make
from cquin_cli.format.layout import Formatted, format_bytes
from cquin_cli.load.discovery import discover
from cquin_cli.load.yaml_reader import read_bytes
from cquin_cli.pool import collector_paused, map_chunks


@dataclass(frozen=True, slots=True)
class FileFormat:
    file: str
    formatted: Formatted | None  # None when the file could not be read at all

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted.changed

    def unified_diff(self) -> str:
        if not self.changed:
            return ""
        import difflib

        assert self.formatted is not None and self.formatted.text is not None
        before = self.formatted.original.decode("utf-8", errors="replace").lstrip("\ufeff")
        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            self.formatted.text.splitlines(keepends=True),
            fromfile=f"{self.file} (as written)",
            tofile=f"{self.file} (cquin fmt)",
        )
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        if self.formatted.original.startswith(b"\xef\xbb\xbf"):
            out.insert(2, "@@ the byte-order mark at the start of the file is removed @@\n")
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Plan:
    files: tuple[FileFormat, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def changed(self) -> list[FileFormat]:
        return [f for f in self.files if f.changed]

    @property
    def could_not_run(self) -> bool:
        """Nothing was found to format, or a path could not be read at all (E001): exit 2."""
        return not self.files or cannot_read(self.diagnostics)


def _read(path: str) -> tuple[bytes | None, Diagnostic | None]:
    """A file's bytes through the one bounded reader, or its E001."""
    raw, error = read_bytes(path)
    if error is not None:
        return None, make(error.code, error.message, Location(path, error.line, error.column))
    return raw, None


def _format_chunk(paths: list[str]) -> list[tuple[FileFormat, Diagnostic | None]]:
    """Read and format each file: its outcome, and its diagnostic when it has one (a worker's share)."""
    out: list[tuple[FileFormat, Diagnostic | None]] = []
    with collector_paused():
        for path in paths:
            raw, problem = _read(path)
            if problem is not None or raw is None:
                out.append((FileFormat(path, None), problem))
                continue
            formatted = format_bytes(raw, path)
            e = formatted.error
            out.append(
                (FileFormat(path, formatted), None if e is None else make(e.code, e.message, Location(path, e.line, e.column)))
            )
    return out


def plan(paths: list[str] | tuple[str, ...], exclude: tuple[str, ...] | list[str] = ()) -> Plan:
    """The canonical text of every YAML file under ``paths`` (scheme and achievement files).

    Many files are formatted on every core (:func:`cquin_cli.pool.map_chunks`, the pool
    ``cquin validate`` uses); the plan is the same whatever the pool does.
    """
    found = discover(paths, exclude)
    diagnostics = list(found.diagnostics)
    files = []
    for file_format, problem in map_chunks(_format_chunk, [*found.schemes, *found.achievements]):
        if problem is not None:
            diagnostics.append(problem)
        files.append(file_format)
    return Plan(tuple(sorted(files, key=lambda f: f.file)), tuple(diagnostics))


def apply(planned: Plan) -> list[str]:
    """Write every file whose layout changes; returns the files written."""
    from cquin_cli.load.yaml_roundtrip import atomic_write

    written = []
    for f in planned.changed:
        assert f.formatted is not None and f.formatted.text is not None
        atomic_write(f.file, f.formatted.text)
        written.append(f.file)
    return written
