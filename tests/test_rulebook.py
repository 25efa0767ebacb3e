"""The rulebook: one entry per year 2009/10-2024/25, only confirmed facts, each with its source.

A scheme for every year either validates or gets one finding that says what the rulebook
lacks and how to supply it with a source; `cquin rules --year` prints a year's facts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from cquin_cli.rulebook import FACTS, fact_problem, rulebook
from cquin_cli.rulebook.national import required

YEARS = [f"{y}/{(y + 1) % 100:02d}" for y in range(2009, 2025)]
DOCUMENT = json.loads((ROOT / "cquin_cli" / "rulebook" / "rulebook.json").read_text(encoding="utf-8"))


def test_every_year_of_cquin_has_an_entry_in_order():
    assert list(rulebook()) == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_every_fact_is_known_well_formed_and_sourced(year):
    sources = DOCUMENT["sources"]
    for name, fact in DOCUMENT["years"][year].items():
        assert name in FACTS, f"{year}: unknown fact {name}"
        assert set(fact) == {"value", "source"}, f"{year} {name}"
        assert fact_problem(name, fact["value"]) is None, f"{year} {name}: {fact['value']!r}"
        assert fact["source"], f"{year} {name} has no source"
        for item in fact["source"]:
            key = item.split(" ", 1)[0].rstrip(":")
            assert key in sources, f"{year} {name}: source {item!r} is not in the sources table"
        assert rulebook()[year].source(name)  # in words


# RULEBOOK: facts no source confirms are absent, not guessed.
UNCONFIRMED_RATE = ["2011/12", "2014/15", "2017/18", "2018/19", "2020/21", "2021/22", "2024/25"]


@pytest.mark.parametrize("year", UNCONFIRMED_RATE)
def test_an_unconfirmed_rate_is_absent(year):
    assert "rate" not in rulebook()[year].facts


def test_what_the_sources_confirm_is_there():
    books = rulebook()
    assert [
        books[y].get("rate") for y in ("2009/10", "2010/11", "2012/13", "2013/14", "2016/17", "2019/20", "2022/23", "2023/24")
    ] == [
        "0.5%",
        "1.5%",
        "2.5%",
        "2.5%",
        "2.5%",
        "1.25%",
        "1.25%",
        "1.25%",
    ]
    assert books["2015/16"].get("maximum_rate") == "2.5%" and not books["2015/16"].has("rate")
    assert books["2017/18"].get("risk_reserve") == "0.5%" and books["2018/19"].get("stp_engagement") == "0.5%"
    assert [books[y].status for y in ("2020/21", "2021/22", "2024/25")] == ["suspended", "no_scheme", "pause_proposed"]
    assert books["2022/23"].get("contract_value_above") == "30000000.00" and books["2022/23"].get("eligible_within_ics")
    assert books["2023/24"].get("contract_value_at_least") == "10000000.00"
    assert books["2016/17"].get("base").startswith("actual annual value (AAV)")
    # not confirmed: whether 2009/10 had national goals, the 2017-19 total, how the reserve was released
    assert not books["2009/10"].has("national_goals")
    assert all(not books[y].has("rate") for y in ("2017/18", "2018/19"))


def test_no_year_is_decided_in_code():
    """A year is data plus named mechanics: no `if year == ...` (nor a year literal compared) in the code."""
    pattern = re.compile(r"""(==|!=|\bin\b)\s*\(?\s*["']20\d\d/\d\d["']|["']20\d\d/\d\d["']\s*(==|!=)""")
    offenders = []
    for path in (ROOT / "cquin_cli").rglob("*.py"):
        if path.name == "compiled_schemas.py":  # generated from the schema's year enum (data), not written
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line) or re.search(r"""financial_year\s*(==|!=)\s*["']""", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_rules_prints_a_years_facts_with_their_sources(cquin):
    result = cquin("rules", "--year", "2016/17")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("CQUIN 2016/17: in force\n")
    assert "national rate: 2.5%\n  source: hfma.org.uk/articles/cquin-press-change;" in text
    assert "base the rate applies to: actual annual value (AAV)" in text
    assert "staff health and wellbeing (at least 0.75% of AAV" in text
    assert "england.nhs.uk/nhs-standard-contract/cquin/cquin-16-17/" in text
    assert "A fact not listed is not confirmed" in text


def test_rules_for_a_year_without_a_rate_lists_no_rate(cquin):
    text = cquin("rules", "--year", "2017/18").stdout
    assert "national rate" not in text
    assert "risk reserve held back: 0.5%" in text and "about £270m" in text


def test_rules_for_an_unknown_year_exits_2(cquin):
    result = cquin("rules", "--year", "2031/32")
    assert result.exit_code == 2
    assert "the rulebook has no entry for '2031/32'" in result.stderr and "2009/10 to 2024/25" in result.stderr


# --- a scheme for every year ----------------------------------------------------------


def scheme_for(year: str, text: str, rate: str | None = None) -> str:
    """The worked example moved to ``year``: its rate the year's (or ``rate``), agreed by
    31 March before the year, and, where the year requires it, equally weighted and paid in advance."""
    facts = rulebook()[year]
    start = int(year[:4])
    rate = rate or facts.get("rate") or facts.get("maximum_rate") or "1.5%"
    text = text.replace("financial_year: 2009/10", f"financial_year: {year}")
    text = text.replace("rate: 0.5%", f"rate: {rate}")
    text = text.replace("  date: 2009-03-20", f"  date: {start}-03-20")
    if facts.get("equally_weighted_indicators"):
        text = re.sub(r"weighting: (30|20)%", "weighting: 25%", text)
    if facts.payment_mode.in_advance:  # the whole value paid in advance (E228)
        text = text.replace("  on_account_share: 90%", "  on_account_share: 100%")
    for entry in required(year, "acute"):  # the year's required national goals, on the example's indicators
        text = with_national_indicator(text, IMPLEMENTED_BY[entry.id], entry.id)
    return text


# Which of the worked example's indicators implements each required national goal.
IMPLEMENTED_BY = {"vte-risk-assessment": "S1", "patient-personal-needs": "X1", "nhs-safety-thermometer": "S1"}


def with_national_indicator(text: str, number: str, ident: str) -> str:
    """Indicator ``number`` of the worked example names the national indicator ``ident``."""
    start = text.index(f"      - number: {number}\n")
    at = text.index("        provenance: ", start)
    end = text.index("\n", at) + 1
    return text[:end] + f"        national_indicator: {ident}\n" + text[end:]


# The one finding a year's scheme gets (none: it validates), and what its message must say.
EXPECTED = {
    "2011/12": ("E220", "rate", ["no confirmed national rate for 2011/12", "`rate_source`", "local rulebook", "`source`"]),
    "2014/15": ("E220", "rate", ["no confirmed national rate for 2014/15", "`rate_source`", "local rulebook"]),
    "2017/18": ("E220", "rate", ["no confirmed national rate for 2017/18", "`rate_source`", "local rulebook"]),
    "2018/19": ("E220", "rate", ["no confirmed national rate for 2018/19", "`rate_source`", "local rulebook"]),
    "2020/21": ("E218", "financial_year", ["CQUIN was suspended in 2020/21", "cquin-20-21", "block payments"]),
    "2021/22": ("E218", "financial_year", ["there was no CQUIN scheme in 2021/22", "block payments deemed to include CQUIN"]),
    "2024/25": (
        "E218",
        "financial_year",
        ["CQUIN in 2024/25: a pause proposed (not confirmed)", "no source confirms", "local rulebook", "`source`"],
    ),
}


def line_of(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(f"{key}:"))


@pytest.mark.parametrize("year", YEARS)
def test_a_scheme_for_every_year_validates_or_gets_one_finding(year, cquin, tmp_path, worked_example_text):
    text = scheme_for(year, worked_example_text)
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    result = cquin("validate", str(scheme))
    errors = re.findall(rf"^{re.escape(str(scheme))}:(\d+):(\d+): error (\w+) (.*)$", result.stdout, re.M)
    if year not in EXPECTED:
        assert result.exit_code == 0 and not errors, result.stdout
        return
    code, key, words = EXPECTED[year]
    assert result.exit_code == 1
    assert len(errors) == 1, result.stdout
    line, column, found, message = errors[0]
    assert (found, int(line), int(column)) == (code, line_of(text, key), 1)
    for word in words:
        assert word in message, message


def test_a_rate_with_its_own_source_validates(cquin, tmp_path, worked_example_text):
    text = scheme_for("2017/18", worked_example_text, rate="2%")
    text = text.replace("rate: 2%", "rate: 2%\nrate_source: the provider's 2017/18 contract, Schedule 3 Part 4C (2.0%)")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout


def test_a_rate_above_the_years_ceiling_is_e204(cquin, tmp_path, worked_example_text):
    text = scheme_for("2015/16", worked_example_text, rate="3%")
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert re.search(
        rf"{re.escape(str(scheme))}:{line_of(text, 'rate')}:1: error E204 the rate is 3% but the rate for 2015/16 is at most 2.5% \(hsj.co.uk/5083047.article",
        result.stdout,
    ), result.stdout
    below = tmp_path / "below.yaml"
    below.write_text(scheme_for("2015/16", worked_example_text, rate="2%"))
    assert cquin("validate", str(below)).exit_code == 0


def test_new_refuses_a_year_with_no_confirmed_rate_or_no_scheme(cquin):
    result = cquin("new", "--provider", "RNF", "--year", "2017/18")
    assert result.exit_code == 2 and "no confirmed national rate for 2017/18" in result.stderr
    result = cquin("new", "--provider", "RNF", "--year", "2021/22")
    assert result.exit_code == 2 and "does not confirm that CQUIN ran in 2021/22" in result.stderr


def test_the_shipped_json_is_what_the_loader_reads():
    path = Path(ROOT / "cquin_cli" / "rulebook" / "rulebook.json")
    assert json.loads(path.read_text(encoding="utf-8"))["years"].keys() == rulebook().keys()


# --- a local rulebook ----------------------------------------------------------------

OPERATING_FRAMEWORK = "The Operating Framework for the NHS in England 2011/12, paragraph 4.31"


def local_repo(tmp_path: Path, worked_example_text: str, rulebook_text: str, *, config: str = ".cquin.toml") -> Path:
    """A repository folder with a 2011/12 scheme and a local rulebook named by its configuration."""
    (tmp_path / ".git").mkdir()
    if config == ".cquin.toml":
        (tmp_path / ".cquin.toml").write_text('rulebook = "rules/local.yaml"\n')
    else:
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "schemes"\n\n[tool.cquin]\nrulebook = "rules/local.yaml"\n')
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "local.yaml").write_text(rulebook_text)
    (tmp_path / "schemes").mkdir()
    scheme = tmp_path / "schemes" / "rnf-2011-12.yaml"
    scheme.write_text(scheme_for("2011/12", worked_example_text))
    return scheme


