"""Never trusted (issue 6): a scheme file is data, whoever wrote it.

* loading YAML constructs no Python object from a tag, and runs nothing;
* schema ``$ref``s never reach the network (the schemas refer only to their own
  ``#/$defs``, jsonschema is given a registry that refuses retrieval, and the compiled
  check resolves references once, at generation time, refusing remote ones);
* no output path is derived from scheme content: where a command writes is decided by
  the paths and options on its command line alone.
"""

from __future__ import annotations

import json
import os
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE, run_cli

from cquin_cli.check.schema import refuse_remote, schema_document, validator
from cquin_cli.load.yaml_reader import YamlMap, YamlSeq, parse_yaml, read_yaml

SENTINEL = Path("/tmp/cquin-never-trusted-sentinel")

TAGGED = [
    f"financial_year: !!python/object/apply:os.system ['touch {SENTINEL}']\n",
    f"- !!python/object/apply:os.system ['touch {SENTINEL}']\n",
    f"? !!python/object/apply:os.system ['touch {SENTINEL}']\n: x\n",
    f"!!python/object/apply:os.system ['touch {SENTINEL}']\n",
    "x: !!python/name:os.system\n",
    "x: !!python/object:collections.OrderedDict {}\n",
    "x: !!binary aGVsbG8=\n",
    "x: !!timestamp 2009-03-31\n",
    "x: !!set {a, b}\n",
    "x: !!omap [a: 1]\n",
    "x: !local thing\n",
    "x: !<tag:evil.example,2000:thing> y\n",
]


@pytest.mark.parametrize("text", TAGGED)
def test_tags_construct_nothing(text):
    SENTINEL.unlink(missing_ok=True)
    loaded = parse_yaml(text)
    assert loaded.value is None
    assert loaded.error is not None and loaded.error.code == "E004"
    assert "tags are not allowed" in loaded.error.message
    assert not SENTINEL.exists()


def _types(value):
    yield type(value)
    if isinstance(value, dict):
        for item in value.values():
            yield from _types(item)
    elif isinstance(value, list):
        for item in value:
            yield from _types(item)


def test_documents_hold_only_plain_data():
    allowed = {YamlMap, YamlSeq, str, int, bool, Decimal, float, type(None)}
    for path in sorted(ROOT.glob("sample_schemes/**/*.yaml")):
        assert set(_types(read_yaml(path).value)) <= allowed, path


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.mark.parametrize("name", ["scheme", "achievement"])
def test_shipped_schemas_refer_only_to_themselves(name):
    refs = list(_refs(schema_document(name)))
    assert refs and all(ref.startswith("#/") for ref in refs)


@pytest.fixture
def no_network(monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("cquin tried to open a URL")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return calls


def test_jsonschema_never_fetches_a_remote_ref(no_network):
    evil = json.loads(json.dumps(schema_document("scheme")))
    evil["properties"]["notes"] = {"$ref": "https://schemas.example.com/evil.json", "description": "remote"}
    checker = validator("scheme").evolve(schema=evil)
    values = read_yaml(WORKED_EXAMPLE).value
    values["notes"] = "anything"
    with pytest.raises(Exception) as raised:
        list(checker.iter_errors(values))
    assert "Unresolvable" in repr(raised.value) or "NoSuchResource" in repr(raised.value)
    assert no_network == []
    # The real schemas validate with no retrieval at all.
    assert list(validator("scheme").iter_errors(read_yaml(WORKED_EXAMPLE).value)) == []
    assert no_network == []


def test_refusal_names_the_uri():
    with pytest.raises(Exception) as raised:
        refuse_remote("https://schemas.example.com/evil.json")
    assert "evil.json" in repr(raised.value)


def test_compiling_a_schema_with_a_remote_ref_is_refused(no_network):
    pytest.importorskip("fastjsonschema")
    from cquin_cli.check.compile_schemas import RemoteReferenceRefused, module_part

    evil = {"$id": "https://cquin.invalid/evil.json", "properties": {"a": {"$ref": "https://schemas.example.com/evil.json"}}}
    with pytest.raises(RemoteReferenceRefused):
        module_part("evil", evil)
    assert no_network == []


def test_the_compiled_check_opens_nothing():
    source = (ROOT / "cquin_cli" / "check" / "compiled_schemas.py").read_text(encoding="utf-8")
    for word in ("urllib", "urlopen", "requests", "socket", "open(", "import fastjsonschema", "from fastjsonschema"):
        assert word not in source, word


# --- output paths ------------------------------------------------------------------

EVIL = {
    "  code: RNF\n": "  code: ../../../evil-code\n",
    "  name: Northfield Hospitals NHS Trust\n": "  name: ../../../../evil-provider/x\n",
    "  name: Northfield PCT\n": "  name: /tmp/cquin-evil-commissioner\n",
}


def hostile_scheme(folder: Path) -> Path:
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    for old, new in EVIL.items():
        assert old in text
        text = text.replace(old, new, 1)
    path = folder / "in" / "region" / "scheme.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    achievement = WORKED_EXAMPLE.with_name(WORKED_EXAMPLE.stem + ".achievement.yaml").read_text(encoding="utf-8")
    (path.parent / "scheme.achievement.yaml").write_text(
        achievement.replace("provider: RNF", "provider: ../../../evil-code"), encoding="utf-8"
    )
    return path


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_outputs_go_only_where_the_command_line_says(tmp_path):
    scheme = hostile_scheme(tmp_path)
    before = files_under(tmp_path)
    result = run_cli("validate", str(tmp_path / "in"))
    assert result.exit_code == 0, result.stdout  # the hostile text is valid scheme data
    result = run_cli("render", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--portfolio", str(tmp_path / "portfolio.xlsx"))
    assert result.exit_code == 0, result.stdout + result.stderr
    result = run_cli("render", str(scheme), "-o", str(tmp_path / "one.xlsx"), "--month", "6")
    assert result.exit_code == 0, result.stdout + result.stderr
    result = run_cli("export", str(tmp_path / "in"), "-f", "csv", "-o", str(tmp_path / "csv"))
    assert result.exit_code == 0, result.stdout + result.stderr
    result = run_cli("export", str(tmp_path / "in"), "-f", "json", "-o", str(tmp_path / "tables.json"))
    assert result.exit_code == 0, result.stdout + result.stderr
    created = files_under(tmp_path) - before
    expected = {"out/region/scheme.xlsx", "portfolio.xlsx", "one.xlsx", "tables.json"}
    assert {f for f in created if not f.startswith("csv/")} == expected
    assert all(f.startswith("csv/") and "/" not in f[4:] and f.endswith(".csv") for f in created - expected)
    assert not Path("/tmp/cquin-evil-commissioner").exists()
    assert not any("evil" in f for f in created)


def test_writes_in_place_touch_only_the_file_named(tmp_path):
    scheme = hostile_scheme(tmp_path)
    achievement = scheme.with_name("scheme.achievement.yaml")
    before = files_under(tmp_path)
    result = run_cli("reconcile", str(scheme), "--month", "12", "--record", "--date", "2010-05-20")
    assert result.exit_code == 0, result.stdout + result.stderr
    result = run_cli("fmt", str(scheme))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert files_under(tmp_path) == before  # no new file anywhere: only rewrites of the two named
    assert "month: 12" in achievement.read_text(encoding="utf-8")
    assert os.path.getsize(scheme) > 0
