"""`cquin report` as a user sees it: the sample portfolio, formats, filters, bad portfolios."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from decimal import Decimal

from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_paths
from cquin_cli.compute.pricing import price


def _sample_schemes():
    run = check_paths([str(SAMPLES)])
    return run.schemes


def test_sample_portfolio_figures_match_pricing(cquin):
    result = cquin("report", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    schemes = _sample_schemes()
    priced = [price(s) for s in schemes]
    assert doc["schemes_count"] == len(schemes)
    assert doc["indicators_count"] == sum(len(s.indicators) for s in schemes)
    assert Decimal(doc["expected_value"]) == sum(p.expected_value for p in priced)
    by_domain = Counter()
    money = Counter()
    for p in priced:
        for g in p.goals:
            by_domain[g.domain] += len(g.indicators)
            money[g.domain] += g.value
    for row in doc["domains"]:
        assert row["indicators"] == by_domain[row["domain"]]
        assert Decimal(row["expected_value"]) == money[row["domain"]]
    values = sorted(i.value for p in priced for i in p.indicators)
    assert Decimal(doc["value_per_indicator"]["median"]) == statistics.median(values).quantize(Decimal("0.01"))
    assert doc["value_per_indicator"]["min"] == f"{values[0]:.2f}" and doc["value_per_indicator"]["max"] == f"{values[-1]:.2f}"
    assert sum(r["count"] for r in doc["by_sector"]) == len(schemes)
    for r in doc["framework_requirements"]:
        assert r["schemes_meeting"] == r["schemes"] == len(schemes)  # the samples validate clean


def test_sample_portfolio_pathways(cquin):
    """Every pathway tag in the samples is a group naming each provider's indicators and money."""
    doc = json.loads(cquin("report", str(SAMPLES), "--format", "json").stdout)
    schemes = _sample_schemes()
    tags = sorted({i.pathway for s in schemes for i in s.indicators if i.pathway})
    assert [p["pathway"] for p in doc["pathways"]] == tags
    for group in doc["pathways"]:
        members = [s for s in schemes if any(i.pathway == group["pathway"] for i in s.indicators)]
        assert group["providers"] == len({s.provider.code for s in members})
        for part, scheme in zip(
            group["parts"], sorted(members, key=lambda s: (s.financial_year, s.provider.code, s.commissioning_route))
        ):
            values = {i.number: i.value for i in price(scheme).indicators}
            numbers = [i.number for i in scheme.indicators if i.pathway == group["pathway"]]
            assert part["indicators"] == numbers
            assert Decimal(part["expected_value"]) == sum(values[n] for n in numbers)
    # The guidance's example (seed 002): Coventry and Warwickshire's dementia pathway
    # across its acute, community and mental health providers.
    coventry = [
        g
        for g in doc["pathways"]
        if all("coventry-warwickshire" in s.file for s in schemes if any(i.pathway == g["pathway"] for i in s.indicators))
    ]
    assert len(coventry) == 1
    assert coventry[0]["providers"] == 3
    assert sorted(part["sector"] for part in coventry[0]["parts"]) == ["acute", "community", "mental_health"]


def test_text_report_of_the_samples(cquin):
    result = cquin("report", str(SAMPLES))
    assert result.exit_code == 0
    out = result.stdout
    for heading in (
        "Portfolio report",
        "Schemes per year, sector and commissioning route",
        "Quality domains (guidance ¶33)",
        "£ per indicator (seed 004)",
        "Stretch: target against baseline",
        "Framework requirements met (cquin validate)",
        "Design quality (cquin lint)",
        "Equivalent challenge between providers (guidance ¶71)",
        "Same indicator paid by a PCT scheme and a specialised commissioning group scheme",
        "Pathways across providers",
    ):
        assert heading in out, heading
    assert "RNF/2009-10/pct" in out and "£1,000,000.00" in out
    assert re.search(r"^  cw-dementia: 3 providers, 3 schemes, £[0-9,]+\.\d\d$", out, re.M)
    # The worked example's stretch: S1 55 -> 90 is +63.64% (35/55, two decimals, half-up).
    assert re.search(r"RNF/2009-10/pct\s+S1\s+VTE risk assessment\s+higher\s+55\s+90\s+\+63\.64%", out)
    assert cquin("report", str(SAMPLES)).stdout == out  # the same bytes every run


