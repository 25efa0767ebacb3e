"""Read one YAML file into plain values that remember where they came from.

This is the only place that parses YAML for reading. It drives libyaml's C event
parser (``ruamel.yaml.clib``) and builds the values itself, so that:

* every file means the same on every code path: scalars are resolved by the
  YAML 1.2 core schema here, and nowhere else (``yes``, ``on`` and ``1:20`` stay
  text, ``017`` is seventeen, an unquoted date stays the text ``2009-03-31``);
* numbers with a fractional part become :class:`decimal.Decimal` built from the
  text as written, never a float (money is exact from the first byte);
* every mapping and sequence remembers the line and column of each key and item,
  so any later stage can point a user at the exact place without a second parse;
* nothing is ever constructed from a tag: only the core tags (``!!str``,
  ``!!int``...) are accepted and anything else is a diagnostic;
* hostile input is bounded: file size, nesting depth and alias expansion have
  limits, duplicate keys are refused, and every failure is one :class:`LoadError`
  with a 1-based line and column, never an exception escaping to the user.
"""

from __future__ import annotations

import _thread
import errno
import math
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 250_000

# YAML 1.2 core schema (spec 1.2.2, section 10.3.2), applied to plain scalars only.
_NULL = re.compile(r"(?:null|Null|NULL|~)?\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}


class YamlMap(dict):
    """A mapping that remembers the (line, column) of each key, 1-based."""

    __slots__ = ("mark", "key_marks")

    def __init__(self, mark: tuple[int, int]):
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, tuple[int, int]] = {}


class YamlSeq(list):
    """A sequence that remembers the (line, column) of each item, 1-based."""

    __slots__ = ("mark", "item_marks")

    def __init__(self, mark: tuple[int, int]):
        super().__init__()
        self.mark = mark
        self.item_marks: list[tuple[int, int]] = []


@dataclass(frozen=True, slots=True)
class LoadError:
    """Why a file could not be read as YAML, and where (1-based)."""

    code: str
    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Loaded:
    """The outcome of reading one file: a value, or the one reason it has none."""

    path: str
    value: Any = None
    error: LoadError | None = None
    warnings: tuple[LoadError, ...] = ()
    text: str = field(default="", compare=False, repr=False)  # the decoded text, when it could be decoded


# A plain scalar can only be something other than text if it starts with one of these.
_NOT_TEXT_START = frozenset("0123456789+-.~nNtTfF")


# The only plain scalars spelt with a letter (or ~) that are not text: null and the booleans.
_WORDS: dict[str, Any] = {"null": None, "Null": None, "NULL": None, "~": None, **_BOOL}
_NOT_A_WORD = object()


def resolve_plain(text: str) -> Any:
    """The YAML 1.2 core-schema meaning of a plain (unquoted) scalar."""
    if not text:
        return None
    first = text[0]
    if first not in _NOT_TEXT_START:  # most scalars are words: skip every pattern
        return text
    if first in "nNtTfF~":  # "Trust", "Northfield": text, unless it spells null or a boolean
        value = _WORDS.get(text, _NOT_A_WORD)
        return text if value is _NOT_A_WORD else value
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
            return text
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _resolve_tagged(tag: str, text: str) -> Any:
    value = resolve_plain(text)
    if tag == _CORE + "str":
        return text
    if tag == _CORE + "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tag == _CORE + "float" and isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return Decimal(value) if isinstance(value, int) else value
    if tag == _CORE + "bool" and isinstance(value, bool):
        return value
    if tag == _CORE + "null" and value is None:
        return None
    raise _Refused("E004", f"the text {text!r} is not a valid {tag.rsplit(':', 1)[-1]}")


class _Refused(Exception):
    def __init__(self, code: str, message: str, mark: tuple[int, int] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark


def _mark(start_mark: Any) -> tuple[int, int]:
    """libyaml's 0-based mark as cquin's 1-based (line, column)."""
    return (start_mark.line + 1, start_mark.column + 1)


def decode(raw: bytes) -> tuple[str | None, LoadError | None, tuple[LoadError, ...]]:
    """Bytes to text: UTF-8 only, a UTF-8 byte-order mark tolerated with a warning."""
    warnings: tuple[LoadError, ...] = ()
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return None, LoadError("E005", "the file is UTF-16 encoded; save it as UTF-8"), ()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warnings = (LoadError("W001", "the file starts with a byte-order mark; `cquin fmt` removes it"),)
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, LoadError("E005", "the file is binary (it contains NUL bytes), not YAML text", line, 1), ()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, LoadError("E005", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column), ()
    return text, None, warnings


# What a path is when it is not a regular file, by the file type of os.stat (``stat`` is
# imported by ``os`` itself: no import cost).
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> LoadError | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return LoadError("E001", "is a folder, not a file")
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")
    return LoadError("E001", f"is not a regular file ({kind}); cquin reads only regular files, and never opens anything else")


def _too_big(size: int) -> LoadError:
    return LoadError("E001", f"the file is {size / 1048576:.1f} MB; a scheme file is at most {MAX_FILE_BYTES // 1048576} MB")


def _unreadable(path: str | os.PathLike[str], exc: OSError) -> LoadError:
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return LoadError("E001", "is a broken or looping symbolic link")
        return LoadError("E001", "no such file")
    if exc.errno == errno.ELOOP:
        return LoadError("E001", "is a broken or looping symbolic link")
    if isinstance(exc, IsADirectoryError):
        return LoadError("E001", "is a folder, not a file")
    if isinstance(exc, PermissionError):
        if os.path.isdir(path):  # Windows refuses to open a folder with "permission denied"
            return LoadError("E001", "is a folder, not a file")
        return LoadError("E001", "the file cannot be read (permission denied)")
    return LoadError("E001", f"the file cannot be read ({exc.strerror or exc})")


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes | None, LoadError | None]:
    """The one bounded reader of every command: a file's bytes, or why there are none (E001).

    Only a regular file is read. What the path is (through any symbolic link) is asked of
    ``os.stat`` before anything is opened, so a FIFO, a device or a socket is never
    opened at all (opening a FIFO blocks; reading ``/dev/zero`` never ends), and a file
    larger than ``MAX_FILE_BYTES`` is refused by its size, never read. The file is then
    opened non-blocking and asked again (it may have been swapped meanwhile), and at most
    ``MAX_FILE_BYTES`` + 1 bytes are read (a file growing meanwhile). So no command holds
    more than one bounded file's bytes (docs/bad-input.md, "One reader").
    """
    try:
        mode = os.stat(path)
        refused = _not_regular(mode.st_mode) or (_too_big(mode.st_size) if mode.st_size > MAX_FILE_BYTES else None)
        if refused is not None:
            return None, refused
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as exc:
        return None, _unreadable(path, exc)
    with open(fd, "rb") as handle:
        try:
            mode = os.fstat(fd)
            refused = _not_regular(mode.st_mode) or (_too_big(mode.st_size) if mode.st_size > MAX_FILE_BYTES else None)
            if refused is not None:
                return None, refused
            raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return None, _unreadable(path, exc)
    if len(raw) > MAX_FILE_BYTES:
        return None, LoadError("E001", f"the file goes on past {MAX_FILE_BYTES // 1048576} MB, the most a scheme file may be")
    return raw, None


# Non-blocking (a guard: only a regular file is ever opened) and not inherited by children.
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_yaml(path: str | os.PathLike[str]) -> Loaded:
    """Read (:func:`read_bytes`) and parse one file. Never raises for anything the file contains."""
    raw, error = read_bytes(path)
    if error is not None:
        return Loaded(str(path), error=error)
    assert raw is not None
    return parse_yaml(raw, str(path))


def parse_yaml(raw: bytes | str, name: str = "<string>") -> Loaded:
    """Parse YAML bytes (or text) to values; see the module docstring."""
    text: str | None
    error: LoadError | None
    warnings: tuple[LoadError, ...]
    if isinstance(raw, str):
        text, error, warnings = raw, None, ()
    else:
        text, error, warnings = decode(raw)
    if error is not None:
        return Loaded(name, error=error)
    assert text is not None
    if not text.strip():
        return Loaded(name, error=LoadError("E006", "the file is empty"), warnings=warnings, text=text)
    try:
        value = _Builder(text).build()
    except _Refused as exc:
        line, column = exc.mark or (1, 1)
        return Loaded(name, error=LoadError(exc.code, exc.message, line, column), warnings=warnings, text=text)
    except RecursionError:  # pragma: no cover - depth is bounded before Python recursion matters
        return Loaded(name, error=LoadError("E004", f"the YAML is nested more than {MAX_DEPTH} levels deep"), text=text)
    except Exception as exc:  # libyaml's scanner and parser errors
        return Loaded(name, error=_syntax_error(exc, text), warnings=warnings, text=text)
    return Loaded(name, value=value, warnings=warnings, text=text)


