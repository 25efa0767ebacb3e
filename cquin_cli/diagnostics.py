"""One Diagnostic type for every finding (STYLE.md §3).

A diagnostic has a stable code, a severity, a message in the framework's words, and a
location: file, 1-based line and column, and the document path inside the file. A
cross-file finding also names the other place (``related``).

Codes (STYLE.md §6; cfn-lint's convention): the letter is the severity (E error,
W warning, I information); the hundreds are the area:

* ``x0xx`` the file could not be read or parsed; ``E009`` a rule crashed;
* ``x1xx`` the scheme format (JSON Schema);
* ``x2xx`` the framework's rules (DOMAIN.md §3);
* ``x3xx`` achievement data;
* ``x4xx`` design quality (DOMAIN.md §6, ``cquin lint``);
* ``x5xx`` configuration and suppressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

# A document path: the keys and indexes from the root, e.g. ("goals", 0, "weighting").
# (tuple[Any, ...]; plain ``tuple`` at run time, where ``Any`` is not imported.)
Path = tuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


def severity_of(code: str) -> Severity:
    return {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}[code[0]]


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int = 1
    column: int = 1
    path: Path = ()

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR
    related: tuple[Location, ...] = field(default=())
    source: str = ""  # the guidance paragraph or seed the rule enforces

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} {self.code} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        loc = self.location
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "path": json_pointer(loc.path),
        }
        if self.source:
            out["source"] = self.source
        if self.related:
            out["related"] = [{"file": r.file, "line": r.line, "column": r.column} for r in self.related]
        return out


def json_pointer(path: Path) -> str:
    """A document path as a JSON Pointer (RFC 6901): ``""`` for the whole document, each
    step after a ``/``, with ``~`` written ``~0`` and ``/`` written ``~1``."""
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def make(
    code: str, message: str, location: Location, *, severity: Severity | None = None, related=(), source: str = ""
) -> Diagnostic:
    return Diagnostic(code, message, location, severity or severity_of(code), tuple(related), source)


def sort_diagnostics(diagnostics) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.sort_key)


# E001: a path named could not be read at all (missing, a broken or looping link, a
# folder where a file is meant, permission denied). The command could not run as asked.
CANNOT_READ = "E001"


def cannot_read(diagnostics) -> bool:
    """Whether a path could not be read (E001): every command then exits 2 (docs/bad-input.md)."""
    return any(d.code == CANNOT_READ for d in diagnostics)


def exit_code(diagnostics, *, could_not_run: bool = False, strict: bool = False) -> int:
    """The exit code every command gives for its diagnostics, decided here only: 2 it could
    not run (``could_not_run``: nothing to check, an unusable configuration) or a path could
    not be read (E001), 1 an error (or, with ``strict``, a warning), else 0."""
    if could_not_run or cannot_read(diagnostics):
        return 2
    if any(d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING) for d in diagnostics):
        return 1
    return 0