RATE_2011 = f"years:\n  2011/12:\n    rate:\n      value: 1.5%\n      source: {OPERATING_FRAMEWORK}\n"


@pytest.mark.parametrize("config", [".cquin.toml", "pyproject.toml"])
def test_a_local_rulebook_supplies_a_rate_with_its_source(config, cquin, tmp_path, worked_example_text):
    scheme = local_repo(tmp_path, worked_example_text, RATE_2011, config=config)
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout
    priced = cquin("price", str(scheme))
    assert priced.exit_code == 0, priced.stderr
    assert f"Rate: the national rate for 2011/12 (local rulebook rules/local.yaml: {OPERATING_FRAMEWORK})" in priced.stdout
    doc = json.loads(cquin("price", str(scheme), "--format", "json").stdout)
    assert OPERATING_FRAMEWORK in doc["schemes"][0]["rate_source"]


def test_a_local_rate_is_checked_like_the_shipped_one(cquin, tmp_path, worked_example_text):
    scheme = local_repo(tmp_path, worked_example_text, RATE_2011.replace("1.5%", "2%"))
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    rate_line = line_of(scheme.read_text(), "rate")
    assert re.search(
        rf"{re.escape(str(scheme))}:{rate_line}:1: error E204 the rate is 1.5% but the national rate for 2011/12 is 2% "
        rf"\(local rulebook rules/local.yaml: {re.escape(OPERATING_FRAMEWORK)}\)",
        result.stdout,
    ), result.stdout