def test_markdown_report_has_tables(cquin):
    result = cquin("report", str(WORKED_EXAMPLE), "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Portfolio report\n")
    assert "| domain | indicators | share | expected value | share of money |" in result.stdout
    assert "| Safety |" not in result.stdout and "| safety | 1 | 25.0% | £300,000.00 | 30.0% |" in result.stdout


def test_worked_example_figures(cquin):
    doc = json.loads(cquin("report", str(WORKED_EXAMPLE), "--format", "json").stdout)
    (scheme,) = doc["schemes"]
    # S1 (90-55)/55, E1 (80-58)/58, X1 (75-71)/71; I1 has no baseline. Plain mean of the three.
    s1, e1, x1 = Decimal(35) / 55, Decimal(22) / 58, Decimal(4) / 71
    assert scheme["stretch"] == str(((s1 + e1 + x1) * 100 / 3).quantize(Decimal("0.01")))
    assert scheme["indicators_with_stretch"] == 3
    assert [r["expected_value"] for r in doc["domains"]] == ["300000.00", "300000.00", "200000.00", "200000.00"]
    assert doc["value_per_indicator"]["lower_quartile"] == "200000.00" and doc["value_per_indicator"]["median"] == "250000.00"


def test_empty_portfolio_is_exit_2_with_a_message(cquin, tmp_path):
    (tmp_path / "notes.txt").write_text("not a scheme")
    result = cquin("report", str(tmp_path))
    assert result.exit_code == 2
    assert "nothing to report" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_filters_that_match_nothing_are_exit_2(cquin):
    result = cquin("report", str(WORKED_EXAMPLE), "--year", "2010/11")
    assert result.exit_code == 2
    assert "no scheme matches the filters" in result.stderr


def test_partly_invalid_portfolio_reports_the_rest_and_exits_1(cquin, tmp_path, worked_example_text):
    (tmp_path / "good.yaml").write_text(worked_example_text)
    broken = tmp_path / "broken.yaml"
    broken.write_text("financial_year: 2009/10\nprovider: [unclosed\n")
    result = cquin("report", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(broken))}:\d+:\d+: error E0\d\d ", result.stderr, re.M)
    doc = json.loads(result.stdout)
    assert doc["schemes_count"] == 1 and doc["skipped_files"] == [str(broken)]
    text = cquin("report", str(tmp_path)).stdout
    assert "1 scheme file could not be used and is left out" in text


def test_a_scheme_without_every_domain_counts_against_e201(cquin, tmp_path, worked_example_text):
    (tmp_path / "good.yaml").write_text(worked_example_text)
    cut = worked_example_text.index("  - number: 4\n")
    (tmp_path / "no-innovation.yaml").write_text(worked_example_text[:cut].replace("code: RNF", "code: RNX"))
    doc = json.loads(cquin("report", str(tmp_path), "--format", "json").stdout)
    e201 = next(r for r in doc["framework_requirements"] if r["code"] == "E201")
    assert e201["skipped_files"] == 1 and e201["schemes"] == 1


def test_bad_options_are_exit_2(cquin):
    assert cquin("report", str(WORKED_EXAMPLE), "--format", "pdf").exit_code == 2
    result = cquin("report", str(WORKED_EXAMPLE), "--min-value", "12.345")
    assert result.exit_code == 2 and "--min-value" in result.stderr
    assert cquin("report", "/nonexistent/folder").exit_code == 2


