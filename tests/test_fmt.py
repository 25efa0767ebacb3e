"""`cquin fmt`: one canonical layout, every comment kept, nothing written unless asked."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cquin_cli.format.layout import _comments, format_bytes, same_meaning
from cquin_cli.load.yaml_reader import parse_yaml

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*.y*ml"))

OUT_OF_ORDER = """\
# yaml-language-server: $schema=../schemas/scheme.schema.json
# header stays on top
goals:   # the goals
  - weighting: 30%   # eol of weighting
    # heading of number
    number: 1
    indicators:
      - weighting: 30%
        name: n   # eol of name
        # heading of indicator number
        number: S1
        baseline: {value: 55, period: 2008/09 Q3}
    # a comment inside goal 1, after its indicators
# heading of provider

provider:
    name: X      # provider name
    code: RNF
rate: 0.5%   # the year's rate
financial_year: 2009/10
# the end of the file
"""

CANONICAL = """\
# yaml-language-server: $schema=../schemas/scheme.schema.json
# header stays on top
financial_year: 2009/10
# heading of provider

provider:
  code: RNF
  name: X        # provider name
rate: 0.5%   # the year's rate
goals:   # the goals
    # heading of number
  - number: 1
    weighting: 30%   # eol of weighting
    indicators:
        # heading of indicator number
      - number: S1
        name: n   # eol of name
        baseline: {value: 55, period: 2008/09 Q3}
        weighting: 30%
    # a comment inside goal 1, after its indicators
