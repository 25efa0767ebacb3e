"""One meaning for every file (issue 6, DOMAIN.md §8).

cquin reads with one parser (``yaml_reader``: libyaml events, YAML 1.2 resolved by
cquin) and writes with another (ruamel.yaml's round trip, for ``cquin fmt`` and
``cquin reconcile --record``). These tests hold the two to the same meaning:

* every sample and every hostile file loads to the same values after a ruamel round
  trip (load + dump) and after ``cquin fmt``'s layout, read again by ``yaml_reader``;
  a file the reader refuses is never turned into one it accepts;
* ``--record`` adds its adjustment and changes no other value;
* where ruamel's own loaded values can be compared, they are the reader's: ``yes``,
  ``no``, ``on``, ``off`` and ``1:20`` are text, ``017`` is seventeen, ``47E2`` is 4700,
  an unquoted date is its ISO text.

The writer's ruamel.yaml is set up to resolve as cquin does where it matters: its
timestamp rule is off (``yaml_roundtrip._resolver_class``), so an unquoted date is text
on both sides and a date-shaped text that is no date (``2010-02-30``) does not stop
``cquin fmt``. Intended differences that remain, by design: cquin keeps a number with
a fraction as the exact ``Decimal`` of its text where ruamel holds a binary float;
cquin reads ``1_000`` as text (YAML 1.2 core has no underscores) where ruamel reads
1000; cquin's keys are always text; ``<<`` is an ordinary key to cquin and a merge to
ruamel. None of these changes what is written back (the round trip keeps the text).
The comparison below normalises the first three and nothing else.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from decimal import Decimal

import pytest
from conftest import ROOT, WORKED_EXAMPLE, run_cli

from cquin_cli.format.layout import format_bytes
from cquin_cli.load.yaml_reader import parse_yaml, read_yaml
from cquin_cli.load.yaml_roundtrip import roundtrip_dump, roundtrip_load

SAMPLES = sorted(ROOT.glob("sample_schemes/**/*.yaml"))
HOSTILE = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))


def same(a, b) -> bool:
    """Equal values of equal types; Decimals equal in their written form too; NaN is NaN."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b and str(a) == str(b)


def ruamel_round_trip(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
        return roundtrip_dump(roundtrip_load(text))
    except Exception:  # ruamel refuses it: fmt leaves such a file alone (E008)
        return None


@pytest.mark.parametrize("path", SAMPLES + HOSTILE, ids=lambda p: p.name)
def test_a_round_trip_keeps_every_value(path):
    raw = path.read_bytes()
    before = parse_yaml(raw, str(path))
    if before.error is not None:
        # A file the reader refuses is never rewritten: fmt reports the same error and
        # leaves it alone (so, e.g., an empty file never becomes `null`).
        formatted = format_bytes(raw, str(path))
        assert formatted.text is None and formatted.error is not None
        assert formatted.error.code == before.error.code
        return
    written = ruamel_round_trip(raw)
    assert written is not None, "ruamel.yaml cannot load a file cquin reads"
    after = parse_yaml(written, str(path))
    assert after.error is None, after.error
    assert same(before.value, after.value)


@pytest.mark.parametrize("path", SAMPLES + HOSTILE, ids=lambda p: p.name)
def test_fmt_keeps_every_value(path):
    raw = path.read_bytes()
    before = parse_yaml(raw, str(path))
    formatted = format_bytes(raw, str(path))
    if formatted.text is None:
        assert formatted.error is not None or formatted.not_a_scheme
        return
    after = parse_yaml(formatted.text, str(path))
    assert after.error is None, after.error
    assert same(before.value, after.value)


def test_a_date_shaped_text_that_is_no_date_is_laid_out(tmp_path):
    """`notes: 2010-02-30` is text to cquin (valid); the writer must not choke on it."""
    text = WORKED_EXAMPLE.read_text(encoding="utf-8").replace("equality: >-", "notes: 2010-02-30\nequality: >-", 1)
    formatted = format_bytes(text.encode("utf-8"), "scheme.yaml")
    assert formatted.error is None and formatted.text is not None
    assert parse_yaml(formatted.text).value["notes"] == "2010-02-30"
    assert same(parse_yaml(text).value, parse_yaml(formatted.text).value)


def test_record_adds_its_adjustment_and_changes_nothing_else(tmp_path):
    scheme = tmp_path / WORKED_EXAMPLE.name
    shutil.copy(WORKED_EXAMPLE, scheme)
    achievement = tmp_path / (WORKED_EXAMPLE.stem + ".achievement.yaml")
    shutil.copy(WORKED_EXAMPLE.with_name(achievement.name), achievement)
    before = read_yaml(achievement).value
    result = run_cli("reconcile", str(scheme), "--month", "12", "--record", "--date", "2010-05-20")
    assert result.exit_code == 0, result.stdout + result.stderr
    after = read_yaml(achievement).value
    assert after.keys() == before.keys()
    for key in before:
        if key == "adjustments":
            assert same(list(before[key]), list(after[key][: len(before[key])]))
            assert [a["month"] for a in after[key][len(before[key]) :]] == [12]
        else:
            assert same(before[key], after[key]), key


def normalised(value):
    """ruamel's values in cquin's terms (see the module docstring for each rule)."""
    if isinstance(value, dict):
        return {str(k): normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return bool(value) if isinstance(value, bool) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isnan(value) or math.isinf(value) else Decimal(repr(float(value)))
    return value


def agree(ours, theirs) -> bool:
    if isinstance(ours, dict):
        return isinstance(theirs, dict) and list(ours) == list(theirs) and all(agree(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list):
        return isinstance(theirs, list) and len(ours) == len(theirs) and all(agree(x, y) for x, y in zip(ours, theirs))
    if isinstance(ours, float) and math.isnan(ours):
        return isinstance(theirs, float) and math.isnan(theirs)
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours is theirs
    return ours == theirs and (isinstance(ours, (int, float, Decimal)) == isinstance(theirs, (int, float, Decimal)))


YAML12 = {
    "yes": "yes",
    "no": "no",
    "on": "on",
    "off": "off",
    "Yes": "Yes",
    "ON": "ON",
    "017": 17,
    "0o17": 15,
    "0x1F": 31,
    "47E2": Decimal("4700"),
    "1:20": "1:20",
    "1:20:30": "1:20:30",
    "2009-03-31": "2009-03-31",
    "2010-04-30": "2010-04-30",
    "62.50": Decimal("62.5"),
    "true": True,
    "~": None,
    ".inf": math.inf,
}


@pytest.mark.parametrize("text, meaning", list(YAML12.items()))
def test_ruamel_and_cquin_agree_on_yaml_1_2(text, meaning):
    document = f"value: {text}\n"
    ours = parse_yaml(document).value["value"]
    theirs = normalised(roundtrip_load(document))["value"]
    assert agree(ours, theirs), (ours, theirs)
    assert ours == meaning and type(ours) is type(meaning)
    assert parse_yaml(roundtrip_dump(roundtrip_load(document))).value["value"] == ours  # written back unchanged


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_ruamel_and_cquin_agree_on_every_sample(path):
    text = path.read_text(encoding="utf-8")
    assert agree(parse_yaml(text).value, normalised(roundtrip_load(text)))
