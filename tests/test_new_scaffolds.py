"""`cquin new --achievement` and `cquin new --from`: the files a user edits every quarter and every year.

Each scaffold lists its stubs through `cquin validate` (E111, at their lines) and validates
once they are filled in: a new scheme, its achievement data, and next year's scheme.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import WORKED_EXAMPLE
from test_new import fill

from cquin_cli.format.layout import format_bytes
from cquin_cli.load.yaml_reader import parse_yaml

FINDING = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): (?P<severity>\w+) (?P<code>\w+) (?P<message>.*)$")


def findings(output: str) -> list[re.Match]:
    return [m for m in map(FINDING.match, output.splitlines()) if m]


def stub_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if '"TODO:' in line for _ in range(line.count('"TODO:'))]


def fill_achievement(text: str) -> str:
    """Fill an achievement scaffold as a provider's information team would."""

    def replace(match: re.Match) -> str:
        hint = match.group(1)
        if hint.startswith("true if"):
            return "true"
        if "outturn base" in hint:
            return '"201000000.00"'
        return "72"

    return re.sub(STUB, replace, text)


STUB = r'"TODO: ((?:[^"\\]|\\.)*)"'  # a double-quoted stub, escapes included


def fill_rolled(text: str) -> str:
    """Fill a rolled-forward scheme: last year's figures raised a little, the agreement signed again."""

    def replace(match: re.Match) -> str:
        hint = match.group(1)
        was = re.search(r"'s was (.*)$", hint)
        if hint.startswith("the date the scheme was agreed"):
            return "2010-03-25"
        if was and "pounds" in hint:
            return '"' + was.group(1) + '"'
        if was and re.fullmatch(r"-?\d+(\.\d+)?", was.group(1)):
            return was.group(1)
        if was:  # a milestone's words, escapes and all
            return '"' + was.group(1) + ' (kept)"'
        if hint.startswith("the final indicator period"):
            return '"2010/11 survey"'
        return '"Filled in: ' + hint + '"'

    return re.sub(STUB, replace, text)


def name_national_goals(text: str) -> str:
    """Name the year's required national goals (E225) on the scheme's indicators, in order:
    rolling a 2009/10 acute scheme into 2010/11, the parties say which indicator implements each."""
    from cquin_cli.load.yaml_reader import parse_yaml
    from cquin_cli.rulebook.national import required

    values = parse_yaml(text).value
    named = [i.get("national_indicator") for g in values["goals"] for i in g["indicators"]]
    missing = [e.id for e in required(values["financial_year"], values["provider"]["sector"]) if e.id not in named]
    at = 0
    for ident in missing:  # on the next indicator, national or not (a test's choice, not a rule)
        found = re.compile(r"        provenance: \w+\n").search(text, at)
        assert found, ident
        at = found.end()
        text = text[:at] + f"        national_indicator: {ident}\n" + text[at:]
    return text


def assert_lists_each_stub(cquin, path) -> None:
    text = path.read_text(encoding="utf-8")
    result = cquin("validate", str(path))
    assert result.exit_code == 1, result.stdout
    reported = findings(result.stdout)
    assert reported and all(m["code"] == "E111" and m["message"].startswith("fill in ") for m in reported), result.stdout
    assert sorted(int(m["line"]) for m in reported) == stub_lines(text)  # each stub, at its line


