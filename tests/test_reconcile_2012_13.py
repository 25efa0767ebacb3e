"""The 2012/13 sample, an acute scheme on the actual outturn value at 2.5% with the year's
national goals: priced, reconciled at months 6, 9 and 12 and rendered, every figure as
docs/money.md works it by hand ("Later years, worked by hand")."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import SAMPLES, run_cli
from openpyxl import load_workbook

SCHEME = SAMPLES / "later-years" / "northfield-acute-2012-13.yaml"
D = Decimal


def json_of(*args: str) -> dict:
    result = run_cli(*args, str(SCHEME), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_the_2012_13_sample_lints_clean_with_its_national_goals():
    result = run_cli("lint", str(SCHEME.parent))
    assert result.exit_code == 0, result.stdout
    text = SCHEME.read_text(encoding="utf-8")
    assert "national_indicator: nhs-safety-thermometer" in text and "national_indicator: dementia" in text


def test_price_2_5_percent_of_the_planned_base_on_the_year_s_base():
    priced = json_of("price")["schemes"][0]
    assert priced["base"] == "200000000.00" and priced["rate"] == "2.5%"
    assert priced["expected_value"] == "5000000.00"
    assert priced["base_definition"].startswith("actual outturn value")
    indicators = {i["number"]: i["expected_value"] for g in priced["goals"] for i in g["indicators"]}
    # the two national goals at 5% each: about 0.125% of outturn (the year's guidance)
    assert indicators == {
        "S1": "250000.00",
        "S2": "1000000.00",
        "E1": "250000.00",
        "E2": "1500000.00",
        "X1": "1250000.00",
        "I1": "750000.00",
    }
    assert [c["on_account"] for c in priced["commissioners"]] == ["3150000.00", "900000.00", "450000.00"]


@pytest.mark.parametrize(
    ("month", "base", "pot", "achieved", "earned", "paid", "adjustment", "by_commissioner"),
    [
        (
            6,
            "201000000.00",
            "5025000.00",
            "0.815",
            "2047687.50",
            "2250000.00",
            "-202312.50",
            ["-141618.75", "-40462.50", "-20231.25"],
        ),
        (
            9,
            "202000000.00",
            "5050000.00",
            "0.82",
            "3105750.00",
            "3172687.50",
            "-66937.50",
            ["-46856.25", "-13387.50", "-6693.75"],
        ),
        (
            12,
            "202600000.00",
            "5065000.00",
            "0.5975",
            "3026337.50",
            "4230750.00",
            "-1204412.50",
            ["-843088.75", "-240882.50", "-120441.25"],
        ),
    ],
)
def test_reconcile_each_checkpoint_to_the_penny(month, base, pot, achieved, earned, paid, adjustment, by_commissioner):
    r = json_of("reconcile", "--month", str(month))
    assert (r["base"], r["expected_value"], r["earned"], r["paid"], r["adjustment"]) == (base, pot, earned, paid, adjustment)
    assert D(r["weighted_achievement"]) == D(achieved)
    assert [c["adjustment"] for c in r["commissioners"]] == by_commissioner
    assert sum(D(a) for a in by_commissioner) == D(adjustment)


def test_year_end_achievement_of_each_indicator():
    r = json_of("reconcile", "--month", "12")
    got = {i["number"]: (i["achieved"], i["earned"]) for i in r["indicators"]}
    assert got == {
        "S1": ("1", "253250.00"),
        "S2": ("0.8", "810400.00"),
        "E1": ("1", "253250.00"),
        "E2": ("0", "0.00"),
        "X1": ("0.75", "949687.50"),
        "I1": ("1", "759750.00"),
    }


def test_render_writes_the_year_end_reconciliation(tmp_path):
    out = tmp_path / "northfield-2012-13.xlsx"
    result = run_cli("render", str(SCHEME), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(out)
    values = {c.value for row in book["Reconciliation"].iter_rows() for c in row if c.value is not None}
    assert "Provider repays commissioners £1,204,412.50" in values
    numbers = {D(str(v)) for v in values if isinstance(v, (int, float))}
    assert {D("3026337.50"), D("4230750.00"), D("-1204412.50"), D("-202312.50"), D("-66937.50")} <= numbers
    part_4c = {c.value for ws in book.worksheets[:1] for row in ws.iter_rows() for c in row if c.value is not None}
    assert "NHS Safety Thermometer data collection" in part_4c
    assert D("5000000") in {D(str(v)) for v in part_4c if isinstance(v, (int, float))}
