"""The rules schema (schemas/scheme-rules.schema.json): generated, and agreeing with cquin.

The rules schema is the scheme schema plus the framework's rules that JSON Schema can say
exactly, made from the rulebook by ``cquin_cli.check.schema_rules`` (``make schemas``).
Here: the committed file is what the generator makes now; a new rulebook fact reaches it;
and an independent validator, check-jsonschema, run over every rule's failing and passing
example and the samples, rejects exactly the schemes cquin flags with a rule the schema carries whole,
and nothing cquin accepts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SAMPLES

from cquin_cli.check import schema_rules
from cquin_cli.check.examples import ACHIEVEMENT_FILE, ACHIEVEMENT_SUFFIX, SCHEME_FILE, example_files, example_kind
from cquin_cli.check.pipeline import check_text
from cquin_cli.check.registry import ACHIEVEMENT, SCHEMA, all_rules
from cquin_cli.diagnostics import Severity
from cquin_cli.load.yaml_reader import read_yaml
from cquin_cli.rulebook import Fact, Year, rulebook

RULES = all_rules()
WORKED = SAMPLES / "worked-example"
SCHEME_TEXT = (WORKED / SCHEME_FILE).read_text(encoding="utf-8")
ACHIEVEMENT_TEXT = (WORKED / ACHIEVEMENT_FILE).read_text(encoding="utf-8")
BASE = ROOT / "schemas" / "scheme.schema.json"
RULES_SCHEMA = ROOT / "schemas" / "scheme-rules.schema.json"
WHOLE = {code for code, (how, _) in schema_rules.CARRIED.items() if how == schema_rules.WHOLE}
# Rule-breaking schemes: the failing example of every rule of a scheme's content (E2xx).
BREAKING = sorted(code for code in RULES if re.fullmatch(r"E2\d\d", code) and example_kind(RULES[code]) == "patch")


def test_the_committed_rules_schema_is_what_the_generator_makes():
    assert RULES_SCHEMA.read_text(encoding="utf-8") == schema_rules.rules_schema_text(), (
        "schemas/scheme-rules.schema.json is out of date: run `make schemas`"
    )


def test_every_carried_code_is_a_rule_of_a_scheme():
    assert set(schema_rules.CARRIED) <= set(RULES)
    assert all(RULES[code].scope == "scheme" and not RULES[code].lint_only for code in schema_rules.CARRIED)


def test_the_rules_schema_is_the_base_schema_with_more():
    base, rules = json.loads(BASE.read_text(encoding="utf-8")), json.loads(RULES_SCHEMA.read_text(encoding="utf-8"))
    assert rules["$id"] == base["$id"].replace("scheme.schema.json", "scheme-rules.schema.json")
    assert rules["allOf"][: len(base["allOf"])] == base["allOf"]
    assert rules["properties"]["financial_year"]["enum"] == list(rulebook())
    assert '"x-' not in RULES_SCHEMA.read_text(encoding="utf-8")


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _scheme(**changes) -> dict:
    value = read_yaml(WORKED / SCHEME_FILE).value
    value.update(changes)
    return json.loads(json.dumps(value, default=str))


def test_a_new_rulebook_fact_reaches_the_schema(monkeypatch):
    years = dict(rulebook())
    fact = Fact("in_force", "a test source")
    years["2030/31"] = Year(
        "2030/31", {"status": fact, "rate": Fact("3%", "a test source"), "base_kind": Fact("contract_value", "t")}
    )
    years["2009/10"] = Year("2009/10", {**years["2009/10"].facts, "rate": Fact("0.75%", "a test source")})
    monkeypatch.setattr(schema_rules, "rulebook", lambda: years)
    validator = _validator(schema_rules.rules_schema())
    assert validator.is_valid(_scheme(financial_year="2009/10", rate="0.75%"))
    assert not validator.is_valid(_scheme(financial_year="2009/10", rate="0.5%"))  # the old rate is now wrong
    assert validator.is_valid(_scheme(financial_year="2030/31", rate="3.00%"))
    assert not validator.is_valid(_scheme(financial_year="2030/31", rate="2%"))
    assert validator.is_valid(_scheme(financial_year="2030/31", rate="2%", rate_reason="agreed locally"))
    assert not validator.is_valid(_scheme(financial_year="2031/32", rate="3%"))


def test_a_new_national_goal_reaches_the_schema(monkeypatch):
    from cquin_cli.rulebook.national import NationalIndicator, NationalYear, library

    entries = dict(library())
    entries["test-goal"] = NationalIndicator("test-goal", "A test goal", {"2009/10": NationalYear(("acute",), None, "t")})
    monkeypatch.setattr(schema_rules, "library", lambda: entries)
    validator = _validator(schema_rules.rules_schema())
    scheme = _scheme()
    assert not validator.is_valid(scheme)
    scheme["goals"][0]["indicators"][0]["national_indicator"] = "test-goal"
    assert validator.is_valid(scheme)


WRITTEN = ["0%", "0.1%", "0.25%", "0.5%", "00.50%", "0.50001%", "1%", "1.0%", "1.25%", "1.2%", "1.3%", "2%", "2.4999%", "2.5%"]
WRITTEN += ["2.50%", "2.51%", "2.6%", "3%", "9.99%", "10%", "12.5%", "25%", "99.9%", "100%", "100.0%", "02.5%", "0.05%"]


@pytest.mark.parametrize("limit", ["0.5%", "1.25%", "2.5%", "3%", "12.5%", "10%", "0.05%"])
def test_rate_patterns_compare_as_numbers(limit):
    number = Decimal(limit.rstrip("%"))
    equal, most = re.compile(schema_rules.equal_to(limit)), re.compile(schema_rules.at_most(limit))
    for written in WRITTEN:
        value = Decimal(written.rstrip("%"))
        assert bool(equal.match(written)) == (value == number), (limit, written)
        assert bool(most.match(written)) == (value <= number), (limit, written)


# Every example that changes a scheme (the rules of a scheme, of all schemes, of its format, and lint's).
EXAMPLES = sorted(code for code in RULES if example_kind(RULES[code]) == "patch" and RULES[code].scope != ACHIEVEMENT)


def _corpus(folder: Path) -> dict[str, tuple[str, set[str]]]:
    """Every rule's failing and passing example's scheme, and every sample scheme:
    file -> (what it is, cquin's error codes)."""
    out: dict[str, tuple[str, set[str]]] = {}
    for code in EXAMPLES:
        for kind, example in (("failing", RULES[code].failing), ("passing", RULES[code].passing)):
            files = example_files(example, SCHEME_TEXT, ACHIEVEMENT_TEXT)
            for name, text in files.items():
                if name.endswith(ACHIEVEMENT_SUFFIX) or (text == SCHEME_TEXT and name == SCHEME_FILE and code != "E203"):
                    continue
                target = folder / f"{code}-{kind}-{name}"
                target.write_text(text, encoding="utf-8")
                found = check_text(text, str(target)).diagnostics
                out[str(target)] = (f"the {kind} example of {code}", {d.code for d in found if d.severity == Severity.ERROR})
    for path in sorted(SAMPLES.rglob("*.yaml")):
        if not path.name.endswith(ACHIEVEMENT_SUFFIX):
            found = check_text(path.read_bytes(), str(path)).diagnostics
            out[str(path)] = (f"the sample {path.relative_to(SAMPLES)}", {d.code for d in found if d.severity == Severity.ERROR})
    return out


def rejected_by(schema: Path, files: list[str]) -> set[str]:
    """The files check-jsonschema rejects with ``schema``."""
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--output-format", "json", "--schemafile", str(schema), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    assert not report.get("parse_errors"), report["parse_errors"]
    return {error["filename"] for error in report.get("errors", ())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return _corpus(tmp_path_factory.mktemp("corpus"))


def test_check_jsonschema_agrees_with_cquin_on_every_carried_rule(corpus):
    files = sorted(corpus)
    rejected = rejected_by(RULES_SCHEMA, files)
    schema_codes = {code for code, rule in RULES.items() if rule.scope == SCHEMA}
    for file, (what, codes) in corpus.items():
        if codes & WHOLE:
            assert file in rejected, f"{what}: cquin finds {sorted(codes)}, check-jsonschema accepts it"
        if file in rejected:
            assert codes & (set(schema_rules.CARRIED) | schema_codes), (
                f"{what}: check-jsonschema rejects it, cquin finds {sorted(codes)}"
            )
    samples = [f for f, (what, _) in corpus.items() if what.startswith("the sample")]
    assert len(samples) >= 10 and not rejected & set(samples)
    for code in WHOLE:  # each carried rule is seen failing, and caught
        assert any(code in codes and f in rejected for f, (_, codes) in corpus.items()), code


def test_how_many_rule_breaking_schemes_each_schema_catches(corpus):
    """The figures docs/format.md gives: the base schema catches few, the rules schema more."""
    by_rule: dict[str, set[str]] = {}
    for file, (what, _) in corpus.items():
        code = what.removeprefix("the failing example of ")
        if code in BREAKING:
            by_rule.setdefault(code, set()).add(file)
    files = sorted(corpus)
    base, rules = rejected_by(BASE, files), rejected_by(RULES_SCHEMA, files)
    caught_base = sorted(code for code, mine in by_rule.items() if mine & base)
    caught_rules = sorted(code for code, mine in by_rule.items() if mine & rules)
    assert len(BREAKING) == 24
    assert caught_base == ["E201"]
    assert caught_rules == ["E201", *sorted(schema_rules.CARRIED)]


def test_corpus_size(corpus):
    """The agreement runs on every example that changes a scheme, and on the samples."""
    assert len(EXAMPLES) >= 50 and len(corpus) >= 100


def test_in_part_means_only_part(tmp_path):
    """E208 in the schema: the SHA, not the associates (a schema cannot compare two lists)."""
    files = example_files("payment:\n  on_account_share: 80%\n  agreed_by: [SHA]\n", SCHEME_TEXT, ACHIEVEMENT_TEXT)
    target = tmp_path / "sha-only.yaml"
    target.write_text(files[SCHEME_FILE], encoding="utf-8")
    assert "E208" in {d.code for d in check_text(files[SCHEME_FILE], str(target)).diagnostics}
    assert rejected_by(RULES_SCHEMA, [str(target)]) == set()
    assert schema_rules.CARRIED["E208"][0] == schema_rules.IN_PART
