"""Every rule's documented examples run: PASSING and FAILING applied to the worked example.

``cquin explain CODE``, ``cquin rules`` and docs/rules.md print each rule's PASSING and
FAILING examples; here each is applied to the worked example (cquin_cli/check/examples.py)
and run through the rule the way ``cquin validate`` and ``cquin lint`` run it:
PASSING gives no finding of the rule's code and no error, FAILING gives at least one
finding of the code. A rule without both examples fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cquin_cli.check.config import Settings
from cquin_cli.check.examples import (
    ACHIEVEMENT_FILE,
    ACHIEVEMENT_SUFFIX,
    DESCRIBED_ONLY,
    SCHEME_FILE,
    ExampleError,
    apply_patch,
    example_files,
    example_kind,
    parse_path,
    split_parts,
    whole_files,
)
from cquin_cli.check.lint import lint_findings, lint_paths
from cquin_cli.check.pipeline import check_paths, check_text, portfolio_diagnostics
from cquin_cli.check.registry import ACHIEVEMENT, CONFIG, FILE, PORTFOLIO, all_rules
from cquin_cli.diagnostics import Severity

ROOT = Path(__file__).resolve().parent.parent
WORKED = ROOT / "sample_schemes" / "worked-example"
SCHEME_TEXT = (WORKED / SCHEME_FILE).read_text(encoding="utf-8")
ACHIEVEMENT_TEXT = (WORKED / ACHIEVEMENT_FILE).read_text(encoding="utf-8")
RULES = all_rules()
NO_SETTINGS = Settings()


class _Same:
    """A configuration finder for texts held in memory: every file has the same settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def settings_for(self, file: str) -> Settings:
        return self.settings


def _written(files: dict[str, str], folder: Path) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def diagnostics_of(code: str, example: str, folder: Path) -> list:
    """What cquin reports of the example of rule ``code``, run as validate (or lint) runs it."""
    rule = RULES[code]
    kind = example_kind(rule)
    if kind == "file":
        return list(check_text(example.encode("utf-8"), "scheme.yaml", found_in_folder=True).diagnostics)
    if kind == "config":
        _written({SCHEME_FILE: SCHEME_TEXT, ACHIEVEMENT_FILE: ACHIEVEMENT_TEXT, **whole_files(example, "pyproject.toml")}, folder)
        return list(lint_paths([str(folder)]).diagnostics)
    default = ACHIEVEMENT_FILE if rule.scope == ACHIEVEMENT else SCHEME_FILE
    files = example_files(example, SCHEME_TEXT, ACHIEVEMENT_TEXT, default=default)
    if rule.scope == ACHIEVEMENT:  # achievement data is checked against the scheme beside it
        _written(files, folder)
        return list(check_paths([str(folder)]).diagnostics)
    lint = NO_SETTINGS if rule.lint_only or rule.scope == CONFIG else None
    schemes = [name for name in files if not name.endswith(ACHIEVEMENT_SUFFIX)]
    if rule.scope != PORTFOLIO:
        schemes = [SCHEME_FILE]
    results = [check_text(files[name], name, lint=lint) for name in schemes]
    found = [d for r in results for d in r.diagnostics]
    if rule.scope == PORTFOLIO:
        found += portfolio_diagnostics(results, lint=_Same(lint) if lint is not None else None)  # type: ignore[arg-type]
    if lint is not None:
        found, _ = lint_findings(found, results, _Same(lint).settings_for)
    return found


RUNNABLE = sorted(code for code in RULES if code not in DESCRIBED_ONLY)


def test_every_rule_has_both_examples():
    missing = [code for code, r in RULES.items() if not (r.passing.strip() and r.failing.strip())]
    assert not missing, f"rules without a PASSING and a FAILING example: {missing}"
    elided = [
        code
        for code, r in RULES.items()
        for text in (r.passing, r.failing)
        if any("..." in line.split("#")[0] for line in text.splitlines())
    ]
    assert not elided, f"examples must be complete, with no '...': {elided}"


def test_only_a_few_examples_are_described_rather_than_run():
    assert set(DESCRIBED_ONLY) <= set(RULES)
    assert all(RULES[code].scope == FILE for code in DESCRIBED_ONLY)


@pytest.mark.parametrize("code", RUNNABLE)
def test_the_passing_example_passes(code, tmp_path):
    found = diagnostics_of(code, RULES[code].passing, tmp_path)
    assert code not in {d.code for d in found}, [str(d.code) + " " + d.message for d in found]
    if example_kind(RULES[code]) == "file":  # a whole file: the reader accepts it
        assert not [d for d in found if RULES.get(d.code) and RULES[d.code].scope == FILE], found
    else:  # the worked example changed: still valid
        errors = [f"{d.code} {d.message}" for d in found if d.severity is Severity.ERROR]
        assert not errors, errors


# Errors a failing example brings with it by its nature: E104's unknown domain leaves no
# patient experience goal (E201); E513 suppresses a real E202; I516 is about a file with an error.
ALSO = {"E104": {"E201"}, "E513": {"E202"}, "I516": {"E106"}}