def test_a_new_scheme_its_achievement_data_and_next_years_scheme_validate_once_filled(cquin, tmp_path):
    # 1. a new scheme, filled in
    scheme = tmp_path / "northfield-2009-10.yaml"
    made = cquin("new", "--provider", "RNF", "--year", "2009/10", "--commissioner", "5NF", "-o", str(scheme))
    assert made.exit_code == 0, made.stderr
    scheme.write_text(fill(scheme.read_text()).replace("2010-03-20", "2009-03-20"))
    assert cquin("validate", str(scheme)).exit_code == 0

    # 2. its achievement data for month 6, written beside it
    made = cquin("new", "--achievement", str(scheme), "--month", "6")
    assert made.exit_code == 0, made.stderr
    data = tmp_path / "northfield-2009-10.achievement.yaml"
    assert made.stdout == f"wrote {data}: fill in its TODO stubs for month 6; `cquin validate {data}` lists them\n"
    assert_lists_each_stub(cquin, data)
    data.write_text(fill_achievement(data.read_text()))
    both = cquin("validate", str(scheme), str(data))
    assert both.exit_code == 0, both.stdout
    reconciled = cquin("reconcile", str(scheme), "--month", "6")
    assert reconciled.exit_code == 0, reconciled.stderr

    # 3. next year's scheme, rolled forward from it
    following = tmp_path / "northfield-2010-11.yaml"
    made = cquin("new", "--from", str(scheme), "--year", "2010/11", "-o", str(following))
    assert made.exit_code == 0, made.stderr
    assert_lists_each_stub(cquin, following)
    assert (
        "goals:  # 2010/11 acute schemes must include the national goals vte-risk-assessment, patient-personal-needs: name each in an indicator's `national_indicator`\n"
        in following.read_text()
    )
    following.write_text(name_national_goals(fill_rolled(following.read_text())))
    result = cquin("validate", str(following))
    assert result.exit_code == 0, result.stdout

    # and its year-end achievement data
    made = cquin("new", "--achievement", str(following), "--month", "12")
    assert made.exit_code == 0, made.stderr
    year_end = tmp_path / "northfield-2010-11.achievement.yaml"
    assert_lists_each_stub(cquin, year_end)
    year_end.write_text(fill_achievement(year_end.read_text()))
    assert cquin("validate", str(following), str(year_end)).exit_code == 0
    assert cquin("reconcile", str(following), "--month", "12").exit_code == 0


# --- the achievement scaffold -----------------------------------------------------------


@pytest.fixture
def worked(tmp_path):
    scheme = tmp_path / "northfield.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    return scheme


def test_achievement_names_every_indicator_with_its_milestone_and_the_forecast_base(cquin, worked):
    result = cquin("new", "--achievement", str(worked))  # default: the first checkpoint, month 6
    assert result.exit_code == 0, result.stderr
    text = (worked.parent / "northfield.achievement.yaml").read_text()
    assert "financial_year: 2009/10\n" in text and 'provider: "RNF"\n' in text
    assert '    - {month: 6, base: "TODO: the forecast outturn base in pounds (planned: 200000000.00)"}' in text
    assert "  # S1 VTE risk assessment: the month-6 milestone is 60, all or nothing; higher is better\n" in text
    assert '  - {indicator: "S1", month: 6, value: "TODO: the value measured, a number"}' in text
    assert "the month-6 milestone is 65, paid in proportion from floor 60; higher is better" in text
    # X1 has no milestone at month 6: named, carried on account, no stub
    assert "  # X1 Inpatient survey score: no target at month 6: carried on account at 90%" in text
    assert '"X1"' not in text
    assert "  # I1 Real-time feedback roll-out: milestone: Devices on the pilot wards" in text
    assert '  - {indicator: "I1", month: 6, met: "TODO: true if the milestone was met, false if not"}' in text
    assert not format_bytes(text.encode(), "n.achievement.yaml").changed  # as `cquin fmt` lays it out

    listed = cquin("validate", str(worked.parent / "northfield.achievement.yaml"))
    assert ":14:33: error E111 fill in `value` of measurement S1 for month 6: the value measured, a number" in listed.stdout
    assert "fill in `base` of forecast for month 6: the forecast outturn base in pounds" in listed.stdout


def test_achievement_at_year_end_needs_the_actual_outturn_and_every_indicator(cquin, worked):
    assert cquin("new", "--achievement", str(worked), "--month", "12").exit_code == 0
    text = (worked.parent / "northfield.achievement.yaml").read_text()
    assert '  actual: "TODO: the actual outturn base in pounds (planned: 200000000.00)"' in text
    assert "forecast" not in text.split("measurements:")[0].replace("# The actual", "")
    for number in ("S1", "E1", "X1", "I1"):
        assert f'{{indicator: "{number}", month: 12, ' in text
    assert "S1 VTE risk assessment: the final value is 90, paid in proportion from floor 70; higher is better" in text
    assert "X1 Inpatient survey score: the final value is 75, all or nothing; higher is better" in text


