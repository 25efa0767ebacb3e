"""Where the shipped JSON Schemas are: ``schemas/`` at the top of the project.

A wheel installs that folder as the package ``cquin_cli.schemas`` (see
``pyproject.toml``); an editable install or a source checkout reads it in place.
"""
from __future__ import annotations

from pathlib import Path

SOURCE_FOLDER = Path(__file__).resolve().parent.parent / "schemas"


def schema_text(name: str) -> str:
    """The text of ``schemas/<name>.schema.json``."""
    filename = f"{name}.schema.json"
    in_source = SOURCE_FOLDER / filename
    if in_source.is_file():
        return in_source.read_text(encoding="utf-8")
    from importlib import resources

    return resources.files("cquin_cli.schemas").joinpath(filename).read_text(encoding="utf-8")
