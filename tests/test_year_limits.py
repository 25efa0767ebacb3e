"""Limits by year, as rule modules reading the rulebook's facts: each finding with its code and line.

At most five national indicators (2019/20) or five indicators equally weighted (2022/23);
contract-size eligibility (2022/23 above £30m unless within an ICS; 2023/24 £10m or more);
the four-domain rule an error only in 2009/10, a lint warning elsewhere; CQUIN suspended in
2020/21 (an error, a warning for a non-NHS provider paid in full), no scheme in 2021/22,
a pause proposed for 2024/25.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from test_rulebook import line_of, scheme_for

from cquin_cli.rulebook import rulebook


def findings(result, scheme) -> list[tuple[int, int, str, str, str]]:
    return [
        (int(line), int(column), severity, code, message)
        for line, column, severity, code, message in re.findall(
            rf"^{re.escape(str(scheme))}:(\d+):(\d+): (error|warning) (\w+) (.*)$", result.stdout, re.M
        )
    ]


def write(tmp_path, text: str, name: str = "scheme.yaml"):
    scheme = tmp_path / name
    scheme.write_text(text)
    return scheme


def goals_line(text: str) -> int:
    return line_of(text, "goals")


def indicator_weighting_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("        weighting: ")]


# --- at most five (national) indicators ------------------------------------------------


def with_extra_national_indicators(text: str, count: int) -> str:
    """``count`` more national indicators in the innovation goal (copies of I1 of 1% each,
    taken from I1's weighting, so every sum stays 100%)."""
    start = text.index("      - number: I1\n")
    block = text[start:]
    weight = re.search(r"        weighting: (\d+)%\n", block)
    assert weight
    i1 = block.replace(weight.group(0), f"        weighting: {int(weight.group(1)) - count}%\n")
    extra = "".join(
        block.replace("number: I1", f"number: N{n + 1}")
        .replace(weight.group(0), "        weighting: 1%\n")
        .replace("provenance: local", "provenance: national")
        for n in range(count)
    )
    return text[:start] + i1 + extra


def test_at_most_five_national_indicators_in_2019_20(cquin, tmp_path, worked_example_text):
    base = scheme_for("2019/20", worked_example_text)
    assert cquin("validate", str(write(tmp_path, with_extra_national_indicators(base, 2), "five.yaml"))).exit_code == 0
    text = with_extra_national_indicators(base, 3)  # 3 national in the example + 3 = 6
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1, result.stdout
    (found,) = [f for f in findings(result, scheme) if f[2] == "error"]
    assert found[:4] == (goals_line(text), 1, "error", "E221")
    assert found[4].startswith("the scheme has 6 national indicators; in 2019/20 a contract holds at most 5 (readkong.com/")


def test_the_same_six_national_indicators_are_no_error_in_a_year_without_the_limit(cquin, tmp_path, worked_example_text):
    text = with_extra_national_indicators(scheme_for("2012/13", worked_example_text), 3)
    assert cquin("validate", str(write(tmp_path, text))).exit_code == 0


def equal(text: str) -> str:
    return re.sub(r"weighting: (30|20)%", "weighting: 25%", text)


def test_at_most_five_indicators_in_2022_23(cquin, tmp_path, worked_example_text):
    text = with_extra_national_indicators(scheme_for("2022/23", worked_example_text), 2)  # six indicators
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    e220 = [f for f in findings(result, scheme) if f[3] == "E221"]
    assert [(f[0], f[1]) for f in e220] == [(goals_line(text), 1)], result.stdout
    assert e220[0][4].startswith("the scheme has 6 indicators; in 2022/23 a scheme holds at most 5 (hfma.org.uk/")


# --- equally weighted (2022/23) ------------------------------------------------------


def test_indicators_must_be_equally_weighted_in_2022_23(cquin, tmp_path, worked_example_text):
    assert cquin("validate", str(write(tmp_path, scheme_for("2022/23", worked_example_text), "equal.yaml"))).exit_code == 0
    text = worked_example_text.replace("financial_year: 2009/10", "financial_year: 2022/23")
    text = text.replace("rate: 0.5%", "rate: 1.25%").replace("date: 2009-03-20", "date: 2022-03-20")  # 30/30/20/20
    text = text.replace("on_account_share: 90%", "on_account_share: 100%")  # paid in advance (E228)
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    errors = [f for f in findings(result, scheme) if f[2] == "error"]
    assert [(f[0], f[1], f[3]) for f in errors] == [(line, 9, "E222") for line in indicator_weighting_lines(text)]
    assert errors[0][4].startswith(
        "indicator S1 is weighted 30%; in 2022/23 the indicators are equally weighted, so each of the 4 is 25% of the scheme (hfma.org.uk/"
    )


def test_three_equal_indicators_may_differ_by_a_penny_of_a_percent():
    from cquin_cli.check.pipeline import check_text
    from cquin_cli.check.rules.e222_equal_weighting import check

    text = (ROOT / "sample_schemes" / "worked-example" / "northfield-acute-2009-10.yaml").read_text(encoding="utf-8")
    text = scheme_for("2022/23", text)
    cut = text.index("  - number: 4\n")
    three = text[:cut].replace("weighting: 25%", "weighting: 33.33%").replace("weighting: 33.33%", "weighting: 33.34%", 2)
    scheme = check_text(three, "three.yaml").scheme
    assert scheme is not None
    assert [list(check(scheme))] == [[]]
    off = three.replace("weighting: 33.34%", "weighting: 33.32%", 2).replace("weighting: 33.33%", "weighting: 33.36%", 2)
    scheme = check_text(off, "off.yaml").scheme
    assert scheme is not None and [(f.code, f.path[1]) for f in check(scheme)] == [
        ("E222", 0),
        ("E222", 1),
    ]  # S1 and E1; X1 33.33% is equal


# --- contract-size eligibility -------------------------------------------------------


def sized(text: str, tariff: str, ics: str | None = None) -> str:
    text = (
        text.replace('tariff_income: "180000000.00"', f'tariff_income: "{tariff}"')
        .replace('non_tariff_income: "20500000.00"', 'non_tariff_income: "0.00"')
        .replace('excluded_income: "500000.00"', 'excluded_income: "0.00"')
    )
    if ics:
        text = text.replace("rate: ", f"integrated_care_system: {ics}\nrate: ", 1)
    return text


@pytest.mark.parametrize(
    "year, tariff, ics, fails",
    [
        ("2022/23", "30000000.01", None, False),
        ("2022/23", "30000000.00", None, True),  # above £30m: exactly £30m is not above
        ("2022/23", "12000000.00", "Humber and North Yorkshire ICS", False),
        ("2023/24", "10000000.00", None, False),  # £10m or more
        ("2023/24", "9999999.99", None, True),
        ("2023/24", "9999999.99", "Humber and North Yorkshire ICS", True),  # no ICS exception in 2023/24
        ("2019/20", "1000000.00", None, False),  # no source gives a threshold before 2022/23
    ],
)
def test_contract_size_eligibility(year, tariff, ics, fails, cquin, tmp_path, worked_example_text):
    text = sized(scheme_for(year, worked_example_text), tariff, ics)
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    errors = [f for f in findings(result, scheme) if f[2] == "error"]
    if not fails:
        assert result.exit_code == 0 and not errors, result.stdout
        return
    assert result.exit_code == 1
    assert [(f[0], f[1], f[3]) for f in errors] == [(line_of(text, "contract_value"), 1, "E223")]


def test_the_eligibility_findings_say_the_threshold_and_its_source(cquin, tmp_path, worked_example_text):
    scheme = write(tmp_path, sized(scheme_for("2022/23", worked_example_text), "20000000.00"))
    message = findings(cquin("validate", str(scheme)), scheme)[0][4]
    assert message == (
        "the contract's value is £20,000,000.00: in 2022/23 CQUIN applies to contracts above £30,000,000.00 "
        f"({rulebook()['2022/23'].source('contract_value_above')}) and to trust contracts within an integrated care system "
        f"({rulebook()['2022/23'].source('eligible_within_ics')}); this contract names no integrated care system (`integrated_care_system`)"
    )
    scheme = write(tmp_path, sized(scheme_for("2023/24", worked_example_text), "9000000.00"))
    message = findings(cquin("validate", str(scheme)), scheme)[0][4]
    assert message.startswith(
        "the contract's value is £9,000,000.00: in 2023/24 CQUIN applies to contracts of £10,000,000.00 or more ("
    )


# --- the four-domain rule -------------------------------------------------------------


def no_innovation(text: str) -> str:
    cut = text.index("  - number: 4\n")
    return (
        text[:cut].replace("weighting: 20%", "weighting: 40%", 1).replace("        weighting: 20%", "        weighting: 40%", 1)
    )


def test_four_domains_is_an_error_in_2009_10(cquin, tmp_path, worked_example_text):
    text = no_innovation(worked_example_text)
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert [(f[0], f[3]) for f in findings(result, scheme)] == [(goals_line(text), "E201")], result.stdout


@pytest.mark.parametrize("year", ["2010/11", "2012/13", "2016/17", "2023/24"])
def test_four_domains_is_a_lint_warning_elsewhere(year, cquin, tmp_path, worked_example_text):
    text = no_innovation(scheme_for(year, worked_example_text))
    scheme = write(tmp_path, text)
    assert cquin("validate", str(scheme)).exit_code == 0
    result = cquin("lint", str(scheme))
    w415 = [f for f in findings(result, scheme) if f[3] == "W415"]
    assert [(f[0], f[1], f[2]) for f in w415] == [(goals_line(text), 1, "warning")], result.stdout
    assert w415[0][4].startswith("no indicator in the innovation domain;")
    assert not [f for f in findings(result, scheme) if f[2] == "error"]


def test_the_schema_requires_every_domain_in_exactly_the_rulebook_years():
    schema = json.loads((ROOT / "schemas" / "scheme.schema.json").read_text(encoding="utf-8"))
    four = next(part for part in schema["allOf"] if "financial_year" in part["if"]["properties"])
    assert four["if"]["properties"]["financial_year"]["enum"] == [
        y for y, facts in rulebook().items() if facts.get("four_domains_required")
    ]
    assert len(four["then"]["properties"]["goals"]["allOf"]) == 4


# --- suspended, no scheme, paused ------------------------------------------------------


def test_2020_21_is_an_error_citing_the_suspension(cquin, tmp_path, worked_example_text):
    text = scheme_for("2020/21", worked_example_text)
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    (found,) = findings(result, scheme)
    assert found[:4] == (line_of(text, "financial_year"), 1, "error", "E218")
    assert "CQUIN was suspended in 2020/21" in found[4] and "england.nhs.uk/nhs-standard-contract/cquin/cquin-20-21/" in found[4]


def test_2020_21_is_a_warning_for_a_non_nhs_provider_paid_in_full(cquin, tmp_path, worked_example_text):
    text = scheme_for("2020/21", worked_example_text).replace("  sector: acute", "  sector: independent_sector")
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout
    w218 = [f for f in findings(result, scheme) if f[3] == "W219"]
    assert [(f[0], f[1], f[2]) for f in w218] == [(line_of(text, "financial_year"), 1, "warning")]
    assert "non-NHS providers were paid their CQUIN in full" in w218[0][4]


def test_2021_22_had_no_scheme_and_2024_25_a_pause_proposed(cquin, tmp_path, worked_example_text):
    for year, words in (
        ("2021/22", "there was no CQUIN scheme in 2021/22"),
        ("2024/25", "CQUIN in 2024/25: a pause proposed (not confirmed)"),
    ):
        text = scheme_for(year, worked_example_text).replace("  sector: acute", "  sector: independent_sector")
        scheme = write(tmp_path, text)
        result = cquin("validate", str(scheme))
        assert result.exit_code == 1
        (found,) = findings(result, scheme)
        assert found[2:4] == ("error", "E218") and words in found[4]


def test_every_year_limit_is_documented(cquin):
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in ("E218", "W219", "E220", "E221", "E222", "E223", "W415", "E506"):
        assert f"## {code}" in text
        assert cquin("explain", code).exit_code == 0
