"""Rule examples that run: each rule's PASSING and FAILING text is a patch of the worked example.

The worked example (``sample_schemes/worked-example/``: the scheme of DOMAIN.md §4 and
its achievement data) is a valid scheme. A rule's example says what to change in it,
and ``tests/test_check_examples.py`` applies the change and runs the result through the
rule, so the documentation cannot drift from what the rules do. The format, as
docs/rules.md explains it to a reader:

* An example is YAML. Each top-level key is a *path* into the worked example: keys
  joined by dots, list items by their position counted from 0 (``goals[0]`` is goal 1,
  ``goals[0].indicators[0].weighting`` is its first indicator's weighting). A plain key
  (``rate``) is a top-level key of the file.
* The value is set at that path. A mapping merged onto a mapping changes only the keys
  it names, recursively (JSON Merge Patch, RFC 7396); anything else, a list included,
  replaces the value whole. ``~`` (null) removes the key, or the list item. A position
  one past the end of a list adds an item. A mapping with ``copy_of: PATH`` starts from
  a copy of what is at PATH (a new indicator made from S1, say), then changes the keys
  it names. A value that is not a mapping of paths (a
  list, say) replaces the whole file.
* Entries apply in the order written; the order of keys in the file is kept, a new key
  goes last. A ``# cquin:`` comment on a line of the example is carried to the line it
  sets, so suppressions can be shown; other comments are for the reader.
* An example may describe several files: documents separated by a line ``---``, each
  starting with a line ``# file: NAME``. A file named ``*.achievement.yaml`` is a patch
  of the worked example's achievement data, any other a patch of its scheme; a name that
  is not the worked example's is a new file made from it (an empty patch is a copy). The
  first document may leave out its ``# file:`` line: it is then the scheme, or for
  achievement rules (E3xx) the achievement data. The worked example's two files are
  always there beside the example's.

* A lint rule with options (docs/lint.md) runs with their defaults.

Rules about the file itself (E0xx, W001, I001: what the YAML reader refuses) and about
the configuration (E50x: a ``pyproject.toml``, and any file it names as further
``# file:`` documents) show whole files instead: a patch could not
hold a tab or a duplicate key. :data:`DESCRIBED_ONLY` lists the few examples that
describe a situation rather than hold a file, and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cquin_cli.load.yaml_reader import parse_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

SCHEME_FILE = "northfield-acute-2009-10.yaml"
ACHIEVEMENT_FILE = "northfield-acute-2009-10.achievement.yaml"
ACHIEVEMENT_SUFFIX = ".achievement.yaml"

# Examples that describe a situation instead of holding a file: the rule is tested elsewhere.
DESCRIBED_ONLY = {
    "E001": "it is about a path that cannot be read, not about a file's text",
    "E005": "it is about bytes that are not UTF-8 text, which an example written as text cannot hold",
    "E008": "it guards against a bug in the formatter; no file can provoke it",
    "E009": "it reports a bug in a rule; no file can provoke it",
}

_PATH_PART = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")
_FILE_LINE = re.compile(r"#\s*file:\s*(\S+)\s*\Z")
_SUPPRESSION = "# cquin:"
COPY_OF = "copy_of"  # a mapping starting from a copy of another place: no key of the format


class ExampleError(ValueError):
    """An example that cannot be applied: a bad path, YAML the reader refuses, a bad layout."""


@dataclass(frozen=True, slots=True)
class Part:
    """One file of an example: its name (``None``: the rule's own file) and its patch."""

    file: str | None
    patch: str


def split_parts(example: str) -> list[Part]:
    """The files an example describes: documents separated by ``---`` lines, each with
    an optional ``# file: NAME`` first line (only the first may leave it out)."""
    documents: list[list[str]] = [[]]
    for line in example.split("\n"):
        if line.rstrip() == "---":
            documents.append([])
        else:
            documents[-1].append(line)
    parts = []
    for number, lines in enumerate(documents):
        first = next((line for line in lines if line.strip()), "")
        named = _FILE_LINE.match(first.strip())
        if named is None and number > 0:
            raise ExampleError(f"document {number + 1} of the example does not start with '# file: NAME'")
        parts.append(Part(named.group(1) if named else None, "\n".join(lines).strip("\n") + "\n"))
    return parts


def parse_path(path: str) -> tuple[str | int, ...]:
    """``goals[0].indicators[1].weighting`` -> ``("goals", 0, "indicators", 1, "weighting")``."""
    out: list[str | int] = []
    for segment in path.split("."):
        match = _PATH_PART.fullmatch(segment)
        if match is None:
            raise ExampleError(f"'{path}' is not a path: keys joined by dots, list positions as [0]")
        out.append(match.group(1))
        out.extend(int(i) for i in _INDEX.findall(match.group(2)))
    return tuple(out)


def _checked_yaml(text: str, name: str) -> Any:
    """The patch as the project's reader reads it: refused exactly where a scheme would be."""
    loaded = parse_yaml(text, name)
    if loaded.error is not None and loaded.error.code == "E006":
        return None  # only comments: no change
    if loaded.error is not None:
        e = loaded.error
        raise ExampleError(f"{name}:{e.line}:{e.column}: {e.code} {e.message}")
    return loaded.value


def _suppression(patch: Any, key: Any) -> str | None:
    """The ``# cquin:`` comment written on the line of ``key`` in the patch, if any."""
    items = getattr(getattr(patch, "ca", None), "items", {})
    tokens = items.get(key) or []
    for token in tokens:
        if token is None or isinstance(token, list):
            continue
        first = token.value.split("\n")[0].strip()
        if first.startswith(_SUPPRESSION):
            return first
    return None


def _carry(container: Any, key: Any, comment: str | None) -> None:
    """Put a ``# cquin:`` comment at the end of ``key``'s line (ruamel.yaml's round-trip map)."""
    if comment is not None:
        container.yaml_add_eol_comment(comment, key)


def _copied(document: Any, value: Any, where: str) -> Any:
    """A mapping naming ``copy_of: PATH`` starts from a copy of what is at PATH, then the
    keys it names change that copy; any other value is itself."""
    if not (isinstance(value, dict) and COPY_OF in value):
        return value
    import copy

    source = copy.deepcopy(_at(document, parse_path(str(value.pop(COPY_OF))), where))
    return _merged(source, value)


def _set(container: Any, key: str | int, value: Any, comment: str | None, where: str) -> None:
    if isinstance(container, list):
        if not isinstance(key, int) or key > len(container):
            raise ExampleError(f"{where}: the list has {len(container)} items, so [{key}] is not in it")
        if value is None:
            if key == len(container):
                raise ExampleError(f"{where}: there is no item [{key}] to remove")
            del container[key]
        elif key == len(container):
            container.append(value)
        else:
            container[key] = _merged(container[key], value)
        return
    if not isinstance(container, dict) or isinstance(key, int):
        raise ExampleError(f"{where}: not a mapping here")
    if value is None:
        if key not in container:
            raise ExampleError(f"{where}: there is no key '{key}' to remove")
        del container[key]
        return
    container[key] = _merged(container.get(key), value)
    _carry(container, key, comment)


def _merged(target: Any, patch: Any) -> Any:
    """RFC 7396: a mapping onto a mapping merges key by key (null removes); else the patch."""
    if not (isinstance(target, dict) and isinstance(patch, dict)):
        return patch
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = _merged(target.get(key), value)
            _carry(target, key, _suppression(patch, key))
    return target


def _at(document: Any, path: tuple[str | int, ...], where: str) -> Any:
    node = document
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise ExampleError(f"{where}: the worked example has nothing at {_shown(path)}") from None
    return node


def _shown(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def apply_patch(base: str, patch_text: str, name: str = "example") -> str:
    """The text of ``base`` (a YAML file) with the patch applied, in the house layout.

    The result is read back with the project's reader, and every value the patch sets is
    checked to be there as the patch wrote it, so an example means what it says.
    """
    from cquin_cli.load.yaml_roundtrip import roundtrip_dump, roundtrip_load  # ruamel.yaml: only to apply

    meant = _checked_yaml(patch_text, name)
    if meant is None:
        return base
    patch = roundtrip_load(patch_text)
    if not isinstance(meant, dict):
        return roundtrip_dump(patch)
    document = roundtrip_load(base)
    for key, value in patch.items():
        path = parse_path(str(key))
        where = f"{name}: {key}"
        parent = _at(document, path[:-1], where)
        _set(parent, path[-1], _copied(document, value, where), _suppression(patch, key), where)
    text = roundtrip_dump(document)
    result = _checked_yaml(text, name)
    for key, value in meant.items():
        _same(result, parse_path(str(key)), value, f"{name}: {key}")
    return text


def _same(document: Any, path: tuple[str | int, ...], meant: Any, where: str) -> None:
    """The value at ``path`` is what the patch meant (a merged mapping: each key it names)."""
    if meant is None:
        return  # removed: a list item's place is taken by the next one, so nothing to see
    found = _at(document, path, where)
    if isinstance(meant, dict) and isinstance(found, dict):
        for key, value in meant.items():
            if key == COPY_OF:
                continue
            if value is None:
                if key in found:
                    raise ExampleError(f"{where}: '{key}' was not removed")
            else:
                _same(found, (key,), value, where)
    elif found != meant:
        raise ExampleError(f"{where}: the result reads {found!r}, not {meant!r}")


def example_files(example: str, scheme: str, achievement: str, *, default: str = SCHEME_FILE) -> dict[str, str]:
    """The files of an example by name: the worked example's two files (``scheme`` and
    ``achievement`` are their texts), with each part of the example applied to the file it
    names (``default`` for a first part without ``# file:``), a new name being made from
    the worked example's file of its kind."""
    files = {SCHEME_FILE: scheme, ACHIEVEMENT_FILE: achievement}
    for part in split_parts(example):
        name = part.file or default
        base = files.get(name) or (achievement if name.endswith(ACHIEVEMENT_SUFFIX) else scheme)
        files[name] = apply_patch(base, part.patch, name)
    return files


def whole_files(example: str, default: str) -> dict[str, str]:
    """The files of an example written whole (a configuration, a local rulebook): each
    document as it is, named by its ``# file:`` line (the first one ``default`` without)."""
    return {part.file or default: part.patch for part in split_parts(example)}


def example_kind(rule: Any) -> str:
    """How a rule's examples are written: ``"file"`` (a whole scheme file, as the reader
    sees it), ``"config"`` (a whole ``pyproject.toml``, and any file it names, beside the
    worked example) or ``"patch"`` (of the worked example)."""
    if rule.scope == "file":
        return "file"
    if rule.scope == "config" and rule.code.startswith("E50"):
        return "config"
    return "patch"


KIND_WORDS = {
    "file": "the whole file",
    "config": "a pyproject.toml, and any file it names, beside the worked example",
    "patch": "the worked example, changed as below",
}
