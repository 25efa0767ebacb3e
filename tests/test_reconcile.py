"""`cquin reconcile` at the checkpoints, and `--record`: DOMAIN.md §4 to the penny, who pays whom, refusals."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE

from cquin_cli.load.discovery import achievement_file_for

GOLDEN = Path(__file__).parent / "golden"
SCHEME = str(WORKED_EXAMPLE.relative_to(ROOT))
ACHIEVEMENT = Path(achievement_file_for(str(WORKED_EXAMPLE)))

WORKED = {
    6: ("321300.00", "450000.00", "-128700.00", ["-90090.00", "-25740.00", "-12870.00"]),
    9: ("700350.00", "546300.00", "154050.00", ["107835.00", "30810.00", "15405.00"]),
    12: ("749620.00", "925350.00", "-175730.00", ["-123011.00", "-35146.00", "-17573.00"]),
}


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def unrecorded(tmp_path):
    """The worked example in a scratch folder, with its achievement data before any --record."""
    scheme = tmp_path / "northfield.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    text = ACHIEVEMENT.read_text(encoding="utf-8")
    (tmp_path / "northfield.achievement.yaml").write_text(text[: text.index("adjustments:\n")], encoding="utf-8")
    return scheme, tmp_path / "northfield.achievement.yaml"


@pytest.mark.parametrize("month", [6, 9, 12])
def test_worked_example_json(cquin, month):
    result = cquin("reconcile", SCHEME, "--month", str(month), "--format", "json")
    assert result.exit_code == 0, result.stderr
    r = json.loads(result.stdout)
    earned, paid, adjustment, parts = WORKED[month]
    assert (r["earned"], r["paid"], r["adjustment"]) == (earned, paid, adjustment)
    assert [c["adjustment"] for c in r["commissioners"]] == parts
    assert r["direction"] == ("commissioners_pay" if month == 9 else "provider_repays")


@pytest.mark.parametrize("month", [6, 9, 12])
def test_golden(cquin, month):
    for fmt, ext in (("text", "txt"), ("json", "json")):
        result = cquin("reconcile", SCHEME, "--month", str(month), "--format", fmt)
        assert result.stdout == (GOLDEN / f"reconcile-worked-example-m{month}.{ext}").read_text(encoding="utf-8")


def test_text_says_who_pays_whom(cquin):
    six = cquin("reconcile", SCHEME, "--month", "6").stdout
    assert "Provider repays commissioners £128,700.00:" in six
    assert "Northfield Hospitals NHS Trust repays Northfield PCT £90,090.00" in six
    assert "Adjustment A(6) = E(6) - P(6)                        -£128,700.00" in six
    assert "Earned to date E(6) = £1,020,000.00 x 63.00% x 6/12   £321,300.00" in six
    nine = cquin("reconcile", SCHEME, "--month", "9").stdout
    assert "Commissioners pay the provider £154,050.00:" in nine
    assert "Castleton PCT pays Northfield Hospitals NHS Trust £15,405.00" in nine


def test_csv(cquin):
    rows = list(csv.DictReader(io.StringIO(cquin("reconcile", SCHEME, "--month", "12", "--format", "csv").stdout)))
    by_section = {r["section"]: r for r in rows}
    assert by_section["adjustment"]["amount"] == "-175730.00"
    assert [r["amount"] for r in rows if r["section"] == "commissioner"] == WORKED[12][3]
    assert [r["achieved"] for r in rows if r["section"] == "indicator"] == ["0.8", "1", "0", "1"]


@pytest.mark.parametrize("month", ["7", "3", "0"])
def test_months_other_than_checkpoints_are_refused(cquin, month):
    result = cquin("reconcile", SCHEME, "--month", month)
    assert result.exit_code == 2
    assert f"month {month} is not a reconciliation checkpoint" in result.stderr
    assert "months 6, 9, 12" in result.stderr


def test_missing_actual_outturn_at_year_end_exits_2(cquin, unrecorded):
    scheme, data = unrecorded
    data.write_text(data.read_text().replace('  actual: "202600000.00"\n', ""))
    result = cquin("reconcile", str(scheme), "--month", "12")
    assert result.exit_code == 2
    assert "needs the actual outturn" in result.stderr
    assert cquin("reconcile", str(scheme), "--month", "6").exit_code == 0


def test_missing_measurement_at_year_end_counts_0_and_is_reported(cquin, unrecorded):
    scheme, data = unrecorded
    data.write_text(data.read_text().replace("  - {indicator: E1, month: 12, value: 81}\n", ""))
    r = json.loads(cquin("reconcile", str(scheme), "--month", "12", "--format", "json").stdout)
    e1 = r["indicators"][1]
    assert (e1["number"], e1["status"], e1["achieved"], e1["earned"]) == ("E1", "missing_at_year_end", "0", "0.00")
    assert any("E1 has no measurement for month 12" in note for note in r["notes"])
    assert r["earned"] == "445720.00"  # 1,013,000.00 x (0.24 + 0 + 0 + 0.2)


def test_unrecorded_earlier_checkpoint_is_explained(cquin, unrecorded):
    scheme, _ = unrecorded
    r = json.loads(cquin("reconcile", str(scheme), "--month", "9", "--format", "json").stdout)
    assert r["paid"] == "675000.00"  # on-account instalments only
    assert r["adjustment"] == "25350.00"  # A(6) + A(9) of the worked example: settled at once
    assert r["unrecorded_checkpoints"] == [6]
    assert any("No adjustment was recorded for the month-6 checkpoint" in n for n in r["notes"])


def test_no_achievement_data_exits_2(cquin, tmp_path):
    scheme = tmp_path / "alone.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    result = cquin("reconcile", str(scheme), "--month", "6")
    assert result.exit_code == 2
    assert "alone.achievement.yaml does not exist" in result.stderr


def test_achievement_named_explicitly(cquin, unrecorded, tmp_path):
    scheme, data = unrecorded
    other = tmp_path / "data-for-q2.yaml"
    shutil.copy(data, other)
    result = cquin("reconcile", str(scheme), "--month", "6", "--achievement", str(other), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["adjustment"] == "-128700.00"


# --- --record ---------------------------------------------------------------------------


def test_record_6_then_9_rebuilds_the_sample_byte_for_byte(cquin, unrecorded):
    """The sample's adjustments block is exactly what --record writes; comments elsewhere are untouched."""
    scheme, data = unrecorded
    assert cquin("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30").exit_code == 0
    assert cquin("reconcile", str(scheme), "--month", "9", "--record", "--date", "2010-01-29").exit_code == 0
    assert data.read_bytes() == ACHIEVEMENT.read_bytes()
    r = json.loads(cquin("reconcile", str(scheme), "--month", "12", "--format", "json").stdout)
    assert (r["paid"], r["adjustment"]) == ("925350.00", "-175730.00")