def _syntax_error(exc: Exception, text: str) -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    if mark is None:
        return LoadError("E002", message)
    lines = text.splitlines()
    if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        message += "; indent with spaces, not tabs"
    return LoadError("E002", message, mark.line + 1, mark.column + 1)


@lru_cache(maxsize=1)
def libyaml() -> Any:
    """ruamel.yaml's C extension (ruamel.yaml.clib): libyaml's event parser, ``CParser``.

    The extension imports a dozen of ruamel.yaml's modules (its events, errors, marks),
    and importing any of them runs the package's ``__init__``, which loads the whole
    round-trip library as well: its loader and dumper, ``typing``, ``glob``. That is about
    5 ms of the 100 a one-file ``cquin validate`` may take, for nothing the reader uses.
    So when ruamel.yaml is not imported yet, the package is put in ``sys.modules``
    unexecuted (as the import system itself does just before running it), and it runs
    its ``__init__`` on the first use of any of its own names (``from ruamel.yaml import
    YAML`` in ``yaml_roundtrip``), through a module ``__getattr__`` (PEP 562). Its
    modules are the same either way; ``tests/test_validate_lean.py`` checks the package is
    whole afterwards. If anything about the package is unexpected, it is imported as usual.
    """
    import sys

    if "ruamel.yaml" not in sys.modules:
        try:
            _install_unexecuted_ruamel_yaml(sys.modules)
        except Exception:  # pragma: no cover - a differently laid-out installation
            sys.modules.pop("ruamel.yaml", None)
    import _ruamel_yaml

    return _ruamel_yaml


def _install_unexecuted_ruamel_yaml(modules: dict) -> None:
    import importlib.machinery
    import importlib.util

    import ruamel

    spec = importlib.machinery.PathFinder.find_spec("ruamel.yaml", ruamel.__path__)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(name: str) -> Any:
        del package.__getattr__
        loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = complete  # type: ignore[method-assign]
    modules["ruamel.yaml"] = package
    ruamel.yaml = package  # type: ignore[attr-defined]


# Event kinds: the first item of each event tuple.
_SCALAR, _MAP_START, _SEQ_START, _END, _ALIAS, _DOC_START, _SKIP, _STREAM_END = range(8)


# libyaml's events as the reader reads them: a tuple, its kind first, and only what the
# reader uses. ``CParser`` makes each event by calling the name in its module
# (``ScalarEvent(anchor, tag, implicit, value, start_mark, end_mark, style)``...);
# ruamel.yaml's classes run three ``__init__`` methods each and keep comments, end marks
# and flow styles the reader never reads. While the reader parses, the extension's
# module names these functions instead (:func:`_events_swapped`), and its own classes
# are put back before anything else can run; what libyaml reports is the same. A tuple
# is the cheapest thing to build and to take apart: 3.4M of the 21.7M instructions a
# 14 KB scheme cost to check (issue 6, docs/performance.md). ``*_rest`` takes any
# argument a later extension might add at the end.
def _scalar_event(
    anchor: Any, tag: Any, implicit: Any, value: Any, start_mark: Any = None, end_mark: Any = None, style: Any = None, *_rest: Any
) -> tuple:
    return (_SCALAR, value, tag, style, implicit, anchor, start_mark)


def _mapping_start_event(anchor: Any, tag: Any, implicit: Any, start_mark: Any = None, *_rest: Any) -> tuple:
    return (_MAP_START, anchor, tag, start_mark)


def _sequence_start_event(anchor: Any, tag: Any, implicit: Any, start_mark: Any = None, *_rest: Any) -> tuple:
    return (_SEQ_START, anchor, tag, start_mark)


def _alias_event(anchor: Any, start_mark: Any = None, *_rest: Any) -> tuple:
    return (_ALIAS, anchor, start_mark)


def _end_event(start_mark: Any = None, *_rest: Any) -> tuple:
    return (_END, start_mark)


def _document_start_event(start_mark: Any = None, *_rest: Any) -> tuple:
    return (_DOC_START, start_mark)


def _skipped_event(start_mark: Any = None, *_rest: Any) -> tuple:
    return (_SKIP, start_mark)


def _stream_end_event(start_mark: Any = None, *_rest: Any) -> tuple:
    return (_STREAM_END, start_mark)


_EVENT_MAKERS = {  # the extension's name -> what the reader has it call instead
    "ScalarEvent": _scalar_event,
    "MappingStartEvent": _mapping_start_event,
    "SequenceStartEvent": _sequence_start_event,
    "MappingEndEvent": _end_event,
    "SequenceEndEvent": _end_event,
    "AliasEvent": _alias_event,
    "DocumentStartEvent": _document_start_event,
    "DocumentEndEvent": _skipped_event,
    "StreamStartEvent": _skipped_event,
    "StreamEndEvent": _stream_end_event,
}


# cquin parses in one thread (its pool is of processes); should a caller parse from
# several, the swap is held by one parse at a time. ``_thread`` is built in: no import cost.
_SWAP_LOCK = _thread.allocate_lock()


def _events_swapped(module: Any, makers: dict[str, Any]) -> dict[str, Any]:
    """Name ``makers`` in the extension's module; return what it named before."""
    before = {name: getattr(module, name) for name in makers}
    for name, maker in makers.items():
        setattr(module, name, maker)
    return before


_COLLECTION_TAGS = (None, "!", _CORE + "map", _CORE + "seq")


def _too_many(mark: tuple[int, int], repeated: int) -> _Refused:
    """More than MAX_NODES values; ``repeated`` of them came from expanding aliases."""
    if repeated * 2 > MAX_NODES:
        return _Refused(
            "E004",
            f"the YAML expands to more than {MAX_NODES:,} values: its aliases repeat {repeated:,} of them (an alias bomb)",
            mark,
        )
    return _Refused(
        "E004", f"the file holds more than {MAX_NODES:,} values (a scheme has about 1,000): too large to be a scheme", mark
    )


def _duplicate(container: YamlMap, key: str, key_mark: tuple[int, int]) -> _Refused:
    first = container.key_marks[key]
    return _Refused("E003", f"duplicate key {key!r} (first at line {first[0]}); YAML keeps only one of them", key_mark)