def test_a_monitoring_month_stubs_every_target_indicator_and_no_outturn(cquin, worked):
    assert cquin("new", "--achievement", str(worked), "--month", "4").exit_code == 0
    text = (worked.parent / "northfield.achievement.yaml").read_text()
    assert "outturn" not in parse_yaml(text).value
    assert "# Month 4 is not a reconciliation checkpoint (months 6, 9, 12): these values are for monitoring." in text
    assert [n for n in ("S1", "E1", "X1", "I1") if f'"{n}", month: 4' in text] == ["S1", "E1", "X1"]
    assert "I1 Real-time feedback roll-out: no milestone at month 4: carried on account at 90%" in text


def test_achievement_is_never_written_over_an_existing_file_unless_forced(cquin, worked):
    data = worked.parent / "northfield.achievement.yaml"
    data.write_text("kept: true\n")
    refused = cquin("new", "--achievement", str(worked))
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"cquin: {data} already exists; cquin new does not overwrite a file unless --force is given "
        "(choose another name, or delete it first)\n"
    )
    assert data.read_text() == "kept: true\n"
    forced = cquin("new", "--achievement", str(worked), "--force")
    assert forced.exit_code == 0 and data.read_text().startswith("# Achievement data of northfield.yaml")
    own = cquin("new", "--achievement", str(worked), "-o", str(worked), "--force")
    assert own.exit_code == 2 and "one of the input files" in own.stderr
    assert worked.read_text() == WORKED_EXAMPLE.read_text()


@pytest.mark.parametrize("month", ["0", "13"])
def test_a_month_outside_the_year_is_refused(cquin, worked, month):
    result = cquin("new", "--achievement", str(worked), "--month", month)
    assert result.exit_code == 2
    assert f"--month {month}: months of the financial year run from 1 (April) to 12 (March)" in result.stderr
    assert not (worked.parent / "northfield.achievement.yaml").exists()