def test_record_keeps_every_other_byte(cquin, unrecorded):
    scheme, data = unrecorded
    commented = (
        "# Agreed at the contract review meeting; do not edit by hand.\n"
        + data.read_text(encoding="utf-8").replace("measurements:\n", "measurements:   # as reported by the trust\n")
        + "# trailing remark, kept where it is\n"
    )
    data.write_text(commented, encoding="utf-8")
    result = cquin("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-10-30")
    assert result.exit_code == 0, result.stderr
    after = data.read_text(encoding="utf-8")
    assert after.startswith(commented)  # every byte before the recorded block is as it was
    block = after[len(commented) :]
    assert block.startswith("adjustments:\n  - month: 6\n")
    assert '    amount: "-128700.00"\n' in block and '      5NC: "-12870.00"\n' in block
    assert '    recorded: "2009-10-30"\n' in block


def test_record_into_an_existing_list_in_the_middle_of_the_file(cquin, unrecorded):
    scheme, data = unrecorded
    text = data.read_text(encoding="utf-8")
    cut = text.index("measurements:\n")
    moved = (
        text[:cut]
        + "adjustments:   # the ledger\n  - month: 6  # agreed 30 October\n"
        + ('    amount: "-128700.00"\n    earned: "321300.00"\n    paid: "450000.00"\n')
        + "\n# measured values follow\n"
        + text[cut:]
    )
    data.write_text(moved, encoding="utf-8")
    result = cquin("reconcile", str(scheme), "--month", "9", "--record", "--date", "2010-01-29")
    assert result.exit_code == 0, result.stderr
    after = data.read_text(encoding="utf-8")
    old_lines, new_lines = moved.splitlines(), after.splitlines()
    inserted = [line for line in new_lines if line not in old_lines or new_lines.count(line) > old_lines.count(line)]
    assert inserted[0] == "  - month: 9"
    assert [line for line in new_lines if line not in inserted] == old_lines  # nothing else moved or changed
    r = json.loads(cquin("reconcile", str(scheme), "--month", "12", "--format", "json").stdout)
    assert r["paid"] == "925350.00"


def test_record_refuses_twice_and_out_of_order_and_writes_nothing(cquin, unrecorded):
    scheme, data = unrecorded
    assert cquin("reconcile", str(scheme), "--month", "9", "--record", "--date", "2010-01-29").exit_code == 0
    before = data.read_bytes()
    twice = cquin("reconcile", str(scheme), "--month", "9", "--record")
    assert twice.exit_code == 2 and "already recorded" in twice.stderr and twice.stdout == ""
    late = cquin("reconcile", str(scheme), "--month", "6", "--record")
    assert late.exit_code == 2 and "checkpoint order" in late.stderr
    assert data.read_bytes() == before
    assert not [p for p in data.parent.iterdir() if p.name.startswith(".cquin-")]  # no temporary file left


