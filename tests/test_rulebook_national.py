"""The national indicator library: stable ids by year and sector, minimum values, sources;
`national_indicator: <id>` validated (required goals present, minimum values met, unknown ids)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from test_rulebook import line_of, scheme_for, with_national_indicator
from test_year_limits import findings, write

from cquin_cli.rulebook import SECTORS, rulebook, sources
from cquin_cli.rulebook.national import ID_FORM, library, required, version

DOCUMENT = json.loads((ROOT / "cquin_cli" / "rulebook" / "national_indicators.json").read_text(encoding="utf-8"))


def test_the_library_is_versioned_with_stable_ids_years_sectors_and_sources():
    assert version() and DOCUMENT["version"] == version()
    table = sources()
    for ident, entry in DOCUMENT["indicators"].items():
        assert ID_FORM.match(ident), ident
        assert entry["name"] and entry["years"], ident
        for year, facts in entry["years"].items():
            assert year in rulebook(), f"{ident}: {year} is no year of the rulebook"
            assert set(facts) <= {"required_for", "minimum_value", "source"}, ident
            assert all(s in SECTORS for s in facts.get("required_for", [])), ident
            assert facts["source"] and all(item.split(" ", 1)[0].rstrip(":") in table for item in facts["source"]), ident


def test_what_the_sources_confirm_is_in_the_library():
    assert [e.id for e in required("2010/11", "acute")] == ["vte-risk-assessment", "patient-personal-needs"]
    assert [e.id for e in required("2011/12", "acute")] == ["vte-risk-assessment", "patient-personal-needs"]
    assert required("2010/11", "community") == []
    assert [e.id for e in required("2012/13", "ambulance")] == ["nhs-safety-thermometer"]
    sixteen = {i: e.years["2016/17"].minimum_value for i, e in library().items() if "2016/17" in e.years}
    assert {i: str(v) for i, v in sixteen.items()} == {
        "physical-health-smi": "0.25",
        "sepsis": "0.25",
        "staff-health-wellbeing": "0.75",
        "antimicrobial-resistance": "0.25",
    }
    assert len([e for e in library().values() if "2017/18" in e.years]) == 13


def test_a_2010_11_acute_scheme_without_its_national_goals_names_each_missing_id(cquin, tmp_path, worked_example_text):
    text = worked_example_text.replace("financial_year: 2009/10", "financial_year: 2010/11").replace("rate: 0.5%", "rate: 1.5%")
    text = text.replace("  date: 2009-03-20", "  date: 2010-03-20")
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    e224 = [f for f in findings(result, scheme) if f[3] == "E225"]
    assert [(f[0], f[1]) for f in e224] == [(line_of(text, "goals"), 1)] * 2, result.stdout
    assert (
        "national goal vte-risk-assessment (VTE risk assessment), which 2010/11 acute schemes must include (pulsetoday.co.uk/"
        in e224[1][4]
    )
    assert e224[1][4].endswith("add it, naming it with `national_indicator: vte-risk-assessment`")
    assert "patient-personal-needs" in e224[0][4]
    fixed = with_national_indicator(with_national_indicator(text, "S1", "vte-risk-assessment"), "X1", "patient-personal-needs")
    assert cquin("validate", str(write(tmp_path, fixed, "fixed.yaml"))).exit_code == 0
    community = text.replace("  sector: acute", "  sector: community")
    assert not [
        f for f in findings(cquin("validate", str(write(tmp_path, community, "c.yaml"))), tmp_path / "c.yaml") if f[3] == "E225"
    ]


def test_an_unknown_id_is_an_error_with_a_did_you_mean(cquin, tmp_path, worked_example_text):
    text = with_national_indicator(worked_example_text, "S1", "vte-risk-assesment")
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    line = next(n for n, ln in enumerate(text.splitlines(), start=1) if "national_indicator: vte-risk-assesment" in ln)
    assert [(f[0], f[1], f[3], f[4]) for f in findings(result, scheme)] == [
        (
            line,
            9,
            "E224",
            "indicator S1: vte-risk-assesment is not a national indicator of the library; did you mean vte-risk-assessment?",
        )
    ]


def test_an_established_name_is_not_judged_as_an_id(cquin, tmp_path, worked_example_text):
    text = with_national_indicator(worked_example_text, "S1", "VTE risk assessment (Operating Framework)")
    assert cquin("validate", str(write(tmp_path, text))).exit_code == 0


@pytest.mark.parametrize("number, weighting, fails", [("S1", "30%", False), ("X1", "20%", True)])
def test_staff_health_and_wellbeing_is_worth_at_least_three_quarters_of_a_percent_of_aav(
    number, weighting, fails, cquin, tmp_path, worked_example_text
):
    text = with_national_indicator(scheme_for("2016/17", worked_example_text), number, "staff-health-wellbeing")
    scheme = write(tmp_path, text)
    result = cquin("validate", str(scheme))
    if not fails:  # 2.5% x 30% = 0.75% exactly
        assert result.exit_code == 0, result.stdout
        return
    start = text.index(f"      - number: {number}\n")
    line = text[: text.index(f"        weighting: {weighting}\n", start)].count("\n") + 1
    assert result.exit_code == 1
    assert [(f[0], f[1], f[3]) for f in findings(result, scheme)] == [(line, 9, "E226")]
    message = findings(result, scheme)[0][4]
    assert message.startswith(
        "the national goal staff-health-wellbeing is worth 0.5% of the base (20% of a 2.5% scheme); "
        "in 2016/17 it is worth at least 0.75% (hfma.org.uk/articles/cquin-press-change;"
    )


def test_the_library_rules_are_documented(cquin):
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in ("E224", "E225", "E226"):
        assert f"## {code}" in text and cquin("explain", code).exit_code == 0
    assert re.search(r"national_indicators\.json", (ROOT / "docs" / "rulebook.md").read_text(encoding="utf-8"))