class _Builder:
    """Turns libyaml events into YamlMap / YamlSeq / scalars, iteratively.

    This loop runs once per event (about 900 for a 14 KB scheme), so it is written
    for speed: events are tuples taken apart by unpacking, their kind first; scalars
    (most events) are handled inline first, a position tuple is made only where one is
    kept, and plain words are taken as text without trying any pattern.
    """

    def __init__(self, text: str):
        self.text = text
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0

    def build(self) -> Any:
        module = libyaml()
        with _SWAP_LOCK:  # one parse at a time holds the extension's names (threads)
            own = _events_swapped(module, _EVENT_MAKERS)
            try:
                return self._build(module.CParser(self.text).get_event)
            finally:
                _events_swapped(module, own)

    def _build(self, get: Any) -> Any:
        anchors = self.anchors
        not_text_start = _NOT_TEXT_START
        nodes = 0
        repeated = 0  # of the nodes, those an alias repeats
        documents = 0
        root: Any = None
        # stack entries: [container, size, pending_key, anchor, key_mark, is_map]; top is stack[-1]
        stack: list[list[Any]] = []
        top: list[Any] | None = None
        while True:
            event = get()
            kind = event[0]
            if kind == _SCALAR:  # most events: the fast path, inlined
                _, text, tag, style, implicit, anchor, start_mark = event
                nodes += 1
                if nodes > MAX_NODES:
                    raise _too_many(_mark(start_mark), repeated)
                if top is not None and top[5] and top[2] is None:
                    # A mapping key: kept as written; a tag on it is still checked.
                    key_mark = (start_mark.line + 1, start_mark.column + 1)
                    if tag is not None:
                        self._scalar(text, tag, style, implicit, key_mark)
                    top[2] = (text, key_mark)
                    if anchor:
                        anchors[anchor] = (self._scalar(text, tag, style, implicit, key_mark), 1)
                    continue
                if tag is None and not style and implicit[0]:
                    value = text if text and text[0] not in not_text_start else resolve_plain(text)
                else:
                    value = self._scalar(text, tag, style, implicit, _mark(start_mark))
                if anchor:
                    anchors[anchor] = (value, 1)
                # _attach, inlined for the scalars (calling it costs 1.7 % of a scheme's check)
                if top is None:
                    root = value
                elif top[5]:
                    container = top[0]
                    key, key_mark = top[2]
                    if key in container:
                        raise _duplicate(container, key, key_mark)
                    container[key] = value
                    container.key_marks[key] = key_mark
                    top[2] = None
                    top[1] += 1
                else:
                    container = top[0]
                    container.append(value)
                    container.item_marks.append((start_mark.line + 1, start_mark.column + 1))
                    top[1] += 1
                continue
            if kind == _SKIP:
                continue
            if kind == _STREAM_END:
                break
            mark = _mark(event[-1])
            if kind == _END:
                container, size, _, anchor, _, _ = stack.pop()
                top = stack[-1] if stack else None
                if anchor:
                    anchors[anchor] = (container, size)
                if top is not None:
                    self._attach(top, container, size, container.mark)
                else:
                    root = container
                continue
            if kind == _MAP_START or kind == _SEQ_START:
                _, anchor, tag, _ = event
                if tag not in _COLLECTION_TAGS:
                    raise _Refused("E004", f"YAML tags are not allowed in a scheme ({tag})", mark)
                if len(stack) >= MAX_DEPTH:
                    raise _Refused("E004", f"the YAML is nested more than {MAX_DEPTH} levels deep", mark)
                if top is not None and top[5] and top[2] is None:
                    raise _Refused("E004", "a mapping key must be plain text, not a list or mapping", mark)
                nodes += 1
                if nodes > MAX_NODES:
                    raise _too_many(mark, repeated)
                is_map = kind == _MAP_START
                container = YamlMap(mark) if is_map else YamlSeq(mark)
                top = [container, 1, None, anchor, mark, is_map]
                stack.append(top)
                continue
            if kind == _ALIAS:
                anchor = event[1]
                if anchor not in anchors:
                    raise _Refused("E004", f"the alias *{anchor} refers to no anchor", mark)
                if top is not None and top[5] and top[2] is None:
                    raise _Refused("E004", "an alias cannot be a mapping key", mark)
                value, size = anchors[anchor]
                nodes += size
                repeated += size
                if nodes > MAX_NODES:
                    raise _too_many(mark, repeated)
                if top is None:
                    root = value
                else:
                    self._attach(top, value, size, mark)
                continue
            if kind == _DOC_START:
                documents += 1
                if documents > 1:
                    raise _Refused("E004", "the file holds more than one YAML document; a scheme is one document", mark)
                continue
            raise _Refused("E004", f"unexpected YAML event (kind {kind})", mark)  # pragma: no cover
        self.nodes = nodes
        if documents == 0:
            raise _Refused("E006", "the file holds no YAML document")
        return root

    @staticmethod
    def _scalar(text: str, tag: str | None, style: Any, implicit: Any, mark: tuple[int, int]) -> Any:
        if tag in (None, "!"):
            if implicit[0] and style in (None, ""):
                return resolve_plain(text)
            return text
        if tag in _SCALAR_TAGS:
            try:
                return _resolve_tagged(tag, text)
            except _Refused as exc:
                raise _Refused(exc.code, exc.message, mark) from None
        raise _Refused("E004", f"YAML tags are not allowed in a scheme ({tag})", mark)

    @staticmethod
    def _attach(top: list[Any], value: Any, size: int, mark: tuple[int, int]) -> None:
        container = top[0]
        top[1] += size
        if top[5]:
            key, key_mark = top[2]
            if key in container:
                raise _duplicate(container, key, key_mark)
            container[key] = value
            container.key_marks[key] = key_mark
            top[2] = None
        else:
            container.append(value)
            container.item_marks.append(mark)


