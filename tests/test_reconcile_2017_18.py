"""Money held back (2017/18, 2018/19): the STP engagement part and the risk reserve, 0.5% of
the base each, priced as their own lines per commissioner, apart from the goals' pot and not
paid on account, and due only once the achievement data records the part earned or released.
The 2017/18 sample is priced, reconciled at months 6, 9 and 12 and rendered here, every
figure as docs/money.md works it by hand ("Later years, worked by hand"); E309 says where a
recorded outcome does not fit the year or the part."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from conftest import SAMPLES, run_cli
from openpyxl import load_workbook

SCHEME = SAMPLES / "later-years" / "northfield-acute-2017-18.yaml"
ACHIEVEMENT = SCHEME.with_name("northfield-acute-2017-18.achievement.yaml")
D = Decimal


def json_of(*args: str, scheme=SCHEME) -> dict:
    result = run_cli(*args, str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def copy_of(tmp_path, year: str = "2017/18", achievement_edits=()):
    """The sample and its achievement data in ``tmp_path``, the data with text replacements."""
    scheme, achievement = SCHEME.read_text(encoding="utf-8"), ACHIEVEMENT.read_text(encoding="utf-8")
    scheme = scheme.replace("financial_year: 2017/18", f"financial_year: {year}")
    achievement = achievement.replace("financial_year: 2017/18", f"financial_year: {year}")
    for old, new in achievement_edits:
        assert old in achievement, old
        achievement = achievement.replace(old, new)
    (tmp_path / SCHEME.name).write_text(scheme, encoding="utf-8")
    (tmp_path / ACHIEVEMENT.name).write_text(achievement, encoding="utf-8")
    return tmp_path / SCHEME.name


def test_the_2017_18_sample_validates_and_lints_clean_with_its_data():
    for command in ("validate", "lint"):
        result = run_cli(command, str(SCHEME), str(ACHIEVEMENT))
        assert result.exit_code == 0, result.stdout
        assert "no problems (0 errors, 0 warnings)" in result.stdout


def test_price_shows_each_part_held_back_per_commissioner_apart_from_the_pot():
    priced = json_of("price")["schemes"][0]
    assert (priced["base"], priced["rate"], priced["expected_value"]) == ("200000000.00", "1.5%", "3000000.00")
    assert priced["base_definition"].startswith("actual annual value (AAV)")
    assert priced["on_account"]["total"] == "2700000.00"  # 90% of the pot: the parts held back are not on account
    held = priced["held_back"]
    assert [(h["part"], h["rate"], h["value"], h["by_commissioner"]) for h in held] == [
        ("stp_engagement", "0.5%", "1000000.00", {"03N": "750000.00", "03B": "250000.00"}),
        ("risk_reserve", "0.5%", "1000000.00", {"03N": "750000.00", "03B": "250000.00"}),
    ]
    assert all(h["rate_source"].startswith("hsj.co.uk/") for h in held)
    text = run_cli("price", str(SCHEME)).stdout
    assert "Held back, apart from the expected value and not paid on account (B = £200,000,000.00)" in text
    assert re.search(r"STP engagement +0.5% +£1,000,000.00 +£750,000.00 +£250,000.00", text)
    assert re.search(r"Total +£2,000,000.00 +£1,500,000.00 +£500,000.00", text)
    assert "the STP engagement part earned or the risk reserve released, under `held_back:`" in text
    csv = run_cli("price", str(SCHEME), "--format", "csv").stdout
    assert ",held_back,risk_reserve,Risk reserve,0.5%,,1000000.00" in csv


def test_a_year_that_holds_nothing_back_prices_no_such_line():
    priced = json_of("price", scheme=SAMPLES / "later-years" / "northfield-acute-2012-13.yaml")["schemes"][0]
    assert priced["held_back"] == []
    assert "Held back" not in run_cli("price", str(SAMPLES / "later-years" / "northfield-acute-2012-13.yaml")).stdout


def test_month_6_and_9_reconcile_the_goals_and_keep_the_parts_held_back_apart():
    r6 = json_of("reconcile", "--month", "6")
    assert (r6["base"], r6["expected_value"], r6["weighted_achievement"]) == ("200600000.00", "3009000.00", "0.85")
    assert (r6["earned"], r6["paid"], r6["adjustment"]) == ("1278825.00", "1350000.00", "-71175.00")
    assert [c["adjustment"] for c in r6["commissioners"]] == ["-53381.25", "-17793.75"]
    assert [h["value"] for h in r6["held_back"]] == ["1003000.00", "1003000.00"]  # 0.5% of B(6)
    r9 = json_of("reconcile", "--month", "9")
    assert (r9["expected_value"], r9["earned"], r9["paid"], r9["adjustment"]) == (
        "3015000.00",
        "1545187.50",
        "1953825.00",
        "-408637.50",
    )
    assert [c["adjustment"] for c in r9["commissioners"]] == ["-306478.13", "-102159.37"]  # the tied penny to the first


def test_the_year_end_pays_the_part_earned_and_not_the_part_withheld():
    r = json_of("reconcile", "--month", "12")
    assert (r["base"], r["expected_value"]) == ("201234567.89", "3018518.52")
    assert [(i["number"], i["achieved_exact"], i["earned"]) for i in r["indicators"]] == [
        ("S1", "3/5", "452777.78"),
        ("E1", "4/5", "603703.70"),
        ("X1", "5/6", "628858.03"),
        ("I1", "0/1", "0.00"),
    ]
    assert (r["earned"], r["paid"], r["adjustment"]) == ("1685339.51", "2220187.50", "-534847.99")
    assert [c["adjustment"] for c in r["commissioners"]] == ["-401135.99", "-133712.00"]
    engagement, reserve = r["held_back"]
    assert (engagement["value"], engagement["outcome"], engagement["recorded"], engagement["due"]) == (
        "1006172.84",
        "earned",
        "2018-05-25",
        "1006172.84",
    )
    assert engagement["due_by_commissioner"] == {"03N": "754629.63", "03B": "251543.21"}
    assert (reserve["value"], reserve["outcome"], reserve["due"]) == ("1006172.84", "withheld", "0.00")
    assert reserve["due_by_commissioner"] == {"03N": "0.00", "03B": "0.00"}
    assert r["held_back_due"] == "1006172.84"
    text = run_cli("reconcile", str(SCHEME), "--month", "12").stdout
    assert "Held back, apart from A(12): priced at B(12) (B = £201,234,567.89)" in text
    assert "earned on 2018-05-25 (Northfield and Bramley STP board minutes, 25 May 2018)" in text
    assert (
        "Commissioners pay the provider for the parts held back: 03N NHS Northfield CCG £754,629.63; "
        "03B NHS Bramley CCG £251,543.21"
    ) in text


def test_a_part_with_no_outcome_recorded_is_held_and_nothing_is_due(tmp_path):
    held_back = re.search(r"^held_back:\n(?:[ -].*\n)*", ACHIEVEMENT.read_text(encoding="utf-8"), re.M)
    assert held_back is not None
    scheme = copy_of(tmp_path, achievement_edits=[(held_back.group(0), "")])
    r = json_of("reconcile", "--month", "12", scheme=scheme)
    assert [(h["outcome"], h["due"]) for h in r["held_back"]] == [("held", "0.00"), ("held", "0.00")]
    assert r["held_back_due"] == "0.00"
    assert r["adjustment"] == "-534847.99"  # the goals' adjustment does not change
    text = run_cli("reconcile", str(scheme), "--month", "12").stdout
    assert "held: no outcome recorded" in text and "Commissioners pay the provider for the parts held back" not in text


def test_2018_19_holds_back_the_same_parts(tmp_path):
    scheme = copy_of(tmp_path, "2018/19")
    r = json_of("reconcile", "--month", "12", scheme=scheme)
    assert [h["part"] for h in r["held_back"]] == ["stp_engagement", "risk_reserve"]
    assert r["held_back_due"] == "1006172.84"


def _errors(result, file) -> list[tuple[int, int, str, str]]:
    found = re.findall(rf"^{re.escape(str(file))}:(\d+):(\d+): error (E\d+) (.*)$", result.stdout, re.M)
    return [(int(a), int(b), code, message) for a, b, code, message in found]


def test_an_outcome_that_does_not_fit_the_part_is_E309_at_the_outcome(tmp_path):
    scheme = copy_of(tmp_path, achievement_edits=[("    outcome: withheld\n", "    outcome: earned\n")])
    achievement = tmp_path / ACHIEVEMENT.name
    result = run_cli("validate", str(scheme), str(achievement))
    assert result.exit_code == 1
    line = ACHIEVEMENT.read_text(encoding="utf-8").splitlines().index("    outcome: withheld") + 1
    assert _errors(result, achievement) == [(line, 5, "E309", "the risk reserve is released or withheld, not earned")]


def test_a_part_recorded_twice_or_in_a_year_that_holds_nothing_back_is_E309(tmp_path):
    twice = copy_of(tmp_path, achievement_edits=[("  - part: risk_reserve\n", "  - part: stp_engagement\n")])
    achievement = tmp_path / ACHIEVEMENT.name
    result = run_cli("validate", str(twice), str(achievement))
    codes = [(code, message) for _, _, code, message in _errors(result, achievement)]
    assert ("E309", "the outcome of stp_engagement is recorded twice; keep the one agreed") in codes
    other = tmp_path / "2016"
    other.mkdir()
    scheme = copy_of(other, "2016/17")
    result = run_cli("validate", str(scheme), str(other / ACHIEVEMENT.name))
    line = ACHIEVEMENT.read_text(encoding="utf-8").splitlines().index("  - part: stp_engagement") + 1
    assert (line, 5, "E309", "2016/17 holds back nothing: there is no stp_engagement to record") in _errors(
        result, other / ACHIEVEMENT.name
    )


def test_an_unknown_part_is_E104_with_a_suggestion(tmp_path):
    scheme = copy_of(tmp_path, achievement_edits=[("  - part: risk_reserve\n", "  - part: reserve\n")])
    achievement = tmp_path / ACHIEVEMENT.name
    result = run_cli("validate", str(scheme), str(achievement))
    assert result.exit_code == 1
    line = ACHIEVEMENT.read_text(encoding="utf-8").splitlines().index("  - part: risk_reserve") + 1
    found = _errors(result, achievement)
    assert [(a, b, code) for a, b, code, _ in found] == [(line, 5, "E104")]
    assert "did you mean `risk_reserve`?" in found[0][3]


def test_render_writes_the_parts_held_back(tmp_path):
    out = tmp_path / "northfield-2017-18.xlsx"
    result = run_cli("render", str(SCHEME), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(out)

    def rows(sheet: str) -> dict[str, tuple]:
        return {str(row[0].value): row for row in book[sheet].iter_rows() if row[0].value is not None}

    schedule = rows("Schedule 18 Part 2")
    assert "4b. Parts held back (not paid on account)" in schedule
    engagement = schedule["STP engagement"]
    assert D(str(engagement[1].value)) == D("0.005")
    assert [D(str(c.value)) for c in engagement[2:5]] == [D("750000"), D("250000"), D("1000000")]
    assert D(str(schedule["Total held back"][4].value)) == D("2000000")
    reconciliation = rows("Reconciliation")
    assert "4b. Parts held back, apart from A(12)" in reconciliation
    reserve = reconciliation["Risk reserve"]
    assert D(str(reserve[2].value)) == D("1006172.84")
    assert str(reserve[3].value).startswith("withheld on 2018-06-29")
    assert D(str(reserve[5].value)) == 0
    assert D(str(reconciliation["Due from NHS Northfield CCG (03N)"][5].value)) == D("754629.63")


def test_the_held_back_prose_wraps_to_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = run_cli("reconcile", str(SCHEME), "--month", "12").stdout
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("A part is paid only once"))
    sentence = lines[start : next(k for k in range(start, len(lines)) if lines[k].endswith("under `held_back:`.")) + 1]
    assert len(sentence) > 1 and all(len(line) <= 80 for line in sentence)
    assert " ".join(sentence) == (
        "A part is paid only once the achievement data records the STP engagement part earned "
        "or the risk reserve released, under `held_back:`."
    )
