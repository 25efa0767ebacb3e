"""``cquin import``'s library: documents in, a scheme's text and its report out.

:func:`import_documents` reads every document (:mod:`~cquin_cli.importer.documents`),
finds its labelled tables (:mod:`~cquin_cli.importer.reader`), builds the scheme
(:mod:`~cquin_cli.importer.build`), writes it as ``cquin fmt`` lays it out
(:mod:`~cquin_cli.importer.text`) and checks it exactly as ``cquin validate`` does.
Nothing is written to disk here; the command does that.
"""

from __future__ import annotations

from dataclasses import dataclass

from cquin_cli.diagnostics import Diagnostic
from cquin_cli.importer.build import Built, Given, Note, build
from cquin_cli.importer.documents import NotADocument, read_document
from cquin_cli.importer.reader import Found, read_grids
from cquin_cli.importer.text import scheme_text


class NothingToImport(Exception):
    """The documents are readable but hold no goal or indicator table cquin knows: exit 2."""


@dataclass(frozen=True, slots=True)
class Imported:
    text: str
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]  # `cquin validate` of the text, E111 stubs included
    goals: int
    indicators: int

    @property
    def todos(self) -> list[Note]:
        return [n for n in self.notes if n.kind == "todo"]

    @property
    def attention(self) -> bool:
        """Anything to fill in, to look at, or that does not validate: exit 1."""
        return any(n.attention for n in self.notes) or any(d.severity.value == "error" for d in self.diagnostics)


def import_documents(paths: list[str], given: Given, output_name: str = "imported.yaml") -> Imported:
    """Import ``paths`` into one scheme; raises NotADocument or NothingToImport (exit 2)."""
    found = Found()
    for path in paths:
        read_grids(read_document(path), found)
    if not found.anything:
        raise NothingToImport(
            f"{', '.join(paths)}: no CQUIN goal or indicator found (cquin import looks for labels such as "
            '"Goal number", "Indicator name", "Numerator"; the import documentation lists them all)'
        )
    built: Built = build(found, given, paths)
    header = [
        f"Imported by `cquin import` from {', '.join(paths)}.",
        "Every value starting with TODO could not be read from the document: `cquin validate`",
        "lists each one, at its line, until it is filled in.",
    ]
    text = scheme_text(built.values, header, output_name)
    from cquin_cli.check.pipeline import check_text

    result = check_text(text, output_name)
    notes = list(built.notes)
    from cquin_cli.load.scheme import Scheme

    if isinstance(result.scheme, Scheme) and not any(d.severity.value == "error" for d in result.diagnostics):
        from cquin_cli.compute.pricing import price
        from cquin_cli.importer.build import stated_value_notes

        notes += stated_value_notes(built, price(result.scheme))
    return Imported(text, tuple(notes), tuple(result.diagnostics), built.goals, built.indicators)


__all__ = ["Given", "Imported", "NotADocument", "NothingToImport", "import_documents"]