# ---------------------------------------------------------------------------
# Layout events: how a file is written, for `cquin fmt`'s check of the canonical layout
# (cquin_cli/format/canonical.py). The same libyaml parser and the same swap of the
# extension's names as the reader above; these tuples keep what the reader drops (end
# marks, flow style, document markers), and nothing here gives a value a meaning.
(
    LAYOUT_SCALAR,
    LAYOUT_MAP,
    LAYOUT_SEQ,
    LAYOUT_END,
    LAYOUT_ALIAS,
    LAYOUT_DOCUMENT,
    LAYOUT_DOCUMENT_END,
    LAYOUT_STREAM,
    LAYOUT_STREAM_END,
) = range(9)


def _layout_scalar(
    anchor: Any, tag: Any, implicit: Any, value: Any, start_mark: Any = None, end_mark: Any = None, style: Any = None, *_rest: Any
) -> tuple:
    return (LAYOUT_SCALAR, value, style, tag, anchor, start_mark, end_mark)


def _layout_map(
    anchor: Any, tag: Any, implicit: Any, start_mark: Any = None, end_mark: Any = None, flow_style: Any = None, *_rest: Any
) -> tuple:
    return (LAYOUT_MAP, flow_style, tag, anchor, start_mark)


def _layout_seq(
    anchor: Any, tag: Any, implicit: Any, start_mark: Any = None, end_mark: Any = None, flow_style: Any = None, *_rest: Any
) -> tuple:
    return (LAYOUT_SEQ, flow_style, tag, anchor, start_mark)


def _layout_end(start_mark: Any = None, end_mark: Any = None, *_rest: Any) -> tuple:
    return (LAYOUT_END, end_mark)


def _layout_alias(anchor: Any, start_mark: Any = None, *_rest: Any) -> tuple:
    return (LAYOUT_ALIAS, anchor)


def _layout_document(
    start_mark: Any = None, end_mark: Any = None, explicit: Any = None, version: Any = None, tags: Any = None, *_rest: Any
) -> tuple:
    return (LAYOUT_DOCUMENT, explicit, version, tags)


def _layout_document_end(start_mark: Any = None, end_mark: Any = None, explicit: Any = None, *_rest: Any) -> tuple:
    return (LAYOUT_DOCUMENT_END, explicit)


def _layout_stream(*_rest: Any) -> tuple:
    return (LAYOUT_STREAM,)


def _layout_stream_end(*_rest: Any) -> tuple:
    return (LAYOUT_STREAM_END,)


_LAYOUT_MAKERS = {
    "ScalarEvent": _layout_scalar,
    "MappingStartEvent": _layout_map,
    "SequenceStartEvent": _layout_seq,
    "MappingEndEvent": _layout_end,
    "SequenceEndEvent": _layout_end,
    "AliasEvent": _layout_alias,
    "DocumentStartEvent": _layout_document,
    "DocumentEndEvent": _layout_document_end,
    "StreamStartEvent": _layout_stream,
    "StreamEndEvent": _layout_stream_end,
}


def layout_events(text: str, limit: int = MAX_NODES) -> list[tuple] | None:
    """libyaml's events for ``text`` as tuples, their kind (``LAYOUT_*``) first; ``None``
    when libyaml refuses the text or it holds more than ``limit`` events.

    A scalar is ``(kind, value, style, tag, anchor, start_mark, end_mark)``, a mapping or
    sequence start ``(kind, flow_style, tag, anchor, start_mark)``, an end ``(kind,
    end_mark)``, a document start ``(kind, explicit, version, tags)``; marks are libyaml's
    own, 0-based (``.line``, ``.column``).
    """
    module = libyaml()
    events: list[tuple] = []
    with _SWAP_LOCK:
        own = _events_swapped(module, _LAYOUT_MAKERS)
        try:
            get = module.CParser(text).get_event
            append = events.append
            while True:
                event = get()
                append(event)
                if event[0] == LAYOUT_STREAM_END:
                    return events
                if len(events) > limit:
                    return None
        except Exception:  # libyaml's scanner and parser errors: the reader reports them
            return None
        finally:
            _events_swapped(module, own)