def test_a_local_rulebook_overrides_a_shipped_fact(cquin, tmp_path, worked_example_text):
    override = "years:\n  2024/25:\n    status: {value: in_force, source: 'NHS England, CQUIN 2024/25 decision letter'}\n    rate: {value: 1.25%, source: the same letter}\n"
    scheme = local_repo(tmp_path, worked_example_text, override)
    scheme.write_text(scheme_for("2024/25", worked_example_text, rate="1.25%"))
    result = cquin("validate", str(scheme))
    assert result.exit_code == 0, result.stdout


def test_rules_for_a_year_shows_the_local_facts_with_their_file(cquin, tmp_path, worked_example_text, monkeypatch):
    local_repo(tmp_path, worked_example_text, RATE_2011)
    monkeypatch.chdir(tmp_path / "schemes")
    text = cquin("rules", "--year", "2011/12").stdout
    assert "and of the local rulebook ../rules/local.yaml" in text  # from where the command runs
    assert f"national rate: 1.5%\n  source (local rulebook rules/local.yaml): {OPERATING_FRAMEWORK}" in text


BAD_ENTRIES = """years:
  2011/12:
    rate:
      value: 1.5%
    rates: {value: 1%, source: a letter}
    max_national_indicators: {value: five, source: a letter}
  2011/13:
    rate: {value: 1%, source: x}
  2012/13:
    rate: 2.5%
"""


