"""The shipped JSON Schemas: valid 2020-12, a description on every property, local refs only."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


def properties_of(node, where=""):
    """Every (path, property schema) under any ``properties`` of the schema, recursively."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{where}/properties/{name}", sub
        for key, value in node.items():
            yield from properties_of(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties_of(value, f"{where}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_has_a_description(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    described = {"scheme.schema.json": 0, "achievement.schema.json": 0}
    missing = []
    for where, sub in properties_of(schema):
        # Properties that only constrain a branch (if/then, contains) are not definitions,
        # nor is `true` naming a property a branch requires (ajv's strict mode asks for it).
        if "/if/" in where or "/contains/" in where or "/then/" in where or sub is True:
            continue
        if not (isinstance(sub, dict) and str(sub.get("description", "")).strip()):
            missing.append(where)
        described[path.name] = described.get(path.name, 0) + 1
    assert not missing, f"properties without a description: {missing}"
    assert described[path.name] > 20


def test_the_four_domain_rule_lives_in_the_scheme_schema():
    text = (ROOT / "schemas" / "scheme.schema.json").read_text(encoding="utf-8")
    for domain in ("safety", "effectiveness", "patient_experience", "innovation"):
        assert f'"const": "{domain}"' in text
    # its finding code and wording are cquin's own, kept beside the schema (standard keywords only)
    messages = json.loads((ROOT / "schemas" / "scheme.messages.json").read_text(encoding="utf-8"))["messages"]
    assert [m["code"] for m in messages.values()].count("E201") == 4
    assert "x-code" not in text and "x-message" not in text


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_refs_are_local(path):
    text = path.read_text(encoding="utf-8")
    refs = [line for line in text.splitlines() if '"$ref"' in line]
    assert refs and all('"#/$defs/' in line for line in refs)
