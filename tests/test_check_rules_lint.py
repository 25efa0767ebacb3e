"""Each design-quality rule (DOMAIN.md §6) fires on a failing fixture at the line to edit, and not on a passing one.

Fixtures are the worked example (sample_schemes/worked-example) edited in tmp_path,
so each case shows the one change a negotiator would make.
"""

from __future__ import annotations

import re

import pytest

LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+) (?P<code>[EWI]\d{3}) ", re.M)


def findings(output: str, code: str) -> list[tuple[str, int]]:
    return [(m["file"], int(m["line"])) for m in LINE.finditer(output) if m["code"] == code]


def line_of(text: str, needle: str, start: str | None = None) -> int:
    """1-based line of the first ``needle`` at or after the line holding ``start``."""
    offset = text.index(start) if start else 0
    return text[: text.index(needle, offset)].count("\n") + 1


@pytest.fixture
def worked_example_text(worked_example_text):
    """The worked example without its `# cquin:` suppressions: the fixtures add their own."""
    return re.sub(r"  # cquin:.*", "", worked_example_text)


@pytest.fixture
def lint(cquin, tmp_path):
    def run(text: str, name: str = "scheme.yaml", *args: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path, cquin("lint", *args, str(path))

    return run


def without_x1_all_or_nothing(text: str) -> str:
    """The worked example with X1 paid linearly, so it is clean of W401."""
    at = text.index("      - number: X1")
    head, tail = text[:at], text[at:]
    return head + tail.replace("rule: all_or_nothing", "rule: linear\n          floor: 72", 1)


def test_worked_example_is_clean_but_for_x1(lint, worked_example_text):
    path, result = lint(without_x1_all_or_nothing(worked_example_text))
    assert result.exit_code == 0, result.stdout
    assert "no problems" in result.stdout


def test_w401_all_or_nothing(lint, worked_example_text):
    path, result = lint(worked_example_text)
    # E1 is all-or-nothing at year end but its milestones carry floors: not reported.
    assert findings(result.stdout, "W401") == [(str(path), line_of(worked_example_text, "rule: all_or_nothing", "- number: X1"))]
    assert result.exit_code == 0  # warnings do not fail without --strict
    _, passing = lint(without_x1_all_or_nothing(worked_example_text))
    assert findings(passing.stdout, "W401") == []


def test_w402_target_no_better_than_baseline(lint, worked_example_text):
    text = worked_example_text.replace("final: {period: 2009 survey, value: 75}", "final: {period: 2009 survey, value: 71}")
    path, result = lint(text)
    assert findings(result.stdout, "W402") == [(str(path), line_of(text, "final: {period: 2009 survey"))]
    assert "the same as the baseline 71" in result.stdout
    assert findings(lint(worked_example_text)[1].stdout, "W402") == []


def test_w403_too_many_indicators(lint, worked_example_text):
    goal = worked_example_text[worked_example_text.index("  - number: 3\n") : worked_example_text.index("  - number: 4\n")]
    extra = "".join(
        goal.replace("number: 3\n", f"number: {n}\n")
        .replace("number: X1", f"number: X{n}")
        .replace("weighting: 20%", "weighting: 0.5%")
        for n in range(5, 12)
    )
    text = worked_example_text.replace(
        "weighting: 20%\n    indicators:\n      - number: I1", "weighting: 16.5%\n    indicators:\n      - number: I1"
    )
    text = (
        text.replace(
            "        weighting: 20%\n        kind: innovation_milestone",
            "        weighting: 16.5%\n        kind: innovation_milestone",
        )
        + extra
    )
    path, result = lint(text)
    assert "E202" not in result.stdout, result.stdout
    assert findings(result.stdout, "W403") == [(str(path), line_of(text, "goals:"))]
    assert "11 indicators, more than 10" in result.stdout
    assert findings(lint(worked_example_text)[1].stdout, "W403") == []


def test_w404_indicator_worth_too_little(lint, worked_example_text):
    text = worked_example_text.replace('tariff_income: "180000000.00"', 'tariff_income: "1000000.00"').replace(
        'non_tariff_income: "20500000.00"', 'non_tariff_income: "1000000.00"'
    )  # base £1,500,000.00, pot £7,500.00
    path, result = lint(text)
    s1_weighting = line_of(text, "        weighting: 30%", "- number: S1")
    assert (str(path), s1_weighting) in findings(result.stdout, "W404")
    assert len(findings(result.stdout, "W404")) == 4
    assert "indicator S1 (VTE risk assessment) is worth £2,250.00 (30% of £7,500.00), less than £10,000.00" in result.stdout
    assert findings(lint(worked_example_text)[1].stdout, "W404") == []


def test_w405_process_indicator_without_outcome_link(lint, worked_example_text):
    text = re.sub(r"        outcome_link: Risk assessment.*\n", "", worked_example_text)
    path, result = lint(text)
    assert findings(result.stdout, "W405") == [(str(path), line_of(text, "- number: S1"))]
    assert findings(lint(worked_example_text)[1].stdout, "W405") == []


def test_w406_no_national_or_regional_indicator(lint, worked_example_text):
    text = worked_example_text.replace("provenance: national", "provenance: local")
    path, result = lint(text)
    assert findings(result.stdout, "W406") == [(str(path), line_of(text, "goals:"))]
    regional = worked_example_text.replace("provenance: national", "provenance: local").replace(
        "provenance: local", "provenance: regional", 1
    )
    assert findings(lint(regional)[1].stdout, "W406") == []


def test_w407_no_patient_reported_measure(lint, worked_example_text):
    text = worked_example_text.replace("kind: patient_experience", "kind: outcome")
    path, result = lint(text)
    assert findings(result.stdout, "W407") == [(str(path), line_of(text, "goals:"))]
    proms = worked_example_text.replace("kind: patient_experience", "kind: patient_reported_outcome")
    assert findings(lint(proms)[1].stdout, "W407") == []


def test_w408_lower_count_of_reported_incidents(lint, worked_example_text):
    at = worked_example_text.index("      - number: X1")
    x1 = worked_example_text[at:]
    x1 = (
        x1.replace("name: Inpatient survey score", "name: Reported patient safety incidents", 1)
        .replace("direction: higher", "direction: lower", 1)
        .replace("kind: patient_experience", "kind: outcome", 1)
        .replace("value: 71}", "value: 80}", 1)
    )
    text = worked_example_text[:at] + x1
    path, result = lint(text)
    assert findings(result.stdout, "W408") == [(str(path), line_of(text, "direction: lower"))]
    assert "'Reported'" in result.stdout
    # The same lower-is-better count that is not self-reported is not flagged.
    text = text.replace("name: Reported patient safety incidents", "name: Hospital-acquired MRSA bacteraemia")
    assert findings(lint(text)[1].stdout, "W408") == []


def test_w409_no_clinical_agreement(lint, worked_example_text):
    text = worked_example_text.replace("      clinical_lead: true\n", "")
    path, result = lint(text)
    assert findings(result.stdout, "W409") == [(str(path), line_of(text, "agreement:"))]
    # A clinical lead for the provider only: reported at `signatories`, naming the missing side.
    one_side = worked_example_text.replace(
        "      organisation: Northfield PCT\n      clinical_lead: true\n", "      organisation: Northfield PCT\n"
    )
    path, result = lint(one_side)
    assert findings(result.stdout, "W409") == [(str(path), line_of(one_side, "signatories:"))]
    assert "no clinical lead signed for a commissioner" in result.stdout
    assert findings(lint(worked_example_text)[1].stdout, "W409") == []


def test_w409_option_accepts_one_side(lint, worked_example_text, tmp_path):
    (tmp_path / ".cquin.toml").write_text("[options.W409]\nclinical_lead_from_both = false\n")
    one_side = worked_example_text.replace(
        "      organisation: Northfield PCT\n      clinical_lead: true\n", "      organisation: Northfield PCT\n"
    )
    _, result = lint(one_side)
    assert findings(result.stdout, "W409") == []


def test_w410_no_equality_consideration(lint, worked_example_text):
    text = re.sub(r"equality: >-\n(  .*\n)+", "", worked_example_text)
    path, result = lint(text)
    assert findings(result.stdout, "W410") == [(str(path), line_of(text, "financial_year:"))]
    # An equality statement on one indicator is a consideration.
    per_indicator = text.replace(
        "        provenance: local\n", "        provenance: local\n        equality: Devices offer large-print and audio.\n"
    )
    assert findings(lint(per_indicator)[1].stdout, "W410") == []


def test_w411_innovation_goal_without_adoption_milestone(lint, worked_example_text):
    at = worked_example_text.index("        milestones:\n          - {month: 6, description:")
    end = worked_example_text.index("        partial_achievement:\n          rule: milestone")
    text = worked_example_text[:at] + worked_example_text[end:]
    path, result = lint(text)
    assert findings(result.stdout, "W411") == [(str(path), line_of(text, "  - number: 4"))]
    assert "has no in-year milestones" in result.stdout
    assert findings(lint(worked_example_text)[1].stdout, "W411") == []


def test_w412_contractual_requirement(lint, worked_example_text):
    text = worked_example_text.replace(
        "        provenance: national\n", "        provenance: national\n        contractual_requirement: true\n", 1
    )
    path, result = lint(text)
    assert findings(result.stdout, "W412") == [(str(path), line_of(text, "contractual_requirement: true"))]
    assert findings(lint(worked_example_text)[1].stdout, "W412") == []


def _other_provider(text: str, code: str = "RNX") -> str:
    return (
        text.replace("code: RNF", f"code: {code}")
        .replace("name: Northfield Hospitals NHS Trust", "name: Northfield Community Trust")
        .replace("organisation: Northfield Hospitals NHS Trust", "organisation: Northfield Community Trust")
    )


def test_w413_unequal_stretch_between_providers(cquin, tmp_path, worked_example_text):
    acute = tmp_path / "acute.yaml"
    acute.write_text(worked_example_text)
    easy = _other_provider(worked_example_text)
    easy = easy.replace("value: 90}", "value: 56}").replace(
        "final: {period: 2009/10 Q4, value: 80}", "final: {period: 2009/10 Q4, value: 59}"
    )
    easy = easy.replace("value: 75}", "value: 72}")
    community = tmp_path / "community.yaml"
    community.write_text(easy)
    result = cquin("lint", str(tmp_path))
    assert findings(result.stdout, "W413") == [(str(community), line_of(easy, "goals:"))]
    assert f"see also {acute}:{line_of(worked_example_text, 'goals:')}:1" in result.stdout
    assert "is 1.7%, against 35.7% for Northfield Hospitals NHS Trust" in result.stdout
    # The same stretch for both providers: nothing to report.
    community.write_text(_other_provider(worked_example_text))
    assert findings(cquin("lint", str(tmp_path)).stdout, "W413") == []


def test_w413_ratio_is_configurable(cquin, tmp_path, worked_example_text):
    (tmp_path / "acute.yaml").write_text(worked_example_text)
    (tmp_path / "community.yaml").write_text(_other_provider(worked_example_text).replace("value: 90}", "value: 75}"))
    assert findings(cquin("lint", str(tmp_path)).stdout, "W413") == []  # 26.6% against 35.7%: within 2 times
    (tmp_path / ".cquin.toml").write_text("[options.W413]\nmax_ratio = 1.2\n")
    assert len(findings(cquin("lint", str(tmp_path)).stdout, "W413")) == 1


def test_w414_same_indicator_paid_by_pct_and_scg(cquin, tmp_path, worked_example_text):
    pct = tmp_path / "pct.yaml"
    pct.write_text(worked_example_text)
    scg_text = worked_example_text.replace("commissioning_route: pct", "commissioning_route: specialised_commissioning_group")
    scg = tmp_path / "scg.yaml"
    scg.write_text(scg_text)
    result = cquin("lint", str(tmp_path))
    w414 = findings(result.stdout, "W414")
    assert (str(pct), line_of(worked_example_text, "- number: S1")) in w414
    assert (str(scg), line_of(scg_text, "- number: S1")) in w414
    assert len(w414) == 8  # four indicators, each reported in both files
    # Different indicators: nothing paid twice.
    renamed = scg_text
    for name in (
        "VTE risk assessment",
        "Stroke patients scanned within 3 hours",
        "Inpatient survey score",
        "Real-time feedback roll-out",
    ):
        renamed = renamed.replace(f"name: {name}", f"name: Specialised {name}")
    scg.write_text(renamed)
    assert findings(cquin("lint", str(tmp_path)).stdout, "W414") == []
    # ... unless both record the same national indicator.
    tag = "        provenance: national\n"
    pct.write_text(
        worked_example_text.replace(tag, tag + "        national_indicator: VTE risk assessment (Operating Framework)\n", 1)
    )
    scg.write_text(renamed.replace(tag, tag + "        national_indicator: vte risk assessment, operating framework\n", 1))
    assert len(findings(cquin("lint", str(tmp_path)).stdout, "W414")) == 2


def test_every_lint_rule_is_documented(cquin):
    from cquin_cli.check.registry import all_rules

    lint_rules = [r for r in all_rules().values() if r.lint_only]
    assert [r.code for r in lint_rules] == [f"W4{n:02d}" for n in range(1, 16)]
    for r in lint_rules:
        assert r.doc and r.passing and r.failing and r.source
        explained = cquin("explain", r.code)
        assert explained.exit_code == 0 and r.title in explained.stdout
        for name in r.options:
            assert name in r.doc and name in explained.stdout
