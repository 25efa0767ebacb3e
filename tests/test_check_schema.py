"""One verdict for every document: the compiled schema check and jsonschema agree.

``cquin validate`` asks the schema compiled ahead of time first (fast) and jsonschema
only for documents it rejects (readable findings). That is sound only if the compiled
check never says yes where jsonschema says no. These tests run both over every sample,
every hostile file and a few hundred mutated samples, and check that the compiled
module is the one the schemas generate today.
"""

from __future__ import annotations

import copy
import math
import random
from decimal import Decimal
from pathlib import Path

import pytest

from cquin_cli.check import compiled_schemas
from cquin_cli.check.schema import check_schema, passes_compiled, validator
from cquin_cli.load.yaml_reader import read_yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(ROOT.glob("sample_schemes/**/*.yaml"))
HOSTILE = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))


def schema_for(path: Path) -> str:
    return "achievement" if path.name.endswith(".achievement.yaml") else "scheme"


def jsonschema_accepts(values, name: str) -> bool:
    return next(iter(validator(name).iter_errors(values)), None) is None


def test_compiled_module_matches_the_schemas():
    pytest.importorskip("fastjsonschema")
    from cquin_cli.check.compile_schemas import TARGET, compiled_source

    assert Path(TARGET).read_text(encoding="utf-8") == compiled_source(), "run: python -m cquin_cli.check.compile_schemas"


@pytest.mark.parametrize("path", SAMPLES + HOSTILE, ids=lambda p: p.name)
def test_same_verdict_on_samples_and_hostile_files(path):
    loaded = read_yaml(path)
    if loaded.error is not None or not isinstance(loaded.value, dict):
        pytest.skip(f"not a document: {loaded.error}")
    name = schema_for(path)
    assert passes_compiled(loaded.value, name) == jsonschema_accepts(loaded.value, name)


REPLACEMENTS = [
    None,
    True,
    False,
    0,
    -1,
    1,
    13,
    12,
    Decimal("1.0"),
    Decimal("62.5"),
    Decimal("1.005"),
    Decimal("-0.01"),
    math.inf,
    -math.inf,
    math.nan,
    10**400,
    "",
    " ",
    "text",
    "25%",
    "101%",
    "0.5%",
    "2009/10",
    "2009-02-30",
    "2010-04-30",
    "1250000.00",
    "1250000.005",
    "-1.00",
    "safety",
    "linear",
    "milestone",
    [],
    [1, True],
    [6, 9, 12],
    [12, 12],
    {},
    {"rule": "linear"},
    {"month": 6, "target": 60},
    "25%\n",
]


def paths_of(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from paths_of(item, prefix + (i,))


def mutate(values, rng: random.Random):
    """One small edit a negotiator could make by mistake: replace, delete or add a key."""
    document = copy.deepcopy(values)
    paths = [p for p in paths_of(document) if p]
    path = rng.choice(paths)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    action = rng.random()
    if action < 0.7:
        parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
    elif action < 0.85:
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[rng.choice(["weigting", "notes", "extra", "domain", "floor", "bands"])] = copy.deepcopy(rng.choice(REPLACEMENTS))
    else:
        parent.append(copy.deepcopy(rng.choice(REPLACEMENTS)))
    return document


def test_same_verdict_on_mutated_samples():
    rng = random.Random(20100401)
    documents = [(read_yaml(p).value, schema_for(p)) for p in SAMPLES]
    documents = [(v, n) for v, n in documents if isinstance(v, dict)]
    assert documents
    disagreements = []
    accepted = rejected = 0
    for _ in range(600):
        values, name = rng.choice(documents)
        mutated = mutate(values, rng)
        fast, slow = passes_compiled(mutated, name), jsonschema_accepts(mutated, name)
        accepted += slow
        rejected += not slow
        if fast != slow:
            disagreements.append((fast, slow, mutated))
    # The compiled check must never say yes where jsonschema says no ...
    assert not [d for d in disagreements if d[0]], "compiled check accepted a document jsonschema rejects"
    # ... and in practice it says no exactly where jsonschema does, except for one
    # documented case: text ending in a line break matches a pattern ending in `$`
    # for jsonschema (Python's `$`), not for the compiled check (`\Z`). Such a
    # document goes on to jsonschema, so the verdict is still jsonschema's.
    for _, _, mutated in disagreements:
        assert any(isinstance(v, str) and v.endswith("\n") for v in _leaves(mutated))
    assert accepted > 50 and rejected > 50  # the mutations exercise both verdicts


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_decimal_numbers_are_numbers_on_both_paths():
    values = read_yaml(ROOT / "sample_schemes" / "worked-example" / "northfield-acute-2009-10.yaml").value
    indicator = values["goals"][0]["indicators"][0]
    indicator["baseline"]["value"] = Decimal("55.5")
    assert passes_compiled(values) and jsonschema_accepts(values, "scheme")
    assert check_schema(values) == []


def test_a_rejected_document_still_gets_jsonschemas_findings():
    values = read_yaml(ROOT / "sample_schemes" / "worked-example" / "northfield-acute-2009-10.yaml").value
    values["rate"] = "half a percent"
    assert not passes_compiled(values)
    findings = check_schema(values)
    assert [(f.code, f.path) for f in findings] == [("E106", ("rate",))]


def test_compiled_check_raises_only_its_own_exception():
    with pytest.raises(compiled_schemas.SchemaInvalid):
        compiled_schemas.valid_scheme([])


def test_a_stale_compiled_module_is_never_used(monkeypatch):
    from cquin_cli.check import schema

    values = read_yaml(ROOT / "sample_schemes" / "worked-example" / "northfield-acute-2009-10.yaml").value
    monkeypatch.setattr(compiled_schemas, "SOURCE_DIGESTS", {"scheme": "0-00000000"})
    schema._compiled_is_current.cache_clear()
    try:
        assert not passes_compiled(values)  # so jsonschema decides
        assert check_schema(values) == []
    finally:
        schema._compiled_is_current.cache_clear()