def test_a_scheme_that_cannot_be_read_is_refused_in_one_line(cquin, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(WORKED_EXAMPLE.read_text().replace("rate: 0.5%", "rate: 0.005"))
    result = cquin("new", "--achievement", str(broken))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "cannot be read as a scheme (1 error; the first:" in lines[0] and "E106" in lines[0]
    missing = cquin("new", "--from", str(tmp_path / "gone.yaml"), "--year", "2010/11")
    assert missing.exit_code == 2 and "gone.yaml: the file does not exist" in missing.stderr


def test_one_thing_to_scaffold_at_a_time(cquin, worked):
    both = cquin("new", "--provider", "RNF", "--achievement", str(worked))
    assert both.exit_code == 2 and "give one of --provider, --achievement or --from" in both.stderr
    none = cquin("new", "--year", "2010/11")
    assert none.exit_code == 2 and "say what to scaffold" in none.stderr
    # an option the chosen scaffold would ignore is refused, not ignored
    month = cquin("new", "--from", str(worked), "--year", "2010/11", "--month", "6")
    assert month.exit_code == 2 and month.stderr == "cquin: --month goes with --achievement, not with --from\n"
    named = cquin("new", "--achievement", str(worked), "--name", "Northfield")
    assert named.exit_code == 2 and "--name goes with --provider, not with --achievement" in named.stderr
    no_year = cquin("new", "--from", str(worked))
    assert no_year.exit_code == 2 and "--year 2010/11" in no_year.stderr
    assert not (worked.parent / "northfield.achievement.yaml").exists()


# --- next year's scheme ------------------------------------------------------------------


@pytest.fixture
def rolled(cquin, worked):
    shutil.copy(str(WORKED_EXAMPLE).replace(".yaml", ".achievement.yaml"), worked.parent / "northfield.achievement.yaml")
    result = cquin("new", "--from", str(worked), "--year", "2010/11")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_rolled_forward_takes_the_new_years_rate_and_terms_from_the_rulebook(rolled):
    data = parse_yaml(rolled).value
    assert data["financial_year"] == "2010/11"
    assert "rate: 1.5%  # the national rate for 2010/11" in rolled
    assert data["payment"] == {"on_account_share": "90%", "instalments": 12, "checkpoints": [6, 9, 12]}
    # the agreement is cleared
    assert data["agreement"]["date"].startswith("TODO: the date the scheme was agreed, YYYY-MM-DD, by 2010-03-31")
    assert [s["name"] for s in data["agreement"]["signatories"]] == ["TODO: who signed"]
    assert data["contract_value"]["tariff_income"] == (
        "TODO: 2010/11 tariff income including the Market Forces Factor, in pounds; 2009/10's was 180000000.00"
    )
    # the commissioners and their shares are carried
    assert data["coordinating_commissioner"]["share"] == "70%"


def test_goals_and_indicators_are_carried_with_their_lineage_and_last_years_final_as_baseline(rolled):
    data = parse_yaml(rolled).value
    assert [g["continues"] for g in data["goals"]] == [f"2009/10 goal {n}" for n in (1, 2, 3, 4)]
    s1 = data["goals"][0]["indicators"][0]
    assert s1["continues"] == "2009/10 indicator S1"
    assert s1["baseline"] == {"period": "2009/10 Q4", "value": 90}
    assert "baseline: {period: 2009/10 Q4, value: 90}  # 2009/10's final value; measured at month 12: 86" in rolled
    assert s1["final"]["period"] == "2010/11 Q4"
    assert s1["final"]["value"] == "TODO: the value to reach by year end (the payment threshold); 2009/10's was 90"
    assert s1["final_reporting_date"] == "2011-04-30"
    assert [m["target"] for m in s1["milestones"]] == [
        "TODO: the month-6 milestone target; 2009/10's was 60",
        "TODO: the month-9 milestone target; 2009/10's was 75",
    ]
    assert s1["partial_achievement"] == {
        "rule": "linear",
        "floor": "TODO: the floor below which nothing is paid; 2009/10's was 70",
    }


def test_rolled_forward_keeps_comments_and_key_order_laid_out_as_fmt_would(rolled):
    assert "# The worked example of docs/money.md, exactly." in rolled  # last year's header
    assert '"  # including the Market Forces Factor' in rolled
    assert "rule: all_or_nothing  # cquin: allow W401 --" in rolled
    keys = list(parse_yaml(rolled).value)
    assert keys[:3] == ["financial_year", "provider", "commissioning_route"]
    assert not format_bytes(rolled.encode(), "next.yaml").changed
    assert rolled.index("    continues: 2009/10 goal 1\n") < rolled.index("    name: Reduce avoidable harm")


def test_a_quality_improvement_plan_becomes_a_full_scheme_when_the_year_requires_one(cquin):
    from conftest import SAMPLES

    plan = SAMPLES / "mental-health-qip" / "rotherham-doncaster-south-humber-2009-10.yaml"
    result = cquin("new", "--from", str(plan), "--year", "2010/11")
    assert result.exit_code == 0, result.stderr
    data = parse_yaml(result.stdout).value
    assert data["scheme_kind"] == "full_scheme" and "quality_improvement_plan" not in data
    assert "a quality improvement plan is not allowed for a mental health provider in 2010/11" in result.stdout


@pytest.mark.parametrize(
    "year, words",
    [
        ("2011/12", "cquin's rulebook holds no confirmed national rate for 2011/12"),
        ("2020/21", "CQUIN was suspended in 2020/21"),
        ("2009/10", "--year 2009/10 is not after northfield.yaml's year 2009/10"),
    ],
)
def test_a_year_with_no_scheme_to_roll_to_is_one_diagnostic_exit_2(cquin, worked, tmp_path, year, words):
    out = tmp_path / "next.yaml"
    result = cquin("new", "--from", str(worked), "--year", year, "-o", str(out))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert not out.exists()


def test_rolled_forward_never_replaces_last_years_scheme(cquin, worked):
    result = cquin("new", "--from", str(worked), "--year", "2010/11", "-o", str(worked), "--force")
    assert result.exit_code == 2 and "one of the input files" in result.stderr
    assert worked.read_text() == WORKED_EXAMPLE.read_text()


def test_every_sample_rolls_forward_and_validates_once_filled(cquin, tmp_path):
    from conftest import SAMPLES

    for sample in sorted(p for p in SAMPLES.rglob("*.yaml") if not p.name.endswith(".achievement.yaml")):
        text = sample.read_text()
        later = {
            "2010/11": "2016/17",
            "2012/13": "2013/14",
            "2016/17": "2019/20",
            "2017/18": "2018/19",
            "2020/21": "2023/24",
            "2022/23": "2023/24",
        }
        year = next((to for was, to in later.items() if f"financial_year: {was}" in text), "2010/11")
        out = tmp_path / sample.name
        made = cquin("new", "--from", str(sample), "--year", year, "-o", str(out))
        assert made.exit_code == 0, (sample, made.stderr)
        assert not format_bytes(out.read_bytes(), out.name).changed, sample
        out.write_text(name_national_goals(fill_rolled(out.read_text())))
        result = cquin("validate", str(out))
        assert result.exit_code == 0, (sample, result.stdout)


def test_a_lineage_link_in_the_wrong_form_is_located(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "s.yaml"
    scheme.write_text(worked_example_text.replace("  - number: 2\n", "  - number: 2\n    continues: goal 2 of last year\n", 1))
    result = cquin("validate", str(scheme))
    assert result.exit_code == 1
    assert re.search(
        r"s\.yaml:\d+:5: error E104 `continues` of goal 2 is the text 'goal 2 of last year': a goal's lineage", result.stdout
    )


# --- cquin diff across years pairs by lineage ----------------------------------------------


def test_diff_across_years_pairs_indicators_by_lineage_not_by_number(cquin):
    from conftest import SAMPLES

    old = SAMPLES / "bristol" / "north-bristol-2009-10.yaml"
    new = SAMPLES / "bristol" / "north-bristol-2010-11.yaml"
    result = cquin("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 0, result.stderr
    import json

    (scheme,) = json.loads(result.stdout)["schemes"]
    status = {(i["number"], i["name"]): i["status"] for i in scheme["indicators"]}
    # 3.1 is the inpatient survey's respect and dignity score in 2009/10, a new national goal in 2010/11
    assert status[("3.1", "Inpatient survey score for respect and dignity")] == "removed"
    assert status[("3.1", "Responsiveness to inpatients' personal needs")] == "added"
    # 3.2 continues 2009/10's 3.2: its new targets are shown as changes
    assert status[("3.2", "Disability status recorded")] == "changed"
    # 4.1 does not continue 2009/10's 4.1, although its goal continues goal 4
    assert status[("4.1", "Disability flag adopted and spread")] == "removed"
    assert status[("4.1", "Disability-aware booking adopted and spread")] == "added"
    text = cquin("diff", str(old), str(new)).stdout
    assert "goal 1: (none) -> Reduce avoidable harm from venous thromboembolism (20%)" in text
    assert "2009/10 goal 1: Prevent pressure ulcers (20%) -> (none)" in text
    assert "goal 4 name: A disability flag shared across the local health economy -> Use disability data to plan services" in text


def test_diff_follows_a_renumbered_indicator_across_years(cquin, worked, tmp_path):
    made = cquin("new", "--from", str(worked), "--year", "2010/11")
    rolled = name_national_goals(fill_rolled(made.stdout))
    # the new year renumbers S1 as 1.1 and gives E1's old name to nothing: lineage still pairs them
    rolled = rolled.replace("      - number: S1\n", '      - number: "1.1"\n', 1)
    rolled = rolled.replace("      - number: E1\n", '      - number: "2.1"\n', 1)
    rolled = rolled.replace("name: Stroke patients scanned within 3 hours", "name: Brain scan within three hours of arrival")
    following = tmp_path / "northfield-2010-11.yaml"
    following.write_text(rolled)
    assert cquin("validate", str(following)).exit_code == 0
    result = cquin("diff", str(worked), str(following))
    assert result.exit_code == 0, result.stderr
    assert "1.1 VTE risk assessment (goal 1): changed\n      number: S1 -> 1.1\n" in result.stdout
    assert "2.1 Brain scan within three hours of arrival (goal 2): changed\n      number: E1 -> 2.1\n" in result.stdout
    assert ": added" not in result.stdout and ": removed" not in result.stdout


def test_a_lineage_link_must_point_back_once(cquin, rolled, tmp_path):
    following = tmp_path / "next.yaml"
    text = fill_rolled(rolled)
    twice = text.replace("continues: 2009/10 indicator E1", "continues: 2009/10 indicator S1", 1)
    following.write_text(twice)
    result = cquin("validate", str(following))
    assert result.exit_code == 1
    line = twice.splitlines().index("        continues: 2009/10 indicator S1", 70) + 1
    assert (
        f"{following}:{line}:9: error E217 indicator E1 and indicator S1 both continue 2009/10 indicator S1; "
        "one indicator of 2009/10 is carried on by one indicator"
    ) in result.stdout
    later = text.replace("continues: 2009/10 goal 3", "continues: 2010/11 goal 3", 1)
    following.write_text(later)
    result = cquin("validate", str(following))
    assert "error E217 goal 3 continues 2010/11 goal 3, but 2010/11 is not a year before this scheme's 2010/11" in result.stdout


def test_a_year_whose_rulebook_gives_no_payment_sources_says_only_default(cquin, worked):
    new = cquin("new", "--provider", "RNF", "--year", "2016/17").stdout
    assert "payment:   # the default arrangement\n" in new
    rolled = cquin("new", "--from", str(worked), "--year", "2016/17").stdout
    assert "payment:  # the default arrangement\n" in rolled and "rate: 2.5%" in rolled


def test_text_from_the_scheme_never_breaks_out_of_a_comment(cquin, tmp_path, worked_example_text):
    """A line break in a name or a milestone would end the comment and start YAML of its own."""
    scheme = tmp_path / "odd\nrate: 99%.yaml"
    scheme.write_text(
        worked_example_text.replace("name: VTE risk assessment", 'name: "VTE risk\\nprovider: RXX\\u202e"', 1).replace(
            "description: Devices on the pilot wards; first monthly report to the board",
            'description: "Devices on the pilot wards\\r\\nmeasurements: []"',
            1,
        )
    )
    assert cquin("validate", str(scheme)).exit_code == 0  # W216 is a warning
    data = tmp_path / "odd.achievement.yaml"
    assert cquin("new", "--achievement", str(scheme), "-o", str(data)).exit_code == 0
    text = data.read_text()
    values = parse_yaml(text).value
    assert values["provider"] == "RNF" and list(values) == [
        "financial_year",
        "provider",
        "commissioning_route",
        "outturn",
        "measurements",
    ]
    assert "  # S1 VTE risk provider: RXX\ufffd: the month-6 milestone is 60" in text
    assert "# Achievement data of odd rate: 99%.yaml (Northfield" in text
    assert "milestone: Devices on the pilot wards measurements: []" in text
    rolled = cquin("new", "--from", str(scheme), "--year", "2010/11").stdout
    assert parse_yaml(rolled).value["rate"] == "1.5%"


def test_a_stub_in_the_baseline_years_history_names_its_month(cquin, worked):
    data = worked.parent / "northfield.achievement.yaml"
    data.write_text(
        'financial_year: 2009/10\nprovider: RNF\nhistory:\n  - {indicator: S1, month: 3, value: "TODO: from the 2008/09 audit"}\n'
    )
    result = cquin("validate", str(worked), str(data))
    assert result.exit_code == 1
    assert (
        f"{data}:4:31: error E111 fill in `value` of measurement S1 for month 3 of the baseline year: from the 2008/09 audit"
        in (result.stdout)
    )


def test_rolling_into_a_year_with_no_confirmed_rate_keeps_the_schemes_own_rate_to_be_sourced_again(cquin, tmp_path):
    """2017/18 -> 2018/19: no source confirms either year's rate, so the scheme's own rate is kept
    and its `rate_source` becomes a stub naming last year's (E111 until it is given)."""
    from conftest import SAMPLES

    out = tmp_path / "next.yaml"
    made = cquin(
        "new", "--from", str(SAMPLES / "later-years" / "northfield-acute-2017-18.yaml"), "--year", "2018/19", "-o", str(out)
    )
    assert made.exit_code == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    assert "\nrate: 1.5%\n" in text
    assert "\nrate_source: \"TODO: where the 2018/19 rate is written; 2017/18's was the national indicators' share" in text
    result = cquin("validate", str(out))
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("rate_source:"))) + 1
    assert re.search(rf"next\.yaml:{line}:\d+: error E111 ", result.stdout), result.stdout


def test_rolling_a_scheme_with_no_rate_of_its_own_into_a_year_with_none_says_so(cquin, tmp_path):
    from conftest import SAMPLES

    made = cquin("new", "--from", str(SAMPLES / "later-years" / "northfield-acute-2012-13.yaml"), "--year", "2014/15")
    assert made.exit_code == 2
    assert "cquin's rulebook holds no confirmed national rate for 2014/15" in made.stderr