# the end of the file
"""


def test_reordering_carries_each_keys_comments_with_it():
    result = format_bytes(OUT_OF_ORDER.encode(), "scheme.yaml")
    assert result.error is None
    assert result.text == CANONICAL
    assert _comments(result.text) == _comments(OUT_OF_ORDER)
    again = format_bytes(result.text.encode(), "scheme.yaml")
    assert again.error is None and not again.changed  # idempotent


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_is_idempotent_and_keeps_its_comments_and_meaning(cquin, tmp_path, sample):
    copy = tmp_path / sample.name
    shutil.copyfile(sample, copy)
    original = copy.read_text(encoding="utf-8")
    first = cquin("fmt", str(copy))
    assert first.exit_code == 0, first.stdout
    once = copy.read_text(encoding="utf-8")
    assert _comments(once) == _comments(original)
    assert same_meaning(parse_yaml(original).value, parse_yaml(once).value)
    second = cquin("fmt", "--check", str(copy))
    assert second.exit_code == 0, second.stdout
    assert copy.read_text(encoding="utf-8") == once


def test_check_shows_a_unified_diff_exits_1_and_changes_nothing(cquin, tmp_path):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(OUT_OF_ORDER)
    before = scheme.read_bytes()
    result = cquin("fmt", "--check", str(scheme))
    assert result.exit_code == 1
    assert f"--- {scheme} (as written)" in result.stdout
    assert f"+++ {scheme} (cquin fmt)" in result.stdout
    assert "-financial_year: 2009/10\n" in result.stdout and "+financial_year: 2009/10\n" in result.stdout
    assert f"would reformat {scheme}" in result.stdout
    assert scheme.read_bytes() == before


def test_fmt_writes_the_canonical_layout(cquin, tmp_path):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(OUT_OF_ORDER)
    result = cquin("fmt", str(scheme))
    assert result.exit_code == 0
    assert f"reformatted {scheme}" in result.stdout
    assert scheme.read_text() == CANONICAL
    assert not list(tmp_path.glob(".cquin-*"))  # no temporary file left behind


def test_a_file_that_does_not_parse_is_reported_and_left_untouched(cquin, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"financial_year: 2009/10\nprovider:\n  code: [RNF\n  name: X\n")
    good = tmp_path / "good.yaml"
    good.write_text("provider:\n    code: RNF\nfinancial_year: 2009/10\n")
    (tmp_path / "workflow.yml").write_text("on:\n    push: {}\n")
    before = broken.read_bytes()
    result = cquin("fmt", str(tmp_path))
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(broken))}:4:\d+: error E002 YAML syntax error", result.stdout, re.M)
    assert broken.read_bytes() == before
    assert good.read_text() == "financial_year: 2009/10\nprovider:\n  code: RNF\n"  # the run went on
    assert (tmp_path / "workflow.yml").read_text() == "on:\n    push: {}\n"  # not a scheme: not touched
    assert "1 skipped (not a scheme" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_duplicate_keys_are_refused_not_merged(cquin, tmp_path):
    scheme = tmp_path / "dup.yaml"
    scheme.write_text("rate: 0.5%\nrate: 1%\n")
    result = cquin("fmt", str(scheme))
    assert result.exit_code == 1
    assert f"{scheme}:2:1: error E003 duplicate key 'rate'" in result.stdout
    assert scheme.read_text() == "rate: 0.5%\nrate: 1%\n"


def test_byte_order_mark_and_missing_final_newline_are_fixed(tmp_path):
    raw = b"\xef\xbb\xbffinancial_year: 2009/10\r\nrate: 0.5%"
    result = format_bytes(raw, "s.yaml")
    assert result.error is None
    assert result.text == "financial_year: 2009/10\nrate: 0.5%\n"
    assert result.changed


def test_quoting_flow_style_and_yaml_1_2_scalars_survive(tmp_path):
    text = 'notes: "yes"\nprovider: {name: "Moss", code: 017}\nrate: on\nfinancial_year: 2009/10\ncontract_value:\n  tariff_income: "180000000.00"\n'
    result = format_bytes(text.encode(), "s.yaml")
    assert result.error is None
    assert (
        result.text
        == 'financial_year: 2009/10\nprovider: {name: "Moss", code: 017}\ncontract_value:\n  tariff_income: "180000000.00"\nrate: on\nnotes: "yes"\n'
    )


def test_unknown_keys_keep_their_place_after_known_ones(tmp_path):
    text = "zebra: 1\nrate: 0.5%\napple: 2\nfinancial_year: 2009/10\n"
    result = format_bytes(text.encode(), "s.yaml")
    assert result.text == "financial_year: 2009/10\nrate: 0.5%\nzebra: 1\napple: 2\n"


def test_achievement_files_follow_the_achievement_schema():
    text = "measurements: []\nfinancial_year: 2009/10\n"
    result = format_bytes(text.encode(), "x.achievement.yaml")
    assert result.text == "financial_year: 2009/10\nmeasurements: []\n"


def test_worked_example_is_already_canonical():
    assert not format_bytes(WORKED_EXAMPLE.read_bytes(), str(WORKED_EXAMPLE)).changed


def test_missing_path_exits_2(cquin, tmp_path):
    result = cquin("fmt", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "E001" in result.stdout


def test_samples_are_formatted(cquin):
    result = cquin("fmt", "--check", str(SAMPLES))
    assert result.exit_code == 0, result.stdout
    assert "0 of " in result.stdout


def test_single_quotes_become_double_quotes_and_nothing_else_changes(cquin, tmp_path, worked_example_text):
    text = (
        worked_example_text.replace('tariff_income: "180000000.00"', "tariff_income: '180000000.00'")
        .replace("rate: 0.5%", "rate: '0.5%'")
        .replace("name: Dr A. Moss", "name: 'Dr A. O''Moss'")
    )
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    assert cquin("fmt", "--check", str(scheme)).exit_code == 1
    assert cquin("fmt", str(scheme)).exit_code == 0
    written = scheme.read_text()
    assert 'tariff_income: "180000000.00"   # including the Market Forces Factor' in written
    assert 'rate: "0.5%"' in written and 'name: "Dr A. O\'Moss"' in written
    assert "'" not in "".join(l for l in written.splitlines() if ": '" in l)
    assert parse_yaml(written.encode()).value == parse_yaml(text.encode()).value
    assert cquin("fmt", "--check", str(scheme)).exit_code == 0


def test_single_quotes_that_spare_escapes_are_kept(cquin, tmp_path, worked_example_text):
    text = worked_example_text.replace("name: Dr A. Moss", """name: 'Dr A. "Tony" Moss'""")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    assert cquin("fmt", "--check", str(scheme)).exit_code == 0


# ---------------------------------------------------------------------------
# The fast check of the layout (cquin_cli/format/canonical.py): it may say "not sure"
# (the round trip then decides), but it must never say "canonical" for a file fmt would
# change, and fmt with it must give exactly what fmt gives without it (a file whose keys
# only are out of order is reordered without the round trip). Each case is judged both
# ways; cases run on every core.


@dataclass(frozen=True)
class Judged:
    case: str
    fast: bool  # the fast check says: canonical
    same: bool  # the round trip says: fmt leaves the file as it is
    text: str | None  # what fmt writes (the round trip's)
    agree: bool  # fmt with the fast check gives exactly what it gives without


def _judged(cases: list[tuple[str, str, bytes]]) -> list[Judged]:
    """Each (case, file name, bytes), judged by the fast check and by the round trip.

    Where the fast check is not sure, fmt takes the round trip itself: the same code as
    ``fast=False``, so only the other cases need fmt run twice to compare."""
    from cquin_cli.format.canonical import round_trip_kept
    from cquin_cli.format.layout import kind_of, shape_of

    out = []
    for case, name, raw in cases:
        kept = round_trip_kept(raw, shape_of(kind_of(name)))
        slow = format_bytes(raw, name, fast=False)
        same = slow.error is None and slow.text is not None and not slow.changed
        agree = kept is None or format_bytes(raw, name) == slow
        out.append(Judged(case, kept is not None and kept[1], same, slow.text, agree))
    return out


def _judge(cases: list[tuple[str, str, bytes]]) -> list[Judged]:
    from cquin_cli.pool import map_chunks

    return map_chunks(_judged, cases, chunk=16, parallel_from=32)


def _never_wrong(judged: list[Judged], texts: dict[str, str]) -> None:
    wrong = [j.case for j in judged if (j.fast and not j.same) or not j.agree]
    assert not wrong, "the fast check and the round trip disagree on these:\n" + "\n\n".join(
        f"{case}:\n{texts[case]}" for case in wrong[:3]
    )


@pytest.fixture(scope="session")
def generated_portfolio(tmp_path_factory) -> list[tuple[str, bytes]]:
    """The benchmark's 337 generated schemes (benchmarks/generate.py, seed 4), as generated."""
    import sys

    from conftest import ROOT

    folder = tmp_path_factory.mktemp("portfolio")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(str(folder), 337, seed=4)
    return [(str(p), p.read_bytes()) for p in sorted(folder.rglob("*.yaml"))]


@pytest.fixture(scope="session")
def generated_judged(generated_portfolio) -> list[Judged]:
    return _judge([(name, name, raw) for name, raw in generated_portfolio])


def test_every_sample_is_known_canonical_by_the_fast_check():
    cases = [(str(p), str(p), p.read_bytes()) for p in SAMPLE_FILES]
    judged = _judge(cases)
    assert [j.case for j in judged if not (j.fast and j.same and j.agree)] == []


def test_every_generated_scheme_before_and_after_fmt(generated_portfolio, generated_judged):
    """As generated (keys out of schema order) fmt changes every one, and the fast check
    never calls one canonical (and reorders each exactly as the round trip does); after
    fmt, fmt leaves every one as it is and the fast check knows it."""
    from cquin_cli.format.canonical import round_trip_kept
    from cquin_cli.format.layout import shape_of

    before = generated_judged
    assert len(before) == 337
    # each is known to need only its keys reordered: no round trip for any of them
    assert all(round_trip_kept(raw, shape_of("scheme")) == (raw.decode(), False) for _, raw in generated_portfolio)
    assert [j.case for j in before if j.fast or j.same or not j.agree] == []
    after = _judge([(j.case, j.case, j.text.encode()) for j in before if j.text is not None])
    assert len(after) == 337
    assert [j.case for j in after if not (j.fast and j.same and j.agree)] == []


def test_perturbed_schemes_are_never_called_canonical_when_fmt_changes_them(generated_judged):
    import random

    from layout_perturbations import perturb, truncated

    sources = [(str(p), p.read_text(encoding="utf-8")) for p in SAMPLE_FILES]
    sources += [(j.case, j.text) for j in generated_judged[::12] if j.text is not None]
    texts: dict[str, str] = {}
    cases = []
    for seed in range(600):
        name, text = sources[seed % len(sources)]
        r = random.Random(seed)
        changed = perturb(truncated(text, r) if r.random() < 0.8 else text, r)
        case = f"seed {seed} of {name}"
        texts[case] = changed
        cases.append((case, name, changed.encode("utf-8", "surrogatepass")))
    judged = _judge(cases)
    _never_wrong(judged, texts)
    # The perturbations reach both verdicts: still canonical and changed by fmt, known fast.
    assert sum(1 for j in judged if j.fast) > 100
    assert sum(1 for j in judged if not j.same) > 250