def test_a_scheme_with_an_unusable_value_is_left_out_and_named(cquin, tmp_path, worked_example_text):
    """Money cquin cannot use (nan, three decimals) is loaded as a 0.00 stand-in; the
    scheme's figures would be the stand-in's, so the report leaves it out and says so."""
    from conftest import ROOT

    (tmp_path / "good.yaml").write_text(worked_example_text)
    nan = tmp_path / "nan.yaml"
    nan.write_text((ROOT / "tests" / "hostile" / "money-nan.yaml").read_text(encoding="utf-8"))
    result = cquin("report", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(nan))}:\d+:\d+: error E105 nan is not an exact amount of money$", result.stderr, re.M)
    assert (
        f"cquin report: {nan}: left out, a value in it cannot be used as written (E105 nan is not an exact amount of money)"
        in result.stderr
    )
    doc = json.loads(result.stdout)
    assert [s["scheme_id"] for s in doc["schemes"]] == ["RNF/2009-10/pct"]
    assert doc["skipped_files"] == [str(nan)]
    assert doc["expected_value"] == "1000000.00"
    assert all(r["schemes"] == 1 for r in doc["framework_requirements"])
    (tmp_path / "nan.achievement.yaml").write_text("financial_year: 2009/10\nmeasurements: []\n")
    qa = cquin("report", str(tmp_path), "--achievement")  # Quality Accounts: the same scheme is not reconciled
    assert qa.exit_code == 2 and qa.stdout == ""
    assert "RHA/2009-10/pct: a value in it cannot be used as written (E105 nan is not an exact amount of money)" in qa.stderr


def test_a_portfolio_of_only_unusable_schemes_is_exit_2(cquin):
    from conftest import ROOT

    for name in ("money-nan.yaml", "money-three-decimals.yaml"):
        result = cquin("report", str(ROOT / "tests" / "hostile" / name))
        assert result.exit_code == 2
        assert result.stdout == ""
        assert ": left out, a value in it cannot be used as written (E105 " in result.stderr
        assert "every scheme is left out (above); nothing to report" in result.stderr


