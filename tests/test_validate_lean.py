"""``cquin validate`` imports only what it runs: not the lint-only rule modules, not
``importlib.resources`` or pathlib; yet every rule is still listed, and validate finds the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cquin_cli.check import registry
from cquin_cli.check.registry import CONFIG, LINT_RULE_MODULES, RULE_MODULES, VALIDATE_RULE_MODULES, _rules_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_schemes"

PROBE = """
import json, sys
from cquin_cli.commands.validate import validate_paths
code = validate_paths(sys.argv[1:], "json")
rules = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("cquin_cli.check.rules."))
heavy = sorted(m for m in ("importlib.resources", "pathlib", "jsonschema", "openpyxl", "typer", "typing", "dataclasses", "textwrap", "difflib", "ruamel.yaml.main") if m in sys.modules)
print(json.dumps({"exit": code, "rules": rules, "heavy": heavy}))
"""


def probe(*paths: str) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *paths], capture_output=True, text=True, check=True, cwd=ROOT)
    *report, last = done.stdout.strip().splitlines()
    return json.loads(last), "\n".join(report)


def test_validate_imports_no_lint_only_rule_module(tmp_path):
    seen, _ = probe(str(SAMPLES))
    assert seen["exit"] == 0
    assert not set(seen["rules"]) & set(LINT_RULE_MODULES)
    assert "e202_weightings" in seen["rules"] and "e203_one_scheme_per_provider" in seen["rules"]
    # the 1-file hot path: no importlib.resources (rulebook, schemas) and no heavy library
    assert not {"importlib.resources", "jsonschema", "openpyxl", "typer"} & set(seen["heavy"])
    # nor typing, textwrap, difflib, nor ruamel.yaml's round-trip library (docs/performance.md);
    # dataclasses is imported: the records are the standard library's frozen, slotted dataclasses,
    # which a type checker reads; pathlib is left out: an editable install's finder imports it
    assert not {"typing", "textwrap", "difflib", "ruamel.yaml.main"} & set(seen["heavy"])


def test_ruamel_yaml_is_whole_after_the_reader_has_used_its_parser(tmp_path):
    """The reader imports libyaml's parser without running ruamel.yaml's ``__init__``, and
    names its own event classes in the extension while it parses; afterwards the package
    must be whole, and the extension ruamel.yaml's own, for fmt, --record and new."""
    script = r"""
import sys
from cquin_cli.load.yaml_reader import parse_yaml
assert parse_yaml(b"a: 1\n").value == {"a": 1}
assert parse_yaml(b"a: [1\n").error.code == "E002"  # libyaml raised mid-parse
assert "ruamel.yaml.main" not in sys.modules
import _ruamel_yaml
import ruamel.yaml.events
for name in ("ScalarEvent", "MappingStartEvent", "SequenceEndEvent", "AliasEvent", "StreamEndEvent"):
    assert getattr(_ruamel_yaml, name) is getattr(ruamel.yaml.events, name), name  # the reader's swap is undone
import ruamel.yaml
from ruamel.yaml import YAML
from cquin_cli.load.yaml_roundtrip import roundtrip_dump, roundtrip_load
assert ruamel.yaml.__version__ and ruamel.yaml.YAML is YAML and ruamel.yaml.error.YAMLError
assert ruamel.yaml.events is sys.modules["ruamel.yaml.events"]
yaml = YAML()
data = yaml.load("a: 1  # kept\nb: [1, 2]\n")
yaml.dump(data, sys.stdout)
print(YAML(typ="safe").load("x: 1"))
print(roundtrip_dump(roundtrip_load("c: 017  # seventeen\n")), end="")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "a: 1  # kept\nb: [1, 2]\n{'x': 1}\nc: 017  # seventeen\n"


def test_the_rule_texts_are_dedented_as_textwrap_would():
    import importlib
    import textwrap

    for name in RULE_MODULES:
        module = importlib.import_module(f"cquin_cli.check.rules.{name}")
        for text in (module.__doc__ or "", getattr(module, "PASSING", ""), getattr(module, "FAILING", "")):
            assert registry._dedent(text) == textwrap.dedent(text), name


def test_the_split_leaves_out_nothing_validate_runs_or_reports():
    import importlib

    for name in LINT_RULE_MODULES:
        for rule in _rules_of(importlib.import_module(f"cquin_cli.check.rules.{name}")):
            assert rule.lint_only or rule.scope == CONFIG, (name, rule.code)
    for name in VALIDATE_RULE_MODULES:
        for rule in _rules_of(importlib.import_module(f"cquin_cli.check.rules.{name}")):
            assert not rule.lint_only, (name, rule.code)


def test_every_rule_is_still_registered_in_code_order():
    rules = registry.all_rules()
    codes = list(rules)
    assert codes == sorted(codes, key=lambda c: (c[1:], c))
    assert {"E001", "E202", "W401", "W414", "E501"} <= set(codes)
    assert registry.validate_rules() is rules  # one registry: once complete, validate sees it all
    assert registry.rule("w401").code == "W401"


def test_validate_reports_the_same_with_or_without_the_lint_modules_loaded(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("    weighting: 30%", "    weighting: 35%", 1), encoding="utf-8")
    lean, lean_report = probe(str(bad), str(SAMPLES))
    full = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from cquin_cli.check.registry import all_rules; all_rules()\n" + PROBE,
                str(bad),
                str(SAMPLES),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        .stdout.strip()
        .splitlines()
    )
    # E202 from a scheme rule, E203 (the same provider and year as the sample) from a portfolio rule
    assert lean["exit"] == 1 and '"E202"' in lean_report and '"E203"' in lean_report
    assert "\n".join(full[:-1]) == lean_report


def test_schemas_are_read_where_a_wheel_installs_them(tmp_path, monkeypatch):
    from cquin_cli import schema_files

    (tmp_path / "scheme.schema.json").write_text('{"installed": true}', encoding="utf-8")
    monkeypatch.setattr(schema_files, "SOURCE_FOLDER", str(tmp_path / "no-checkout-here"))
    monkeypatch.setattr(schema_files, "INSTALLED_FOLDER", str(tmp_path))
    assert schema_files.schema_text("scheme") == '{"installed": true}'


def test_the_rulebook_is_read_beside_its_module():
    from cquin_cli.rulebook import _rulebook_text, rulebook

    assert json.loads(_rulebook_text())["years"] and "2010/11" in rulebook()


def test_summaries_instead_of_scheme_records_give_the_same_findings(tmp_path, monkeypatch):
    """`cquin validate` keeps a SchemeSummary of each scheme; every portfolio rule it runs
    (and the achievement checks, which read their scheme again) must find the same."""
    import shutil

    from cquin_cli.check import pipeline
    from cquin_cli.check.registry import PORTFOLIO, rules_in

    shutil.copytree(SAMPLES, tmp_path / "samples")
    for i in range(3):  # one provider and year three times: E203 from the summaries
        shutil.copy(SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml", tmp_path / f"copy-{i}.yaml")
    whole = pipeline.check_paths([str(tmp_path)])
    summarised = pipeline.check_paths([str(tmp_path)], keep_values=False, keep_schemes=False)
    assert summarised.diagnostics == whole.diagnostics
    assert any(f.endswith(".achievement.yaml") for f in summarised.files)  # checked against its scheme, read again
    assert sum(d.code == "E203" for d in whole.diagnostics) >= 4
    assert all(isinstance(r.scheme, (pipeline.SchemeSummary, type(None))) for r in summarised.results)
    # each validate portfolio rule, on its own, on records and on summaries
    for rule in rules_in(PORTFOLIO):
        assert list(rule.check(summarised.schemes)) == list(rule.check(whole.schemes)), rule.code
    # and through the process pool
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    monkeypatch.setattr(pipeline, "CHUNK", 4)
    pooled = pipeline.check_paths([str(tmp_path)], keep_values=False, keep_schemes=False)
    assert pooled.diagnostics == whole.diagnostics


def test_parsing_from_several_threads_at_once_is_safe():
    """The reader names its event classes in the extension while it parses: one parse at a time."""
    import threading

    import _ruamel_yaml
    import ruamel.yaml.events

    from cquin_cli.load.yaml_reader import parse_yaml

    text = (SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml").read_bytes()
    expected = parse_yaml(text).value
    failures: list = []

    def parse_many() -> None:
        for _ in range(40):
            loaded = parse_yaml(text)
            if loaded.error is not None or loaded.value != expected:
                failures.append(loaded.error)

    threads = [threading.Thread(target=parse_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _ruamel_yaml.ScalarEvent is ruamel.yaml.events.ScalarEvent