@pytest.mark.parametrize(
    "old, new, code",
    [
        ("{indicator: S1, month: 6,", "{indicator: S7, month: 6,", "E303"),  # unknown indicator
        ("{indicator: S1, month: 6,", "{indicator: S1, month: 14,", "E108"),  # period outside the year
        ("value: 62.5}", "value: sixty-two}", "E103"),  # not a number
        ('base: "204000000.00"', "base: 204000000.001", "E105"),  # money with three decimals
    ],
)
def test_bad_achievement_data_is_refused_and_nothing_written(cquin, unrecorded, old, new, code):
    scheme, data = unrecorded
    text = data.read_text(encoding="utf-8")
    assert old in text
    data.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = data.read_bytes()
    result = cquin("reconcile", str(scheme), "--month", "6", "--record")
    assert result.exit_code == 1
    line = text[: text.index(old)].count("\n") + 1
    assert f"{data}:{line}:" in result.stderr and f" error {code} " in result.stderr
    assert data.read_bytes() == before


def test_bad_date_exits_2(cquin, unrecorded):
    scheme, data = unrecorded
    before = data.read_bytes()
    result = cquin("reconcile", str(scheme), "--month", "6", "--record", "--date", "2009-02-30")
    assert result.exit_code == 2 and "not a calendar date" in result.stderr
    assert data.read_bytes() == before


def test_binary_achievement_data_is_called_not_yaml_text(cquin, unrecorded):
    """E005 for a binary file does not call achievement data "a YAML scheme"."""
    scheme, data = unrecorded
    data.write_bytes(b"indicators:\n  \x00\x01\x02\n")
    result = cquin("reconcile", str(scheme), "--month", "6")
    assert result.exit_code == 1
    assert f"{data}:2:1: error E005 the file is binary (it contains NUL bytes), not YAML text" in result.stderr
    assert "scheme" not in result.stderr.splitlines()[0]


@pytest.mark.parametrize(
    "given, reason",
    [
        ("/dev/null", "/dev/null is not a regular file (a device or a pipe), not an achievement file"),
        ("FOLDER", "is a folder, not an achievement file"),
    ],
)
def test_achievement_that_is_not_a_regular_file_gives_the_true_reason(cquin, unrecorded, tmp_path, given, reason):
    scheme, _ = unrecorded
    if given == "FOLDER":
        given = str(tmp_path / "q2-data")
        (tmp_path / "q2-data").mkdir()
    result = cquin("reconcile", str(scheme), "--month", "6", "--achievement", given)
    assert result.exit_code == 2
    assert reason in result.stderr
    assert "does not exist" not in result.stderr


def test_bands_reconcile_to_the_penny(cquin, tmp_path, worked_example_text):
    # S1 paid by bands 70: 50%, 80: 75%, 90 (its final value): 100%; measured 86 at month 12,
    # it earns the 75% band. Sum of w x a = 0.3 x 0.75 + 0.3 x 1 + 0.2 x 0 + 0.2 x 1 = 0.725 of
    # the pot at the actual outturn, £1,013,000.00: E = £734,425.00; P = £925,350.00 as before.
    text = worked_example_text.replace(
        "          rule: linear\n          floor: 70\n",
        "          rule: bands\n          bands:\n            - {from: 70, fraction: 50%}\n            - {from: 80, fraction: 75%}\n            - {from: 90, fraction: 100%}\n",
    )
    scheme = tmp_path / "northfield.yaml"
    scheme.write_text(text)
    shutil.copy(ACHIEVEMENT, tmp_path / "northfield.achievement.yaml")
    result = cquin("reconcile", str(scheme), "--month", "12", "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    r = json.loads(result.stdout)
    assert (r["expected_value"], r["earned"], r["paid"], r["adjustment"]) == (
        "1013000.00",
        "734425.00",
        "925350.00",
        "-190925.00",
    )
    assert [c["adjustment"] for c in r["commissioners"]] == ["-133647.50", "-38185.00", "-19092.50"]
    s1 = r["indicators"][0]
    assert (s1["number"], s1["achieved"], s1["earned"]) == ("S1", "0.75", "227925.00")
    assert [i["earned"] for i in r["indicators"]] == ["227925.00", "303900.00", "0.00", "202600.00"]


def test_achievement_reads_as_a_percentage_in_text_exact_in_json(cquin):
    from decimal import Decimal

    from cquin_cli.money import format_achievement

    assert format_achievement(Decimal(11) / Decimal(14)) == "78.57%"
    assert format_achievement(Decimal("0.6357142857142857")) == "63.57%"
    assert format_achievement(Decimal(1)) == "100.00%" and format_achievement(Decimal(0)) == "0.00%"
    text = cquin("reconcile", SCHEME, "--month", "12").stdout
    assert "  S1     VTE risk assessment                           30%      90     70        86    80.00%  £243,120.00" in text
    assert "Earned to date E(12) = £1,013,000.00 x 74.00% x 12/12   £749,620.00" in text
    document = json.loads(cquin("reconcile", SCHEME, "--month", "12", "--format", "json").stdout)
    s1 = next(i for i in document["indicators"] if i["number"] == "S1")
    assert s1["achieved"] == "0.8" and s1["achieved_exact"] == "4/5"
