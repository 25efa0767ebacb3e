"""Payment in advance (2022/23, 2023/24): the whole value in twelve monthly instalments, as
if fully achieved, and under-achievement deducted or clawed back at reconciliation, so the
adjustment A(m) can only be a repayment. The 2022/23 sample is priced, reconciled and
rendered here, every figure as docs/money.md works it by hand ("Later years, worked by hand");
E228 says where a scheme of such a year is not paid so."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from conftest import SAMPLES, run_cli
from openpyxl import load_workbook

SCHEME = SAMPLES / "later-years" / "northfield-acute-2022-23.yaml"
ACHIEVEMENT = SCHEME.with_name("northfield-acute-2022-23.achievement.yaml")
D = Decimal


def json_of(*args: str, scheme=SCHEME) -> dict:
    result = run_cli(*args, str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def copy_of(tmp_path, year: str = "2022/23", scheme_edits=(), achievement_edits=()):
    """The sample and its achievement data in ``tmp_path``, each with text replacements."""
    scheme, achievement = SCHEME.read_text(encoding="utf-8"), ACHIEVEMENT.read_text(encoding="utf-8")
    if year != "2022/23":
        scheme = scheme.replace("financial_year: 2022/23", f"financial_year: {year}").replace(
            "base_kind: fixed_api_element\n", ""
        )
        achievement = achievement.replace("financial_year: 2022/23", f"financial_year: {year}")
    for old, new in scheme_edits:
        assert old in scheme, old
        scheme = scheme.replace(old, new)
    for old, new in achievement_edits:
        assert old in achievement, old
        achievement = achievement.replace(old, new)
    (tmp_path / SCHEME.name).write_text(scheme, encoding="utf-8")
    (tmp_path / ACHIEVEMENT.name).write_text(achievement, encoding="utf-8")
    return tmp_path / SCHEME.name


def test_the_2022_23_sample_lints_clean_with_five_equal_indicators():
    result = run_cli("lint", str(SCHEME))
    assert result.exit_code == 0, result.stdout
    assert SCHEME.read_text(encoding="utf-8").count("        weighting: 20%\n") == 5


def test_price_pays_the_whole_value_in_advance_in_twelve_instalments():
    priced = json_of("price")["schemes"][0]
    assert priced["base"] == "240000000.00" and priced["rate"] == "1.25%"
    assert priced["expected_value"] == "3000000.00"
    assert priced["base_definition"].startswith("the fixed element of the aligned payment and incentive (API) payment")
    assert priced["payment_mode"]["mode"] == "in_advance"
    assert priced["payment_mode"]["source"].startswith("hfma.org.uk/")
    assert priced["on_account"]["share"] == "100%" and priced["on_account"]["total"] == "3000000.00"
    assert [i["amount"] for i in priced["on_account"]["instalments"]] == ["250000.00"] * 12
    assert priced["on_account"]["instalments"][0]["by_commissioner"] == {"QNF": "200000.00", "QNB": "50000.00"}
    assert {i["number"]: i["expected_value"] for g in priced["goals"] for i in g["indicators"]} == dict.fromkeys(
        ("S1", "S2", "E1", "X1", "I1"), "600000.00"
    )
    text = run_cli("price", str(SCHEME)).stdout
    assert "Paid in advance (hfma.org.uk/" in text
    assert "): 100% of £3,000,000.00 = £3,000,000.00, in 12 instalments" in text
    assert "Reconciled at month 12 (guidance ¶66)" in text


def test_the_year_end_deducts_the_under_achievement():
    r = json_of("reconcile", "--month", "12")
    assert r["payment_mode"] == "in_advance"
    assert [(i["number"], i["achieved"], i["earned"]) for i in r["indicators"]] == [
        ("S1", "0.6", "360000.00"),
        ("S2", "0.75", "450000.00"),
        ("E1", "1", "600000.00"),
        ("X1", "0", "0.00"),
        ("I1", "0.6", "360000.00"),
    ]
    assert (r["earned"], r["paid"], r["difference"], r["adjustment"]) == (
        "1770000.00",
        "3000000.00",
        "-1230000.00",
        "-1230000.00",
    )
    assert [c["adjustment"] for c in r["commissioners"]] == ["-984000.00", "-246000.00"]
    assert r["who_pays"] == "Deducted from the provider through the variable element of the API payment £1,230,000.00"
    text = run_cli("reconcile", str(SCHEME), "--month", "12").stdout
    assert re.search(r"Paid in advance, months 1-12 +£3,000,000.00", text)
    assert re.search(r"Adjustment A\(12\) = the lesser of 0 and E\(12\) - P\(12\) +-£1,230,000.00", text)


def test_the_adjustment_can_only_be_a_repayment(tmp_path):
    """Every indicator met on a base above the plan: E(12) is more than was paid, and nothing more is due."""
    met = [
        ("value: 82}", "value: 90}"),
        ("value: 25}", "value: 30}"),
        ("value: 30,", "value: 55,"),
        ("value: 1.1}", "value: 1.5}"),
    ]
    scheme = copy_of(tmp_path, achievement_edits=[('actual: "240000000.00"', 'actual: "250000000.00"'), *met])
    r = json_of("reconcile", "--month", "12", scheme=scheme)
    assert (r["earned"], r["paid"], r["difference"], r["adjustment"]) == ("3125000.00", "3000000.00", "125000.00", "0.00")
    assert [c["adjustment"] for c in r["commissioners"]] == ["0.00", "0.00"]
    assert r["who_pays"] == "Nothing to pay: in a year paid in advance the adjustment can only be a repayment"
    assert any(n.startswith("E(12) - P(12) is £125,000.00, but 2022/23 was paid in advance") for n in r["notes"])


def test_2023_24_claws_back(tmp_path):
    scheme = copy_of(tmp_path, "2023/24")
    r = json_of("reconcile", "--month", "12", scheme=scheme)
    assert r["payment_mode"] == "in_advance_with_clawback"
    assert (r["earned"], r["adjustment"]) == ("1770000.00", "-1230000.00")
    assert r["who_pays"] == "Clawed back from the provider £1,230,000.00"
    assert "Funded up front (hfma.org.uk/" in run_cli("price", str(scheme)).stdout


def test_an_on_account_share_in_a_year_paid_in_advance_is_E228_at_the_payment(tmp_path):
    scheme = copy_of(tmp_path, scheme_edits=[("  on_account_share: 100%", "  on_account_share: 90%")])
    result = run_cli("validate", str(scheme))
    assert result.exit_code == 1
    line = SCHEME.read_text(encoding="utf-8").splitlines().index("payment:") + 1
    errors = re.findall(rf"^{re.escape(str(scheme))}:(\d+):(\d+): error (E\d+) (.*)$", result.stdout, re.M)
    assert [(int(a), int(b), code) for a, b, code, _ in errors] == [(line, 1, "E228")]
    assert errors[0][3].startswith("2022/23 was paid in advance in monthly instalments, under-achievement deducted (hfma.org.uk/")
    assert "the scheme says 90% in 12 instalment(s); write `payment: {on_account_share: 100%, instalments: 12}`" in errors[0][3]


def test_a_scheme_paid_in_advance_needs_no_sha(tmp_path):
    """The whole value in advance is the year's arrangement, not one the SHA must agree (E208 is not asked)."""
    assert "agreed_by" not in SCHEME.read_text(encoding="utf-8")
    result = run_cli("validate", str(SCHEME))
    assert result.exit_code == 0 and "E208" not in result.stdout


