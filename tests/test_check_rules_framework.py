"""Every rule of DOMAIN.md §3 fails on a fixture, with its code at the line a negotiator edits.

Each case edits the worked example (a valid scheme) in one place and marks the line the
finding must point at with ``# <-here``; the test asserts the code, the line and that no
other error is reported. Cases for every code the registry knows are required: a rule
without a failing fixture fails ``test_every_rule_has_a_failing_case``.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import WORKED_EXAMPLE

from cquin_cli.check.registry import all_rules

MARK = "# <-here"


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"fixture text not found: {old!r}"
    return text.replace(old, new, 1)


# code -> list of (old, new) replacements; the marked line is where the finding must be.
CASES: dict[str, list[tuple[str, str]]] = {
    "E101": [
        ("      - number: S1\n", f"      - number: S1  {MARK}\n"),
        ("        numerator: Adult admissions with a completed VTE risk assessment\n", ""),
    ],
    "E102": [
        (
            "        outcome_link: Risk assessment followed by prophylaxis reduces hospital-acquired VTE (NICE CG92).",
            f"        outcome_lnk: Risk assessment followed by prophylaxis reduces hospital-acquired VTE (NICE CG92).  {MARK}",
        )
    ],
    "E103": [
        ("baseline: {period: 2008/09 Q3, value: 55}", f"baseline: {{period: 2008/09 Q3, value: fifty-five}}  {MARK}(value)")
    ],
    "E104": [
        (
            "        direction: higher\n        milestones:\n          - {month: 6, target: 60}",
            f"        direction: up  {MARK}\n        milestones:\n          - {{month: 6, target: 60}}",
        )
    ],
    "E105": [
        ('  tariff_income: "180000000.00"   # including the Market Forces Factor', f"  tariff_income: 180000000.005  {MARK}")
    ],
    "E106": [("rate: 0.5%", f"rate: 0.005  {MARK}")],
    "E107": [("  date: 2009-03-20", f"  date: 2009-02-30  {MARK}")],
    "E108": [("          - {month: 9, target: 75}", f"          - {{month: 13, target: 75}}  {MARK}(month)")],
    "E109": [("  checkpoints: [6, 9, 12]", f"  checkpoints: [6, 9, 9, 12]  {MARK}")],
    "E111": [("  name: Northfield PCT", f'  name: "TODO: the PCT legal name"  {MARK}')],
    "E201": [("goals:\n", f"goals:  {MARK}\n"), ("    domain: innovation\n", "    domain: safety\n")],
    "E202": [("    domain: safety\n    weighting: 30%", f"    domain: safety\n    weighting: 35%  {MARK}")],
    "E204": [("rate: 0.5%", f"rate: 1%  {MARK}")],
    "W205": [("rate: 0.5%", f"rate: 0.6%  {MARK}\nrate_reason: An extra 0.1% agreed for the stroke pathway, funded by the PCT.")],
    "E206": [("    share: 10%", "    share: 15%"), ("  share: 70%", f"  share: 70%  {MARK}")],
    "E207": [("scheme_kind: full_scheme", f"scheme_kind: quality_improvement_plan  {MARK}")],
    "E208": [("payment:\n", f"payment:  {MARK}\n"), ("  on_account_share: 90%", "  on_account_share: 80%")],
    "W209": [("  date: 2009-03-20", f"  date: 2009-05-14  {MARK}")],
    "E210": [("      - number: E1\n", f"      - number: E1  {MARK}\n"), ("        baseline: {period: 2008/09, value: 58}\n", "")],
    "E211": [("          - {month: 9, target: 75}", f"          - {{month: 6, target: 75}}  {MARK}(month)")],
    "E212": [("          floor: 70", f"          floor: 95  {MARK}")],
    "E213": [("      - number: E1\n", f"      - number: S1  {MARK}\n")],
    "E214": [("financial_year: 2009/10", f"financial_year: 2008/09  {MARK}")],
    "E218": [("financial_year: 2009/10", f"financial_year: 2021/22  {MARK}")],
    "E220": [("financial_year: 2009/10", "financial_year: 2014/15"), ("rate: 0.5%", f"rate: 0.5%  {MARK}")],
    "W219": [
        ("  sector: acute", "  sector: independent_sector"),
        ("financial_year: 2009/10", f"financial_year: 2020/21  {MARK}"),
    ],
    "E222": [
        ("financial_year: 2009/10", "financial_year: 2022/23"),
        ("rate: 0.5%", "rate: 1.25%"),
        ("        weighting: 30%\n        kind: process", f"        weighting: 30%  {MARK}\n        kind: process"),
        ("  on_account_share: 90%", "  on_account_share: 100%"),  # paid in advance (E228)
    ],
    "E223": [
        ("financial_year: 2009/10", "financial_year: 2023/24"),
        ("rate: 0.5%", "rate: 1.25%"),
        ("  on_account_share: 90%", "  on_account_share: 100%"),  # funded up front (E228)
        ("contract_value:\n", f"contract_value:  {MARK}\n"),
        ('non_tariff_income: "20500000.00"', 'non_tariff_income: "0.00"'),
        ('tariff_income: "180000000.00"', 'tariff_income: "9000000.00"'),
    ],
    "W216": [("  code: RNF", f'  code: "RN\\u202eF"  {MARK}(@12)')],  # the escape's own column
    "E217": [
        ("  - number: 2\n", f"  - number: 2\n    continues: 2009/10 goal 2  {MARK}\n"),
    ],
    "E228": [
        ("financial_year: 2009/10", "financial_year: 2023/24"),
        ("rate: 0.5%", "rate: 1.25%"),
        ("payment:\n", f"payment:  {MARK}\n"),  # 90% on account in a year funded up front
    ],
    "E227": [("rate: 0.5%", f"rate: 0.5%\nbase_kind: actual_annual_value  {MARK}(base_kind)")],
    "E215": [
        ('  excluded_income: "500000.00"    # not financed by the English NHS', f'  excluded_income: "300000000.00"  {MARK}')
    ],
}

# Codes whose failing case needs more than one file or a broken file: tested elsewhere.
TESTED_ELSEWHERE = {
    "E203": "test_validate_cli.py::test_two_copies_of_a_scheme_name_both_files",
    "E221": "test_year_limits.py::test_at_most_five_national_indicators_in_2019_20 (needs six national indicators)",
    "E224": "test_rulebook_national.py::test_an_unknown_id_is_an_error_with_a_did_you_mean",
    "E225": "test_rulebook_national.py::test_a_2010_11_acute_scheme_without_its_national_goals_names_each_missing_id",
    "E226": "test_rulebook_national.py::test_staff_health_and_wellbeing_is_worth_at_least_three_quarters_of_a_percent_of_aav",
    "E110": "test_top_level_list_is_not_a_scheme",
    "E009": "test_a_crashing_rule_becomes_E009",
    "I001": "test_validate_cli.py::test_yaml_that_is_no_scheme_is_skipped_in_a_folder_but_checked_when_named",
    "E008": "no scheme can provoke it: it guards against a formatter bug (docs/pull-requests.md)",
    **{code: "test_unreadable_files" for code in ("E001", "E002", "E003", "E004", "E005", "E006", "W001")},
}


def marked_position(text: str) -> tuple[int, int]:
    """The marked line, and the column of its key (or of the word named in ``# <-here(word)``,
    or the column given in ``# <-here(@12)``)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if MARK in line:
            given = re.search(re.escape(MARK) + r"\(@(\d+)\)", line)
            if given:
                return number, int(given.group(1))
            hint = re.search(re.escape(MARK) + r"\((\w+)\)", line)
            if hint:
                return number, line.index(hint.group(1)) + 1
            stripped = line.lstrip()
            return number, len(line) - len(stripped) + 1 + (2 if stripped.startswith("- ") else 0)
    raise AssertionError("no marked line")


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails_at_the_marked_line(code, cquin, tmp_path, worked_example_text):
    text = worked_example_text
    for old, new in CASES[code]:
        text = edit(text, old, new)
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    line, column = marked_position(text)
    result = cquin("validate", str(scheme))
    found = re.findall(rf"^{re.escape(str(scheme))}:(\d+):(\d+): (error|warning) (\w+) ", result.stdout, re.M)
    assert (str(line), str(column)) in [(l, c) for l, c, _, k in found if k == code], result.stdout
    others = [k for _, _, severity, k in found if k != code and severity == "error"]
    assert not others, f"unexpected extra errors: {result.stdout}"
    assert result.exit_code == (1 if code.startswith("E") else 0)


def test_every_rule_has_a_failing_case():
    missing = [
        code
        for code in all_rules()
        if code not in CASES and code not in TESTED_ELSEWHERE and not all_rules()[code].lint_only and code[1] not in "345"
    ]
    assert not missing, f"rules with no failing fixture: {missing}"


def test_every_rule_is_documented_with_examples():
    for code, rule in all_rules().items():
        assert rule.doc.strip(), f"{code} has no documentation"
        assert rule.title and rule.source, f"{code} has no title or source"
        assert rule.passing.strip() and rule.failing.strip(), f"{code} has no passing/failing example"
        assert re.fullmatch(r"[EWI]\d{3}", code)


def test_explain_prints_documentation_and_examples(cquin):
    result = cquin("explain", "E202")
    assert result.exit_code == 0
    assert (
        "guidance ¶69" in result.stdout
        and "Passes (the worked example, changed as below):" in result.stdout
        and "Fails (" in result.stdout
    )
    assert cquin("explain", "E999").exit_code == 2


def test_rules_lists_every_code(cquin):
    listed = cquin("rules").stdout
    for code in all_rules():
        assert re.search(rf"^{code}\s", listed, re.M), code


def test_top_level_list_is_not_a_scheme(cquin, tmp_path):
    scheme = tmp_path / "list.yaml"
    scheme.write_text("- financial_year: 2009/10\n")
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert f"{scheme}:1:1: error E110 " in result.stdout


@pytest.mark.parametrize(
    "content, code, line, column",
    [
        (b"financial_year: 2009/10\nprovider:\n\tcode: RNF\n", "E002", 3, 1),
        (b"rate: 0.5%\nrate: 1.5%\n", "E003", 2, 1),
        (b"name: !!python/object/apply:os.system [echo hi]\n", "E004", 1, 7),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E005", 3, 1),
        (b"name: caf\xe9\n", "E005", 1, 10),
        (b"# nothing here\n", "E006", 1, 1),
    ],
)
def test_unreadable_files(content, code, line, column, cquin, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    result = cquin("validate", str(bad))
    assert result.exit_code == 1
    lines = [l for l in result.stdout.splitlines() if l.startswith(str(bad))]
    assert lines == [lines[0]] and lines[0].startswith(f"{bad}:{line}:{column}: error {code} "), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_byte_order_mark_is_a_warning(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "bom.yaml"
    scheme.write_bytes(b"\xef\xbb\xbf" + worked_example_text.encode())
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0
    assert f"{scheme}:1:1: warning W001 " in result.stdout


def test_a_crashing_rule_becomes_E009(cquin, monkeypatch):
    from cquin_cli.check import registry

    rules = registry.all_rules()
    broken = dataclasses.replace(rules["E202"], check=lambda scheme: 1 / 0)
    monkeypatch.setitem(rules, "E202", broken)
    result = cquin("validate", str(WORKED_EXAMPLE))
    assert result.exit_code == 1
    assert "error E009 rule E202 crashed: ZeroDivisionError" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_impossible_agreement_date_is_reported_once(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(edit(worked_example_text, "  date: 2009-03-20", "  date: 2009-02-30"))
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert " E107 " in result.stdout and " W209 " not in result.stdout


S1_LINEAR = "        partial_achievement:\n          rule: linear\n          floor: 70\n"


def _s1_bands(text: str, *bands: str) -> str:
    """The worked example with S1 (final value 90) paid by ``bands``, each a flow mapping line."""
    return edit(
        text,
        S1_LINEAR,
        "        partial_achievement:\n          rule: bands\n          bands:\n"
        + "".join(f"            - {b}\n" for b in bands),
    )


@pytest.mark.parametrize(
    "bands, words",
    [
        (("{from: 70, fraction: 50%}", f"{{from: 90, fraction: 80%}}  {MARK}(fraction)"), "the best band pays 80%, not 100%"),
        (
            ("{from: 70, fraction: 50%}", f"{{from: 88, fraction: 100%}}  {MARK}(from)"),
            "the band that pays 100% starts at 88, not at the final value 90",
        ),
    ],
)
def test_bands_need_a_100_percent_band_from_the_final_value(cquin, tmp_path, worked_example_text, bands, words):
    text = _s1_bands(worked_example_text, *bands)
    scheme = tmp_path / "bands.yaml"
    scheme.write_text(text)
    line, column = marked_position(text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    errors = [l for l in result.stdout.splitlines() if " error " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{scheme}:{line}:{column}: error E212 indicator S1: {words}"), result.stdout


def test_bands_ending_in_100_percent_at_the_final_value_pass(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "bands.yaml"
    scheme.write_text(
        _s1_bands(worked_example_text, "{from: 70, fraction: 50%}", "{from: 80, fraction: 75%}", "{from: 90, fraction: 100%}")
    )
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout
