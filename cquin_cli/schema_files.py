"""Where the shipped JSON Schemas are: ``schemas/`` at the top of the project.

A wheel installs that folder as the package ``cquin_cli.schemas`` (see
``pyproject.toml``); an editable install or a source checkout reads it in place.
"""

from __future__ import annotations

import os

# os.path and open(), not importlib.resources (about 9 ms to import) on the 1-file hot path.
SOURCE_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "schemas")
INSTALLED_FOLDER = os.path.join(os.path.dirname(os.path.realpath(__file__)), "schemas")


def schema_text(name: str) -> str:
    """The text of ``schemas/<name>.schema.json``."""
    return _text(f"{name}.schema.json")


def messages_text(name: str) -> str:
    """The text of ``schemas/<name>.messages.json``: cquin's finding code and message for
    subschemas of that schema, kept out of it so that it holds only standard keywords."""
    return _text(f"{name}.messages.json")


def _text(filename: str) -> str:
    # A checkout has schemas/ beside the package; a wheel installs it as cquin_cli/schemas/.
    for folder in (SOURCE_FOLDER, INSTALLED_FOLDER):
        candidate = os.path.join(folder, filename)
        if os.path.isfile(candidate):
            with open(candidate, encoding="utf-8") as handle:
                return handle.read()
    from importlib import resources  # a zipped package

    return resources.files("cquin_cli.schemas").joinpath(filename).read_text(encoding="utf-8")
