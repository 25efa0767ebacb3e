"""Where the shipped JSON Schemas are: ``schemas/`` at the top of the project.

A wheel installs that folder as the package ``cquin_cli.schemas`` (see
``pyproject.toml``); an editable install or a source checkout reads it in place.
"""
from __future__ import annotations

import os

# os.path rather than pathlib, which is not otherwise imported by `cquin validate`.
SOURCE_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "schemas")


def schema_text(name: str) -> str:
    """The text of ``schemas/<name>.schema.json``."""
    filename = f"{name}.schema.json"
    in_source = os.path.join(SOURCE_FOLDER, filename)
    if os.path.isfile(in_source):
        with open(in_source, encoding="utf-8") as handle:
            return handle.read()
    from importlib import resources

    return resources.files("cquin_cli.schemas").joinpath(filename).read_text(encoding="utf-8")
