"""`cquin monitor`: what a contract manager sees each month (statuses, signals, money, forecast)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal as D

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.load.discovery import achievement_file_for

IMPERIAL = SAMPLES / "westminster" / "imperial-college-healthcare-2009-10.yaml"


def rows(text):
    return {
        line.split()[0]: line
        for line in text.splitlines()
        if line.startswith("  ") and line.split() and line.split()[0] in {"S1", "E1", "X1", "I1"}
    }


def test_month_9_of_the_worked_example(cquin):
    result = cquin("monitor", str(WORKED_EXAMPLE), "--month", "9")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("CQUIN monitoring at month 9 (Dec 2009): Northfield Hospitals NHS Trust (RNF), 2009/10\n")
    table = rows(out)
    assert "on track" in table["S1"] and "76 (m9)" in table["S1"] and "75 (m9)" in table["S1"] and "£91,350.00" in table["S1"]
    assert "at risk" in table["E1"] and "68 (m9)" in table["E1"]
    assert "no data" in table["X1"]
    assert "on track" in table["I1"] and "met (m9)" in table["I1"]
    assert (
        "E1 Stroke patients scanned within 3 hours: at risk - month-9 value 68 misses the month-9 milestone 70, but the process is improving (special cause)"
        in out
    )
    # the shift at month 7 is seen: the baseline year below the mean, this year above it
    assert "  signal: 7 points in a row on one side of the mean (high)" in out
    assert "  ▁▂▁▂▂▁▂▂▂▂▂▁|▃▃▃▃▃▄▆▇█  B1..9, 21 points" in out
    # month 9 is a checkpoint: E(9) and A(9) as `cquin reconcile --month 9` gives them
    assert "Earned to date E(9) (month 9 is a checkpoint)               £700,350.00" in out
    assert "Adjustment A(9)                                             £154,050.00" in out
    assert "Money at risk (value of indicators at risk or off track)    £300,000.00" in out


@pytest.mark.parametrize("month", [6, 9, 12])
def test_checkpoint_months_agree_with_reconcile_to_the_penny(cquin, month):
    monitored = json.loads(cquin("monitor", str(WORKED_EXAMPLE), "--month", str(month), "--format", "json").stdout)
    reconciled = json.loads(cquin("reconcile", str(WORKED_EXAMPLE), "--month", str(month), "--format", "json").stdout)
    assert monitored["checkpoint"]["earned"] == reconciled["earned"]
    assert monitored["checkpoint"]["adjustment"] == reconciled["adjustment"]
    assert monitored["checkpoint"]["paid"] == reconciled["paid"]
    if month == 12:  # the year has ended: "if the year ended now" is the year-end reconciliation
        year_end = monitored["if_year_ended_now"]
        assert (
            (year_end["earned"], year_end["adjustment"])
            == ("749620.00", "-175730.00")
            == (reconciled["earned"], reconciled["adjustment"])
        )
        assert year_end["by_commissioner"] == {"5NF": "-123011.00", "5NB": "-35146.00", "5NC": "-17573.00"}
        lines = {i["number"]: i["if_year_ended_now"] for i in monitored["indicators"]}
        assert lines == {i["number"]: i["earned"] for i in reconciled["indicators"]}


def test_between_checkpoints_there_is_no_reconciliation_but_a_view(cquin):
    result = cquin("monitor", str(WORKED_EXAMPLE), "--month", "4", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["checkpoint"] is None
    s1 = document["indicators"][0]
    assert s1["status"] == "on_track" and s1["next_target"] == {"month": 6, "target": "60"}
    assert [p["month"] for p in s1["series"]] == list(range(1, 13)) + [1, 2, 3, 4]
    # if the year ended at month 4: S1 61 and E1 62 miss their final values, X1 and I1 are unmeasured: nothing earned
    assert document["if_year_ended_now"] == {
        "earned": "0.00",
        "paid": "900000.00",
        "adjustment": "-900000.00",
        "by_commissioner": {"5NF": "-630000.00", "5NB": "-180000.00", "5NC": "-90000.00"},
    }


def test_the_default_month_is_the_latest_with_data(cquin, tmp_path):
    shutil.copy(WORKED_EXAMPLE, tmp_path / "n.yaml")
    text = open(achievement_file_for(str(WORKED_EXAMPLE)), encoding="utf-8").read()
    keep = [
        line
        for line in text.splitlines(keepends=True)
        if not any(f"month: {m}," in line for m in (8, 9, 10, 11, 12)) or "base:" in line
    ]
    (tmp_path / "n.achievement.yaml").write_text("".join(keep).split("adjustments:")[0], encoding="utf-8")
    result = cquin("monitor", str(tmp_path / "n.yaml"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["month"] == 7


def test_a_shift_downwards_is_improving_when_lower_is_better(cquin):
    document = json.loads(cquin("monitor", str(IMPERIAL), "--month", "12", "--format", "json").stdout)
    readmissions = next(i for i in document["indicators"] if i["number"] == "2.1")
    assert readmissions["direction"] == "lower"
    assert readmissions["spc"]["variation"] == "special_cause_improving"
    assert any(s["test"] == "shift" and s["side"] == "low" and s["points"][-1] == "12" for s in readmissions["spc"]["signals"])


def test_the_forecast_is_a_distribution_and_deterministic(cquin, monkeypatch):
    # The seed hashes the scheme's path as given: named from the checkout's root, the same
    # in every clone (an absolute path made the percentiles depend on where it was cloned).
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    scheme = str(IMPERIAL.relative_to(ROOT))
    first = cquin("monitor", scheme, "--month", "8")
    again = cquin("monitor", scheme, "--month", "8")
    assert first.stdout == again.stdout
    document = json.loads(cquin("monitor", scheme, "--month", "8", "--format", "json").stdout)
    forecast = document["forecast"]
    assert forecast["runs"] == 1000
    p10, p50, p90 = (D(forecast["earned"][k]) for k in ("p10", "p50", "p90"))
    assert p10 < p50 < p90
    # A(12) = E(12) - P(12) in every run, so the percentiles differ by P(12) exactly
    paid = D(document["if_year_ended_now"]["paid"])
    assert D(forecast["adjustment"]["p50"]) == p50 - paid
    hip = next(i for i in document["indicators"] if i["number"] == "2.2")
    assert hip["status"] == "no_data"
    assert (
        hip["forecast"]["forecastable"] is False and hip["forecast"]["reason"] == "0 points measured; a forecast needs at least 6"
    )


def test_csv_is_one_row_per_indicator_through_the_formula_guard(cquin, tmp_path):
    scheme = tmp_path / "n.yaml"
    scheme.write_text(
        WORKED_EXAMPLE.read_text(encoding="utf-8").replace("name: VTE risk assessment\n", "name: =HYPERLINK(1)\n"),
        encoding="utf-8",
    )
    shutil.copy(achievement_file_for(str(WORKED_EXAMPLE)), tmp_path / "n.achievement.yaml")
    result = cquin("monitor", str(scheme), "--month", "9", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["indicator"] for r in table] == ["S1", "E1", "X1", "I1"]
    assert table[0]["name"] == "'=HYPERLINK(1)"
    assert (table[0]["status"], table[0]["latest"], table[0]["value"], table[0]["if_year_ended_now"]) == (
        "on_track",
        "76",
        "300000.00",
        "91350.00",
    )


def test_markdown_table(cquin):
    result = cquin("monitor", str(WORKED_EXAMPLE), "--month", "9", "--format", "markdown")
    assert result.exit_code == 0
    assert "| S1 VTE risk assessment | on track |" in result.stdout
    assert "| Earned to date E(9) (month 9 is a checkpoint) | £700,350.00 |" in result.stdout


def test_a_folder_gives_one_table_worst_first(cquin):
    result = cquin("monitor", str(SAMPLES), "--month", "9")
    assert result.exit_code == 0, result.stderr
    lines = [l for l in result.stdout.splitlines() if "/sample_schemes/" in l and not l.lstrip().startswith("-")]
    assert len(lines) == len(list(SAMPLES.rglob("*.achievement.yaml")))  # the samples with achievement data
    at_risk = [D(l.split("£")[1].split()[0].replace(",", "")) for l in lines]
    assert at_risk == sorted(at_risk, reverse=True)
    assert "does not exist" in result.stdout  # the schemes without data are listed as not monitored
    document = json.loads(cquin("monitor", str(SAMPLES), "--month", "9", "--format", "json").stdout)
    assert document["money_at_risk"] == str(sum(D(s["money_at_risk"]) for s in document["schemes"]))


def test_bad_data_is_refused_as_reconcile_refuses_it(cquin, tmp_path):
    shutil.copy(WORKED_EXAMPLE, tmp_path / "n.yaml")
    text = open(achievement_file_for(str(WORKED_EXAMPLE)), encoding="utf-8").read()
    (tmp_path / "n.achievement.yaml").write_text(
        text.replace("{indicator: E1, month: 3, value: 58}", "{indicator: E1, month: 2, value: 58}"), encoding="utf-8"
    )
    result = cquin("monitor", str(tmp_path / "n.yaml"), "--month", "9")
    assert result.exit_code == 1
    assert "error E305 indicator E1 is measured twice for month 2 of the baseline year" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args, words",
    [
        (["--month", "13"], "not a month of the financial year"),
        (["--month", "0"], "not a month of the financial year"),
        (["--format", "xml"], "unknown --format"),
        (["--shift-run", "1"], "at least 2"),
    ],
)
def test_bad_usage_exits_2(cquin, args, words):
    result = cquin("monitor", str(WORKED_EXAMPLE), *args)
    assert result.exit_code == 2 and words in result.stderr


def test_no_achievement_data_exits_2(cquin, tmp_path):
    shutil.copy(WORKED_EXAMPLE, tmp_path / "alone.yaml")
    result = cquin("monitor", str(tmp_path / "alone.yaml"))
    assert result.exit_code == 2 and "alone.achievement.yaml does not exist" in result.stderr