def test_findings_are_counted_as_cquin_lint_counts_them(cquin):
    """The worked example carries `# cquin: allow W401 -- reason`: lint reports nothing,
    so the report neither warns about it nor counts W401 as failed; it counts it as met
    by a suppression with a recorded reason."""
    # two suppressions in the samples: the worked example's W401 and the 2020/21 sample's W219
    assert "0 warnings, 2 suppressed" in cquin("lint", str(SAMPLES)).stdout
    result = cquin("report", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    w401 = next(r for r in doc["design_requirements"] if r["code"] == "W401")
    assert (w401["schemes_meeting"], w401["schemes"], w401["schemes_suppressed"], w401["share"]) == (
        len(doc["schemes"]),
        len(doc["schemes"]),
        1,
        "100.00",
    )
    assert all(r["schemes_suppressed"] == 0 for r in doc["design_requirements"] if r["code"] != "W401")
    text = cquin("report", str(SAMPLES)).stdout
    assert "suppressed (reasoned)" in text
    n = len(doc["schemes"])
    assert re.search(rf"^  W401  All-or-nothing payment .* {n}/{n}  100\.0%\s+1$", text, re.M)


def test_an_unsuppressed_finding_counts_against_its_requirement_and_is_announced(cquin, tmp_path, worked_example_text):
    marker = "  # cquin: allow W401 -- "
    line = next(x for x in worked_example_text.splitlines() if marker in x)
    (tmp_path / "s.yaml").write_text(worked_example_text.replace(line, line[: line.index(marker)]))
    lint = cquin("lint", str(tmp_path))
    assert "1 warning" in lint.stdout and " W401 " in lint.stdout
    result = cquin("report", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == "cquin report: 1 warning (`cquin lint` lists it)\n"
    w401 = next(r for r in json.loads(result.stdout)["design_requirements"] if r["code"] == "W401")
    assert (w401["schemes_meeting"], w401["schemes"], w401["schemes_suppressed"]) == (0, 1, 0)


def test_a_malformed_year_is_refused_not_matched_against_nothing(cquin):
    for bad in ("garbage", "2009", "2009/2010", "09/10", "2009_10"):
        for extra in ((), ("--achievement",)):
            result = cquin("report", str(WORKED_EXAMPLE), "--year", bad, *extra)
            assert result.exit_code == 2, (bad, extra)
            assert f"--year {bad!r}: a financial year is written like 2009/10 (or 2009-10)" in result.stderr
            assert "no scheme matches" not in result.stderr and result.stdout == ""
    for good in ("2009/10", "2009-10", " 2009/10 "):
        assert cquin("report", str(WORKED_EXAMPLE), "--year", good).exit_code == 0, good


def test_min_value_default_is_w404s_own_option(cquin, monkeypatch):
    """The £ floor is W404's `minimum_value`, not whichever design rule first has an
    option whose name mentions a minimum value."""
    from cquin_cli.check import registry
    from cquin_cli.check.rules import w404_indicator_value
    from cquin_cli.portfolio.aggregate import default_min_value

    real = registry.all_rules()
    decoy = registry.Rule("W400", "decoy", "test", registry.SCHEME, "", options={"minimum_value_share": Decimal("5")})
    monkeypatch.setattr(registry, "all_rules", lambda: {"W400": decoy, **real})
    assert default_min_value() == Decimal("10000.00") == w404_indicator_value.OPTIONS["minimum_value"]
    monkeypatch.setitem(w404_indicator_value.OPTIONS, "minimum_value", Decimal("2500"))
    assert default_min_value() == Decimal("2500.00")
    doc = json.loads(cquin("report", str(WORKED_EXAMPLE), "--format", "json").stdout)
    assert doc["value_per_indicator"]["min_value"] == "2500.00"


def test_markdown_tables_escape_pipes_in_both_reports(cquin, tmp_path, worked_example_text):
    """One Markdown table writer serves the portfolio report and the Quality Accounts: a
    `|` in a name is escaped in both, and number columns are right-aligned in both."""
    (tmp_path / "s.yaml").write_text(worked_example_text.replace("name: VTE risk assessment", "name: VTE risk | assessment"))
    achievement = (WORKED_EXAMPLE.parent / "northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8")
    (tmp_path / "s.achievement.yaml").write_text(achievement)
    portfolio = cquin("report", str(tmp_path), "--format", "markdown").stdout
    accounts = cquin("report", str(tmp_path), "--achievement", "--format", "markdown").stdout
    assert "| S1 | VTE risk \\| assessment | higher | 55 | 90 | +63.64% |" in portfolio
    assert "| 1 | S1 | VTE risk \\| assessment | safety |" in accounts
    assert "|---|---|---|---|---:|---:|---:|---:|---:|---:|---|" in accounts


def test_sectors_are_the_formats_and_defined_once(cquin):
    """SECTOR_WORDS (load/scheme.py) lists the format's sectors in the schema's order; the
    report's tally, the scaffold, the workbook words and rule E207 all read it."""
    from conftest import ROOT

    from cquin_cli.check.rules import e207_quality_improvement_plan
    from cquin_cli.format import scaffold
    from cquin_cli.load.scheme import SECTOR_WORDS
    from cquin_cli.render import words

    schema = json.loads((ROOT / "schemas" / "scheme.schema.json").read_text(encoding="utf-8"))
    assert tuple(SECTOR_WORDS) == tuple(schema["properties"]["provider"]["properties"]["sector"]["enum"])
    assert scaffold.SECTORS == tuple(SECTOR_WORDS) and words.SECTORS is SECTOR_WORDS
    assert e207_quality_improvement_plan.SECTOR_WORDS is SECTOR_WORDS
    doc = json.loads(cquin("report", str(WORKED_EXAMPLE), "--format", "json").stdout)
    assert [c["key"] for c in doc["by_sector"]] == list(SECTOR_WORDS)


def test_a_year_whose_halves_do_not_follow_is_refused(cquin):
    from conftest import SAMPLES

    result = cquin("report", str(SAMPLES), "--year", "2009/11")
    assert result.exit_code == 2 and "written like 2009/10" in result.stderr


def test_quality_accounts_leave_out_achievement_data_with_errors(cquin, tmp_path, worked_example_text):
    """As `cquin reconcile` refuses it: no money is reported as earned from data that breaks
    the achievement rules (here E305, S1 measured twice for month 12); the others are reported."""
    achievement = (WORKED_EXAMPLE.parent / "northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8")
    (tmp_path / "good.yaml").write_text(worked_example_text)
    (tmp_path / "good.achievement.yaml").write_text(achievement)
    other = worked_example_text.replace("code: RNF", "code: RXX", 1)
    assert other != worked_example_text
    (tmp_path / "twice.yaml").write_text(other)
    twice = achievement.replace("provider: RNF", "provider: RXX").replace(
        "  - {indicator: S1, month: 12, value: 86}",
        "  - {indicator: S1, month: 12, value: 86}\n  - {indicator: S1, month: 12, value: 90}",
    )
    (tmp_path / "twice.achievement.yaml").write_text(twice)
    result = cquin("report", str(tmp_path), "--achievement", "--format", "json")
    assert result.exit_code == 1  # the errors are reported, the good scheme still is
    assert "E305" in result.stderr
    doc = json.loads(result.stdout)
    assert [a["scheme_id"] for a in doc["accounts"]] == ["RNF/2009-10/pct"]
    assert doc["not_reconciled"] == [
        {"scheme_id": "RXX/2009-10/pct", "reason": "its achievement data has 1 error (`cquin validate` lists them)"}
    ]


def test_a_portfolio_reported_on_every_core_prints_the_same_bytes_as_one_process(cquin, monkeypatch, tmp_path):
    """cquin report keeps each scheme's figures, made where it was checked, not the scheme:
    the report is the same however the run is scheduled, the portfolio findings included."""
    import json

    from conftest import mixed_portfolio
    from test_lint import _serial_and_pooled

    folder = str(mixed_portfolio(tmp_path))
    for format in ("json", "text", "markdown"):
        serial, pooled = _serial_and_pooled(cquin, monkeypatch, "report", folder, "--format", format)
        assert serial.exit_code == pooled.exit_code == 1, serial.stderr
        assert (pooled.stdout, pooled.stderr) == (serial.stdout, serial.stderr)
    report = json.loads(cquin("report", folder, "--format", "json").stdout)
    assert report["double_payments"] and report["equivalent_challenge"]
    assert "variant-33.yaml" in serial.stderr  # the scheme with errors is named, and left out


def test_quality_accounts_on_every_core_are_those_of_one_process(cquin, monkeypatch, tmp_path):
    """report --achievement reconciles each scheme where it and its data are checked, and keeps the account."""
    import json

    from conftest import mixed_portfolio
    from test_lint import _serial_and_pooled

    folder = str(mixed_portfolio(tmp_path))
    for format in ("json", "text"):
        serial, pooled = _serial_and_pooled(
            cquin, monkeypatch, "report", folder, "--achievement", "--month", "6", "--format", format
        )
        assert serial.exit_code == pooled.exit_code == 1, serial.stderr
        assert (pooled.stdout, pooled.stderr) == (serial.stdout, serial.stderr)
    accounts = json.loads(cquin("report", folder, "--achievement", "--month", "6", "--format", "json").stdout)
    files = {a["achievement_file"].rsplit("/", 1)[-1] for a in accounts["accounts"]}
    assert {"variant-10.achievement.yaml", "variant-20.achievement.yaml"} <= files
    assert "variant-05.achievement.yaml" not in files  # its data is another provider's (E306): not reconciled
    assert "R05/2009-10/pct" in {n["scheme_id"] for n in accounts["not_reconciled"]}
