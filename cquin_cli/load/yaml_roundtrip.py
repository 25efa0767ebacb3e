"""Writing YAML back: ruamel.yaml round trip, and atomic replacement of a file.

Reading for meaning is :mod:`cquin_cli.load.yaml_reader`'s job alone. This module is for
the commands that change a file on request (``cquin fmt``, ``cquin reconcile --record``):
ruamel.yaml's round-trip mode keeps comments, key order and the spelling of scalars,
and :func:`atomic_write` replaces the file in one step, so a crash never leaves half a
scheme. After writing, callers re-read the new text with ``yaml_reader`` and check the
values are what they meant to write (one meaning on every path, DOMAIN.md §8).
"""
from __future__ import annotations

import io
import os
import tempfile
from typing import Any


def _resolver_class():
    """ruamel.yaml's YAML 1.2 resolver without its timestamp rule.

    cquin reads an unquoted date as the text it is (YAML 1.2 core schema,
    :mod:`cquin_cli.load.yaml_reader`); ruamel.yaml would make it a ``date``, and refuse a
    whole file holding a date-shaped text that is no date (``notes: 2010-02-30``), so
    ``cquin fmt`` could not lay out a valid scheme. Without the rule both read the same.
    """
    from ruamel.yaml.resolver import VersionedResolver

    class Yaml12Resolver(VersionedResolver):
        def add_version_implicit_resolver(self, version, tag, regexp, first):
            if tag != "tag:yaml.org,2002:timestamp":
                super().add_version_implicit_resolver(version, tag, regexp, first)

    return Yaml12Resolver


def roundtrip_yaml():
    """A ruamel.yaml round-trip instance in cquin's house layout (2-space maps, `  - ` lists)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Resolver = _resolver_class()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a negotiated sentence
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def roundtrip_load(text: str) -> Any:
    return roundtrip_yaml().load(text)


def roundtrip_dump(document: Any) -> str:
    out = io.StringIO()
    roundtrip_yaml().dump(document, out)
    return out.getvalue()


def atomic_write(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (a temporary file in the same folder, then rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = None
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        pass
    fd, temporary = tempfile.mkstemp(prefix=".cquin-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    """As :func:`atomic_write`, for binary output (workbooks, databases)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".cquin-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
