"""The scheme format: JSON Schema findings made readable.

One validator per schema per run (never ``jsonschema.validate()`` in a loop: it checks
the schema itself on every call). Errors are turned into one finding per real
problem: a missing key, an unknown key (with the nearest known one suggested), a wrong
type, a value outside its list, a value in the wrong form. ``anyOf``/``oneOf`` dumps are
reduced to the best-matching branch; a subschema may carry its own code and wording
(``x-code``, ``x-message``), which is how the four-domain rule (E201) speaks in the
framework's words although it lives in the schema itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Iterator
    from typing import Any

SCHEMES = "scheme"
ACHIEVEMENT = "achievement"

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping of keys",
    "array": "a list",
    "null": "empty",
}


@dataclass(frozen=True, slots=True)
class SchemaFinding:
    code: str
    message: str
    path: tuple[Any, ...]


@cache
def schema_document(name: str) -> dict:
    """The shipped JSON Schema ``schemas/<name>.schema.json``, with cquin's own finding code
    and message (``x-code``, ``x-message``) on the subschemas ``schemas/<name>.messages.json``
    names by JSON Pointer (the published schema holds only standard keywords)."""
    from cquin_cli.schema_files import messages_text, schema_text

    schema = json.loads(schema_text(name))
    for pointer, said in json.loads(messages_text(name))["messages"].items():
        node = schema
        for step in pointer.split("/")[1:]:
            step = step.replace("~1", "/").replace("~0", "~")
            node = node[int(step)] if isinstance(node, list) else node[step]
        if "code" in said:
            node["x-code"] = said["code"]
        node["x-message"] = said["message"]
    return schema


@cache
def validator(name: str):
    """The one jsonschema validator of this run for ``name`` (built lazily: jsonschema is heavy)."""
    import jsonschema

    schema = schema_document(name)
    cls = jsonschema.validators.validator_for(schema)
    # Decimal is how cquin holds every YAML number with a fraction: it is a number.
    checker = cls.TYPE_CHECKER.redefine(
        "number",
        lambda _c, v: isinstance(v, (int, float, Decimal)) and not isinstance(v, bool),
    )
    # A registry that refuses every retrieval: jsonschema's default would fetch a remote
    # `$ref` over the network. The shipped schemas refer only to their own `#/$defs`.
    from referencing import Registry

    return jsonschema.validators.extend(cls, type_checker=checker)(schema, registry=Registry(retrieve=refuse_remote))  # type: ignore[call-arg]  # attrs field aliases


def refuse_remote(uri: str):
    """Never fetch a schema from anywhere (tests/test_never_trusted.py)."""
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs field aliases


@cache
def _compiled_is_current(name: str) -> bool:
    """The compiled check was generated from the schema as it is now (else it is not used)."""
    from cquin_cli.check import compiled_schemas
    from cquin_cli.check.compile_schemas import source_digest
    from cquin_cli.schema_files import schema_text

    return compiled_schemas.SOURCE_DIGESTS.get(name) == source_digest(schema_text(name))


def passes_compiled(values: Any, name: str = SCHEMES) -> bool:
    """The quick yes: the schema compiled ahead of time accepts ``values``.

    ``cquin_cli/check/compiled_schemas.py`` is generated from the same JSON by
    ``python -m cquin_cli.check.compile_schemas`` (fastjsonschema): about 0.4 ms for a
    14 KB scheme, against 8 ms for jsonschema plus 175 ms to import it and build its
    validator. It is only ever trusted to say yes: a no sends the document to
    jsonschema, which has the last word (and the words) on every failure.
    """
    if not _compiled_is_current(name):
        return False
    from cquin_cli.check import compiled_schemas

    try:
        getattr(compiled_schemas, f"valid_{name}")(values)
    except compiled_schemas.SchemaInvalid:
        return False
    except Exception:  # e.g. RecursionError, or a value no schema type covers: let jsonschema decide
        return False
    return True


def check_schema(values: Any, name: str = SCHEMES) -> list[SchemaFinding]:
    """Every readable finding of ``values`` against the named schema, in document order."""
    if passes_compiled(values, name):
        return []
    findings: dict[tuple, SchemaFinding] = {}
    for error in validator(name).iter_errors(values):
        for finding in _explain(error, values):
            findings.setdefault((finding.path, finding.code, finding.message), finding)
    return list(findings.values())


def _close_matches(word: str, known: list[str]) -> list[str]:
    """The known word closest to a misspelt one ("did you mean"); difflib only when needed."""
    import difflib

    return difflib.get_close_matches(word, known, n=1)


def _name(root: Any, path: tuple[Any, ...]) -> str:
    """E.g. "`weighting` of indicator S1": the key a negotiator edits, and whose it is."""
    from cquin_cli.load.locator import describe

    if path and isinstance(path[-1], str):
        owner = describe(root, path[:-1])
        return f"`{path[-1]}`" if owner == "the scheme" else f"`{path[-1]}` of {owner}"
    return describe(root, path)


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"the number {value}"


def _explain(error, root: Any) -> Iterator[SchemaFinding]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    if keyword == "contains" and isinstance(error.validator_value, dict) and "x-message" in error.validator_value:
        sub = error.validator_value
        yield SchemaFinding(sub.get("x-code", "E109"), sub["x-message"], path)
        return
    if keyword in ("anyOf", "oneOf") and "x-message" not in schema and error.context:
        import jsonschema

        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            yield from _explain(best, root)
            return
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in instance:
                yield SchemaFinding("E101", f"{_name(root, path)} has no `{key}`, which is required", path)
        return
    if keyword == "additionalProperties":
        known = list((schema.get("properties") or {}).keys())
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in instance:
            if key not in known:
                hint = _close_matches(str(key), known)
                suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
                yield SchemaFinding("E102", f"unknown key `{key}`{suggestion}", path + (key,))
        return
    if "x-message" in schema and keyword in ("type", "pattern", "minimum", "maximum", "oneOf", "anyOf", "format"):
        yield SchemaFinding(
            schema.get("x-code", "E105"), f"{_name(root, path)} is {_what(error.instance)}: {schema['x-message']}", path
        )
        return
    if keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = " or ".join(_TYPE_WORDS.get(t) or str(t) for t in expected)
        yield SchemaFinding("E103", f"{_name(root, path)} should be {words}, not {_what(error.instance)}", path)
        return
    if keyword in ("enum", "const"):
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        hint = _close_matches(str(error.instance), [str(a) for a in allowed])
        suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
        choices = ", ".join(str(a) for a in allowed)
        yield SchemaFinding(
            "E104", f"{_name(root, path)} is {_what(error.instance)}; it must be one of: {choices}{suggestion}", path
        )
        return
    if keyword == "pattern":
        yield SchemaFinding("E104", f"{_name(root, path)} is {_what(error.instance)}, which is not in the expected form", path)
        return
    if keyword in ("minItems", "maxItems", "uniqueItems", "minLength"):
        wording = {
            "minItems": f"needs at least {error.validator_value} item(s)",
            "maxItems": f"holds at most {error.validator_value} item(s)",
            "uniqueItems": "lists the same value more than once",
            "minLength": "must not be empty",
        }[keyword]
        yield SchemaFinding("E109", f"{_name(root, path)} {wording}", path)
        return
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield SchemaFinding("E108", f"{_name(root, path)} is {_what(error.instance)}: {error.message}", path)
        return
    yield SchemaFinding("E109", f"{_name(root, path)}: {error.message}", path)