@pytest.mark.parametrize("code", RUNNABLE)
def test_the_failing_example_fails(code, tmp_path):
    found = diagnostics_of(code, RULES[code].failing, tmp_path)
    assert code in {d.code for d in found}, [f"{d.code} {d.message}" for d in found]
    if example_kind(RULES[code]) != "file":  # it shows this rule, and breaks nothing else
        others = {d.code for d in found if d.severity is Severity.ERROR} - {code} - ALSO.get(code, set())
        assert not others, [f"{d.code} {d.message}" for d in found if d.code in others]


# The patch format itself (docs/rules.md, "Reading the examples").


def test_a_path_names_keys_and_list_positions():
    assert parse_path("goals[0].indicators[1].weighting") == ("goals", 0, "indicators", 1, "weighting")
    assert parse_path("rate") == ("rate",)
    with pytest.raises(ExampleError):
        parse_path("goals..weighting")


def test_a_mapping_merges_a_list_is_replaced_and_null_removes():
    base = "a: 1\nb:\n  c: 2\n  d: 3\nl: [1, 2]\n"
    assert apply_patch(base, "b: {c: 5, d: ~}\nl: [9]\n") == "a: 1\nb:\n  c: 5\nl: [9]\n"
    assert apply_patch(base, "l[2]: 3\n") == "a: 1\nb:\n  c: 2\n  d: 3\nl: [1, 2, 3]\n"  # one past the end adds
    assert apply_patch(base, "l[0]: ~\nnew: x\n") == "a: 1\nb:\n  c: 2\n  d: 3\nl: [2]\nnew: x\n"
    assert apply_patch(base, "# only a comment\n") == base
    assert apply_patch(base, "- a list\n") == "  - a list\n"  # not a mapping: the whole file (house layout)


def test_a_bad_path_or_refused_yaml_is_an_error_not_a_silent_no_op():
    with pytest.raises(ExampleError, match="nothing at goals"):
        apply_patch(SCHEME_TEXT, "goals[9].weighting: 10%\n")
    with pytest.raises(ExampleError, match=r"\[7\] is not in it"):
        apply_patch(SCHEME_TEXT, "associates[7]: {code: 5NX}\n")
    with pytest.raises(ExampleError, match="E003"):
        apply_patch(SCHEME_TEXT, "rate: 1%\nrate: 2%\n")
    with pytest.raises(ExampleError, match="no key 'nothing'"):
        apply_patch(SCHEME_TEXT, "nothing: ~\n")


def test_the_worked_example_keeps_its_layout_and_comments():
    text = apply_patch(SCHEME_TEXT, "rate: 1%\n")
    assert text == SCHEME_TEXT.replace("\nrate: 0.5%\n", "\nrate: 1%\n")


def test_a_suppression_is_carried_to_the_line_it_changes():
    text = apply_patch(SCHEME_TEXT, "goals[0].weighting: 30%  # cquin: allow W404 -- a reason\n# not carried\n")
    assert "    weighting: 30%  # cquin: allow W404 -- a reason\n" in text
    assert "not carried" not in text


def test_an_example_of_several_files():
    parts = split_parts("# file: a.yaml\nrate: 1%\n---\n# file: b.achievement.yaml\nprovider: RXX\n")
    assert [p.file for p in parts] == ["a.yaml", "b.achievement.yaml"]
    files = example_files(
        "\n".join(["# file: a.yaml", "rate: 1%", "---", "# file: b.achievement.yaml", "provider: RXX"]),
        SCHEME_TEXT,
        ACHIEVEMENT_TEXT,
    )
    assert sorted(files) == sorted([SCHEME_FILE, ACHIEVEMENT_FILE, "a.yaml", "b.achievement.yaml"])
    assert files[SCHEME_FILE] == SCHEME_TEXT and "\nrate: 1%\n" in files["a.yaml"]
    assert "\nprovider: RXX\n" in files["b.achievement.yaml"]
    with pytest.raises(ExampleError, match="does not start with '# file: NAME'"):
        split_parts("rate: 1%\n---\nrate: 2%\n")


def test_the_format_shown_in_docs_applies_to_the_worked_example():
    from cquin_cli.report.rules_doc import EXAMPLES_INTRO

    shown = EXAMPLES_INTRO.split("```yaml\n")[1].split("```")[0]
    text = apply_patch(SCHEME_TEXT, shown)
    assert "\nrate: 1%\n" in text and "        direction: lower\n" in text
    assert "value: 58" not in text  # E1's baseline removed
    assert text.count("clinical_lead: true") == 1


def test_the_example_in_the_lint_docs_fails_as_it_says(tmp_path):
    shown = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8").split("```yaml\n")[1].split("```")[0]
    assert "W405" in shown
    assert "W405" in {d.code for d in diagnostics_of("W405", shown, tmp_path)}


def test_copy_of_starts_from_a_copy_of_another_place():
    text = apply_patch(SCHEME_TEXT, 'goals[0].indicators[1]: {copy_of: "goals[0].indicators[0]", number: S2, weighting: 10%}\n')
    values = check_text(text, SCHEME_FILE).values
    s1, s2 = values["goals"][0]["indicators"]
    assert (s2["number"], s2["weighting"], s2["name"]) == ("S2", "10%", s1["name"])
    assert s1["number"] == "S1" and s1["weighting"] == "30%"  # the original is left as it was
