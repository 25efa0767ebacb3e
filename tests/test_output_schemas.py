"""Every --format json output has a JSON Schema in schemas/output/, and real output validates against it."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, WORKED_EXAMPLE

from cquin_cli.diagnostics import json_pointer

OUTPUT = ROOT / "schemas" / "output"
KINGS = next(SAMPLES.glob("*/kings-college-hospital-2009-10.yaml"))


def _schema(name: str) -> dict:
    schema = json.loads((OUTPUT / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _valid(name: str, text: str) -> dict:
    document = json.loads(text)
    validator = jsonschema.Draft202012Validator(_schema(name))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, errors[:5]
    return document


@pytest.fixture
def changed(tmp_path):
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    new = tmp_path / "new.yaml"
    new.write_text(text.replace("share: 10%", "share: 15%").replace("weighting: 30%", "weighting: 35%", 1), encoding="utf-8")
    return new


def test_every_schema_is_valid_2020_12_with_a_title_and_description():
    names = sorted(p.name for p in OUTPUT.glob("*.schema.json"))
    assert names == [
        f"{n}.schema.json" for n in ("diagnostics", "diff", "export", "price", "quality-accounts", "reconcile", "report")
    ]
    for name in names:
        schema = _schema(name.removesuffix(".schema.json"))
        assert schema["title"].startswith("cquin ") and schema["description"]


def test_validate_and_lint_json(cquin, changed):
    document = _valid("diagnostics", cquin("validate", "--format", "json", str(changed), str(SAMPLES)).stdout)
    assert {d["code"] for d in document["diagnostics"]} >= {"E206", "E202"}
    _valid("diagnostics", cquin("lint", "--format", "json", str(SAMPLES)).stdout)
    linted = _valid("diagnostics", cquin("lint", "--format", "json", str(WORKED_EXAMPLE)).stdout)
    assert linted["suppressions"] and linted["suppressions"][0]["reason"]


def test_money_outputs(cquin):
    _valid("price", cquin("price", "--format", "json", str(KINGS)).stdout)
    _valid("price", cquin("price", "--format", "json", "--outturn", "204000000.00", str(WORKED_EXAMPLE)).stdout)
    _valid("price", cquin("price", "--format", "json", str(SAMPLES)).stdout)
    _valid("reconcile", cquin("reconcile", str(KINGS), "--month", "6", "--format", "json").stdout)
    _valid("reconcile", cquin("reconcile", str(WORKED_EXAMPLE), "--month", "12", "--format", "json").stdout)


def test_portfolio_outputs(cquin):
    _valid("report", cquin("report", "--format", "json", "--provider", "RNF", str(SAMPLES)).stdout)
    _valid("report", cquin("report", "--format", "json", str(SAMPLES)).stdout)
    _valid("quality-accounts", cquin("report", "--achievement", "--month", "9", "--format", "json", str(SAMPLES)).stdout)
    _valid("export", cquin("export", "--format", "json", "--year", "2009/10", str(SAMPLES)).stdout)


def test_diff_json(cquin, changed):
    document = _valid("diff", cquin("diff", str(WORKED_EXAMPLE), str(changed), "--format", "json").stdout)
    assert document["schemes"]
    _valid("diff", cquin("diff", str(WORKED_EXAMPLE), str(WORKED_EXAMPLE), "--format", "json").stdout)


def test_path_is_a_json_pointer():
    assert json_pointer(()) == ""
    assert json_pointer(("goals", 0, "weighting")) == "/goals/0/weighting"
    assert json_pointer(("a/b", "c~d")) == "/a~1b/c~0d"
    pattern = _schema("diagnostics")["$defs"]["diagnostic"]["properties"]["path"]["pattern"]
    for pointer in ("", "/goals/0/weighting", "/a~1b/c~0d"):
        assert re.fullmatch(pattern, pointer)
    assert not re.fullmatch(pattern, "/a~2b")