LAYOUTS_FMT_CHANGES = {
    "keys out of schema order": "provider:\n  code: RNF\nfinancial_year: 2009/10\n",
    "nested keys out of order": "financial_year: 2009/10\nprovider:\n  name: X\n  code: RNF\n",
    "first key of a list item out of order": "financial_year: 2009/10\ngoals:\n  - name: Safety\n    number: 1\n",
    "single quotes": "financial_year: 2009/10\nrate: '0.5%'\n",
    "4-space indent": "financial_year: 2009/10\nprovider:\n    code: RNF\n",
    "list at its key's indent": "financial_year: 2009/10\ngoals:\n- number: 1\n",
    "trailing space": "financial_year: 2009/10 \n",
    "two spaces after the colon": "financial_year:  2009/10\n",
    "flow mapping with inner spaces": "financial_year: 2009/10\npayment: { instalments: 12 }\n",
    "flow list without spaces": "financial_year: 2009/10\npayment:\n  checkpoints: [6,9,12]\n",
    "a one-key flow mapping in a flow list": "financial_year: 2009/10\npayment:\n  checkpoints: [{month: 6}]\n",
    "a list nested in flow lists, in a list item": "financial_year: 2009/10\nnotes:\n  - [[[1]]]\n",
    "null written out": "financial_year: 2009/10\nnotes: null\n",
    "capitalised boolean": "financial_year: 2009/10\nprovider:\n  foundation_trust: True\n",
    "plus sign": "financial_year: 2009/10\npayment:\n  instalments: +12\n",
    "no final newline": "financial_year: 2009/10",
    "blank lines at the end": "financial_year: 2009/10\n\n\n",
    "CRLF line ends": "financial_year: 2009/10\r\n",
    "byte-order mark": "\ufefffinancial_year: 2009/10\n",
    "document start marker": "---\nfinancial_year: 2009/10\n",
    "a plain value over two lines": "financial_year: 2009/10\nnotes: Agreed at the\n  annual round\n",
    "a block scalar indented 4": "financial_year: 2009/10\nequality: >-\n    Reported by age\n",
}


@pytest.mark.parametrize("layout", LAYOUTS_FMT_CHANGES, ids=list(LAYOUTS_FMT_CHANGES))
def test_a_layout_fmt_changes_is_not_called_canonical(cquin, tmp_path, layout):
    text = LAYOUTS_FMT_CHANGES[layout]
    [judged] = _judged([(layout, "s.yaml", text.encode())])
    assert not judged.same and not judged.fast and judged.agree
    scheme = tmp_path / "s.yaml"
    scheme.write_bytes(text.encode())
    result = cquin("fmt", "--check", str(scheme))
    assert result.exit_code == 1 and f"would reformat {scheme}" in result.stdout


LAYOUTS_FMT_KEEPS = {
    "comments everywhere": "# header\n\nfinancial_year: 2009/10   # the year\n# above provider\nprovider:  # after the key\n"
    "  # first\n  code: RNF\n    # deeper\n  name: X\n# the end\n",
    "flow styles": "financial_year: 2009/10\nassociates:\n"
    '  - {code: 5AB, name: "Ashby PCT", share: 20%}\n  - {code: 5AC, name: Bramley, share: 80%}\n'
    "payment:\n  checkpoints: [6, 9, 12]\n",
    "block scalars": "financial_year: 2009/10\nequality: >-\n  Reported by age,\n  sex and ethnicity.\nnotes: |\n  Line one\n  Line two\n",
    "single quotes sparing escapes": "financial_year: 2009/10\nnotes: 'the \"you said\" board'\n",
    "numbers and dates": "financial_year: 2009/10\npayment:\n  instalments: 12\nagreement:\n  date: 2009-03-31\n"
    "goals:\n  - number: 1.10\n    weighting: 30%\n",
}


@pytest.mark.parametrize("layout", LAYOUTS_FMT_KEEPS, ids=list(LAYOUTS_FMT_KEEPS))
def test_a_canonical_layout_is_known_fast(layout):
    text = LAYOUTS_FMT_KEEPS[layout]
    [judged] = _judged([(layout, "s.yaml", text.encode())])
    assert judged.same and judged.fast and judged.agree


def test_fmt_check_on_many_files_uses_the_pool_and_says_the_same(cquin, tmp_path, monkeypatch):
    from cquin_cli import pool

    for i in range(12):
        (tmp_path / f"s{i:02}.yaml").write_text(OUT_OF_ORDER if i % 3 == 0 else CANONICAL)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**9)
    serial = cquin("fmt", "--check", str(tmp_path))
    monkeypatch.setattr(pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(pool, "CHUNK", 2)
    parallel = cquin("fmt", "--check", str(tmp_path))
    assert parallel.exit_code == serial.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert "4 of 12 files would be reformatted" in serial.stdout


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_small_documents_built_at_random_are_never_called_canonical_when_fmt_changes_them(r):
    from layout_perturbations import random_document

    text = random_document(r)
    [judged] = _judged([("document", "s.yaml", text.encode())])
    assert (judged.same or not judged.fast) and judged.agree, text
