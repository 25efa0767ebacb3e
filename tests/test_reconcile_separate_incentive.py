"""A separate incentive scheme (Schedule 18 Part 3, guidance ¶41 and footnote 15): additional
money kept apart from the CQUIN pot, priced and reconciled as its own lines, and due for a goal
only once the achievement data records it earned (E310 where a record does not fit). The
Westminster sample's £150,000.00 stretch award is priced, reconciled and rendered here."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from conftest import SAMPLES, run_cli
from openpyxl import load_workbook

SCHEME = SAMPLES / "westminster" / "imperial-college-healthcare-2009-10.yaml"
ACHIEVEMENT = SCHEME.with_name("imperial-college-healthcare-2009-10.achievement.yaml")
RECORD = """separate_incentive:
  - goal: 1
    outcome: earned
    recorded: 2010-04-29
    source: Westminster PCT board minutes, 29 April 2010
"""
D = Decimal


def json_of(*args: str, scheme=SCHEME) -> dict:
    result = run_cli(*args, str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def copy_of(tmp_path, record: str | None = RECORD):
    """The sample in ``tmp_path``, its achievement data with ``record`` in place of its own."""
    text = ACHIEVEMENT.read_text(encoding="utf-8")
    assert RECORD in text
    (tmp_path / ACHIEVEMENT.name).write_text(text.replace(RECORD, record or ""), encoding="utf-8")
    (tmp_path / SCHEME.name).write_text(SCHEME.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / SCHEME.name


def test_price_shows_the_separate_scheme_apart_from_the_pot():
    priced = json_of("price")["schemes"][0]
    sis = priced["separate_incentive"]
    assert (sis["name"], sis["value"], sis["not_attached_to_a_goal"]) == (
        "Westminster exceptional stretch award 2009/10",
        "150000.00",
        "0.00",
    )
    assert [(g["number"], g["value"], g["outcome"]) for g in sis["goals"]] == [("1", "150000.00", "not_recorded")]
    assert sum(D(c["expected_value"]) for c in priced["commissioners"]) == D(priced["expected_value"])  # not in the pot
    text = run_cli("price", str(SCHEME)).stdout
    assert (
        "Separate incentive scheme (Schedule 18 Part 3, guidance ¶41), apart from the expected value and not paid on account"
        in text
    )
    assert re.search(r"Goal 1 +Real-time feedback in every outpatient clinic +£150,000\.00", text)
    assert (
        json_of("price", scheme=SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml")["schemes"][0]["separate_incentive"]
        is None
    )


def test_reconcile_pays_a_goal_recorded_earned_and_leaves_the_adjustment_alone(tmp_path):
    r = json_of("reconcile", "--month", "12")
    sis = r["separate_incentive"]
    assert [(g["outcome"], g["recorded"], g["due"]) for g in sis["goals"]] == [("earned", "2010-04-29", "150000.00")]
    assert sis["due"] == "150000.00"
    unrecorded = json_of("reconcile", "--month", "12", scheme=copy_of(tmp_path, None))
    assert unrecorded["separate_incentive"]["due"] == "0.00"
    assert (unrecorded["earned"], unrecorded["adjustment"]) == (r["earned"], r["adjustment"])  # apart from A(12)
    text = run_cli("reconcile", str(SCHEME), "--month", "12").stdout
    assert "Separate incentive scheme (Schedule 18 Part 3, guidance ¶41), apart from A(12)" in text
    assert re.search(r"earned on 2010-04-29 \(Westminster PCT board minutes, 29 April 2010\) +£150,000\.00", text)


def test_not_earned_pays_nothing(tmp_path):
    scheme = copy_of(tmp_path, RECORD.replace("outcome: earned", "outcome: not_earned"))
    r = json_of("reconcile", "--month", "12", scheme=scheme)
    assert [(g["outcome"], g["due"]) for g in r["separate_incentive"]["goals"]] == [("not_earned", "0.00")]


def _errors(result, file) -> list[tuple[int, int, str, str]]:
    found = re.findall(rf"^{re.escape(str(file))}:(\d+):(\d+): error (E\d+) (.*)$", result.stdout, re.M)
    return [(int(a), int(b), code, message) for a, b, code, message in found]


def test_a_goal_the_separate_scheme_does_not_have_is_E310_at_the_goal(tmp_path):
    scheme = copy_of(tmp_path, RECORD.replace("  - goal: 1\n", "  - goal: 2\n"))
    achievement = tmp_path / ACHIEVEMENT.name
    result = run_cli("validate", str(scheme), str(achievement))
    assert result.exit_code == 1
    line = achievement.read_text(encoding="utf-8").splitlines().index("  - goal: 2") + 1
    assert _errors(result, achievement) == [(line, 5, "E310", "the separate incentive scheme has no goal 2; its goals are 1")]


def test_a_record_for_a_scheme_without_a_separate_scheme_is_E310(tmp_path):
    worked = SAMPLES / "worked-example" / "northfield-acute-2009-10.yaml"
    (tmp_path / worked.name).write_text(worked.read_text(encoding="utf-8"), encoding="utf-8")
    achievement = tmp_path / "northfield-acute-2009-10.achievement.yaml"
    achievement.write_text(
        worked.with_name("northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8") + RECORD, encoding="utf-8"
    )
    result = run_cli("validate", str(tmp_path / worked.name), str(achievement))
    codes = [(code, message) for _, _, code, message in _errors(result, achievement)]
    assert codes == [("E310", "the scheme has no separate incentive scheme (`separate_incentive_scheme`) to record")]


def test_render_writes_the_separate_scheme_apart_from_the_adjustment(tmp_path):
    out = tmp_path / "imperial.xlsx"
    result = run_cli("render", str(SCHEME), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    sheet = load_workbook(out)["Reconciliation"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    heading = next(k for k, row in enumerate(rows) if str(row[0]).startswith("4c. Separate incentive scheme, apart from A(12)"))
    goal = rows[heading + 2]
    assert goal[:4] == ["1", "Real-time feedback in every outpatient clinic", 150000, goal[3]]
    assert str(goal[3]).startswith("earned on 2010-04-29")
    assert D(str(goal[5])) == D("150000")
