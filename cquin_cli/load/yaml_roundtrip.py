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
from typing import Any

# Re-exported: the commands that write YAML find the writer beside the round trip.
from cquin_cli.atomic import atomic_write, atomic_write_bytes

__all__ = ["roundtrip_yaml", "roundtrip_load", "roundtrip_dump", "atomic_write", "atomic_write_bytes"]


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