def test_bad_local_entries_are_located_errors(cquin, tmp_path, worked_example_text, monkeypatch):
    scheme = local_repo(tmp_path, worked_example_text, BAD_ENTRIES)
    monkeypatch.chdir(tmp_path)
    result = cquin("validate", "schemes")
    assert result.exit_code == 1
    found = re.findall(r"^rules/local\.yaml:(\d+):(\d+): error E506 (.*)$", result.stdout, re.M)
    assert [(int(l), int(c)) for l, c, _ in found] == [(3, 5), (5, 5), (6, 31), (7, 3), (10, 5)], result.stdout
    messages = [m for _, _, m in found]
    assert messages[0].startswith("the fact rate has no `source`: say where it is written")
    assert messages[1].startswith("unknown fact 'rates'; did you mean 'rate'?")
    assert messages[2] == "the value of max_national_indicators is five; max_national_indicators is a whole number above 0"
    assert messages[3] == "'2011/13' is not a financial year; write it like 2011/12"
    assert messages[4].startswith("the fact rate is written with its value and its source")
    # the entry is not used: the scheme still lacks its rate's source (one E220), and the rulebook's problems are reported once
    assert len(re.findall(r"error E220 ", result.stdout)) == 1
    assert cquin("price", str(scheme)).exit_code == 1


def test_a_local_rulebook_that_does_not_exist_is_located_in_the_configuration(cquin, tmp_path, worked_example_text, monkeypatch):
    scheme = local_repo(tmp_path, worked_example_text, RATE_2011)
    (tmp_path / ".cquin.toml").write_text('strict = false\nrulebook = "rules/missing.yaml"\n')
    monkeypatch.chdir(tmp_path)
    result = cquin("validate", str(scheme.relative_to(tmp_path)))
    assert result.exit_code == 1
    assert re.search(
        r"^\.cquin\.toml:2:1: error E506 the local rulebook 'rules/missing.yaml' named here does not exist", result.stdout, re.M
    ), result.stdout


def test_an_unreadable_local_rulebook_is_one_located_error(cquin, tmp_path, worked_example_text, monkeypatch):
    scheme = local_repo(tmp_path, worked_example_text, "years:\n  2011/12: [\n")
    monkeypatch.chdir(tmp_path)
    result = cquin("validate", str(scheme.relative_to(tmp_path)))
    assert result.exit_code == 1
    assert re.search(r"local\.yaml:\d+:\d+: error E002 ", result.stdout), result.stdout


def test_the_rendered_payment_sheet_names_where_the_rate_came_from(cquin, tmp_path, worked_example_text):
    from openpyxl import load_workbook

    scheme = local_repo(tmp_path, worked_example_text, RATE_2011)
    out = tmp_path / "book.xlsx"
    result = cquin("render", str(scheme), "-o", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    ws = load_workbook(out)["Schedule 18 Part 2"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "CQUIN rate (guidance ¶38)")
    assert ws.cell(row=row, column=3).value.startswith("Rate: the national rate for 2011/12 (local rulebook ")
    assert ws.cell(row=row, column=3).value.endswith(f"rules/local.yaml: {OPERATING_FRAMEWORK})")


def test_a_scheme_carried_rate_source_is_named_by_price(cquin, tmp_path, worked_example_text):
    text = scheme_for("2017/18", worked_example_text, rate="2%").replace(
        "rate: 2%", "rate: 2%\nrate_source: the 2017/18 contract, Schedule 4"
    )
    scheme = tmp_path / "s.yaml"
    scheme.write_text(text)
    assert "Rate: the scheme's own source: the 2017/18 contract, Schedule 4" in cquin("price", str(scheme)).stdout


def test_rules_for_a_year_reports_a_bad_local_entry_and_leaves_it_out(cquin, tmp_path, worked_example_text, monkeypatch):
    local_repo(tmp_path, worked_example_text, "years:\n  2011/12:\n    rate: {value: 1.5%}\n")
    monkeypatch.chdir(tmp_path)
    result = cquin("rules", "--year", "2011/12")
    assert result.exit_code == 0
    assert "rules/local.yaml:3:5: error E506 the fact rate has no `source`" in result.stderr
    assert "national rate" not in result.stdout
