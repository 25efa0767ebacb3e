"""Actual annual value (2016/17): the national 2.5% of AAV, with the year's national goals at
their minimum values (staff health and wellbeing at least 0.75% of AAV, in three parts of
0.25%). The 2016/17 sample is priced, reconciled at months 6, 9 and 12 and rendered here,
every figure as docs/money.md works it by hand ("Later years, worked by hand"); E226 says
where a national goal falls below its minimum."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from conftest import SAMPLES, run_cli
from openpyxl import load_workbook

SCHEME = SAMPLES / "later-years" / "northfield-acute-2016-17.yaml"
ACHIEVEMENT = SCHEME.with_name("northfield-acute-2016-17.achievement.yaml")
D = Decimal


def json_of(*args: str, scheme=SCHEME) -> dict:
    result = run_cli(*args, str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_the_2016_17_sample_validates_and_lints_clean_with_its_data():
    for command in ("validate", "lint"):
        result = run_cli(command, str(SCHEME), str(ACHIEVEMENT))
        assert result.exit_code == 0, result.stdout
        assert "no problems (0 errors, 0 warnings)" in result.stdout


def test_price_is_the_national_rate_of_aav_with_staff_health_at_its_minimum():
    priced = json_of("price")["schemes"][0]
    assert (priced["base"], priced["rate"], priced["expected_value"]) == ("200400000.00", "2.5%", "5010000.00")
    assert priced["base_definition"].startswith("actual annual value (AAV): all payments under the contract in the year")
    assert "the base of 2016/17 (hfma.org.uk/" in priced["base_definition"]
    assert priced["rate_source"].startswith("the national rate for 2016/17 (hfma.org.uk/")
    goals = {g["number"]: g for g in priced["goals"]}
    assert goals["2"]["expected_value"] == "1503000.00"  # 0.75% of £200,400,000.00
    assert [i["expected_value"] for i in goals["2"]["indicators"]] == ["501000.00"] * 3  # 0.25% each
    assert (goals["1"]["expected_value"], goals["3"]["expected_value"]) == ("1002000.00", "1002000.00")
    assert priced["on_account"]["total"] == "4509000.00"
    assert priced["on_account"]["instalments"][0]["amount"] == "375750.00"
    assert priced["held_back"] == []


def test_months_6_and_9():
    r6 = json_of("reconcile", "--month", "6")
    assert (r6["expected_value"], r6["weighted_achievement"], r6["earned"], r6["paid"]) == (
        "5025000.00",
        "0.71",
        "1783875.00",
        "2254500.00",
    )
    assert r6["adjustment"] == "-470625.00"
    assert [c["adjustment"] for c in r6["commissioners"]] == ["-352968.75", "-117656.25"]
    assert [i["status"] for i in r6["indicators"] if i["number"] in ("E1", "E3", "S2")] == ["carried_on_account"] * 3
    r9 = json_of("reconcile", "--month", "9")
    assert (r9["expected_value"], r9["earned"], r9["paid"], r9["adjustment"]) == (
        "5020000.00",
        "2949250.00",
        "2911125.00",
        "38125.00",
    )
    assert r9["who_pays"] == "Commissioners pay the provider £38,125.00"
    assert [c["adjustment"] for c in r9["commissioners"]] == ["28593.75", "9531.25"]


def test_the_year_end_on_the_actual_annual_value():
    r = json_of("reconcile", "--month", "12")
    assert (r["base"], r["base_source"], r["expected_value"]) == ("200612345.67", "actual outturn", "5015308.64")
    assert {i["number"]: i["achieved_exact"] for i in r["indicators"]} == {
        "S1": "7/10",
        "E1": "3/5",
        "E2": "1/1",
        "E3": "1/1",
        "S2": "5/8",  # lower is better: (4800 - 4770) / (4800 - 4752)
        "X1": "2/3",
        "I1": "1/1",
    }
    assert r["weighted_achievement"] == "0.775"
    assert (r["earned"], r["paid"], r["adjustment"]) == ("3886864.20", "4076500.00", "-189635.80")
    assert [c["adjustment"] for c in r["commissioners"]] == ["-142226.85", "-47408.95"]
    lines = {i["number"]: D(i["earned"]) for i in r["indicators"]}
    assert sum(lines.values()) == D("3886864.20")
    assert (lines["E2"], lines["E3"], lines["X1"]) == (D("501530.87"), D("501530.86"), D("501530.86"))


def test_staff_health_below_its_minimum_is_E226_at_the_weighting(tmp_path):
    text = SCHEME.read_text(encoding="utf-8")
    # E3 (flu) no longer names the national goal: staff health and wellbeing is then 20%, 0.5% of AAV
    changed = text.replace("        national_indicator: staff-health-wellbeing\n  - number: 3\n", "  - number: 3\n")
    assert changed != text
    scheme = tmp_path / SCHEME.name
    scheme.write_text(changed, encoding="utf-8")
    result = run_cli("validate", str(scheme))
    assert result.exit_code == 1
    lines = changed.splitlines()
    e1 = lines.index("      - number: E1")
    line = next(k for k in range(e1, len(lines)) if lines[k] == "        weighting: 10%") + 1
    found = re.findall(rf"^{re.escape(str(scheme))}:(\d+):(\d+): error (E\d+) (.*)$", result.stdout, re.M)
    assert [(int(a), code) for a, _, code, _ in found] == [(line, "E226")]
    assert found[0][3].startswith(
        "the national goal staff-health-wellbeing is worth 0.5% of the base (20% of a 2.5% scheme); "
        "in 2016/17 it is worth at least 0.75%"
    )


def test_render_writes_the_aav_scheme_and_its_year_end(tmp_path):
    out = tmp_path / "northfield-2016-17.xlsx"
    result = run_cli("render", str(SCHEME), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(out)

    def rows(sheet: str) -> dict[str, tuple]:
        return {str(row[0].value): row for row in book[sheet].iter_rows() if row[0].value is not None}

    part_4c = book["Schedule 3 Part 4C"]
    subtotal = next(c for row in part_4c.iter_rows() for c in row if c.value == "Goal 2 subtotal")
    weighting, value = (part_4c.cell(row=subtotal.row, column=subtotal.column + k).value for k in (1, 2))
    assert (D(str(weighting)), D(str(value))) == (D("0.3"), D("1503000"))
    schedule = rows("Schedule 18 Part 2")
    assert D(str(schedule["Expected value (rate × base)"][1].value)) == D("5010000")
    reconciliation = rows("Reconciliation")
    assert D(str(reconciliation["Expected value at that base"][4].value)) == D("5015308.64")
    assert D(str(reconciliation["Adjustment A(12) = E(12) − P(12)"][4].value)) == D("-189635.80")