def test_render_words_the_payment_in_advance(tmp_path):
    out = tmp_path / "northfield-2022-23.xlsx"
    result = run_cli("render", str(SCHEME), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(out)

    def cells(sheet: str) -> dict[str, object]:
        return {str(row[0].value): row for row in book[sheet].iter_rows() if row[0].value is not None}

    schedule = cells("Schedule 18 Part 2")
    assert "3. Payment in advance (section 6 gives the source)" in schedule
    assert D(str(schedule["Share of the expected value paid in advance"][1].value)) == 1
    assert D(str(schedule["Paid in advance"][1].value)) == D("3000000")
    assert any(str(v).startswith("2022/23 was paid in advance in monthly instalments") for v in schedule)
    reconciliation = cells("Reconciliation")
    assert D(str(reconciliation["Paid in advance, instalments for months 1 to 12"][4].value)) == D("3000000")
    assert D(str(reconciliation["Adjustment A(12) = the lesser of 0 and E(12) − P(12)"][4].value)) == D("-1230000")
    assert "Deducted from the provider through the variable element of the API payment £1,230,000.00" in reconciliation


def test_new_scaffolds_the_whole_value_in_advance(tmp_path):
    out = tmp_path / "new.yaml"
    result = run_cli("new", "--provider", "RNF", "--year", "2022/23", "--sector", "acute", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert re.search(r"^payment: +# paid in advance in monthly instalments, under-achievement deducted \(hfma", text, re.M)
    assert "\n  on_account_share: 100%\n  instalments: 12\n" in text
