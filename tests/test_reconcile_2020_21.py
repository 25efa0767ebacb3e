"""CQUIN suspended (2020/21): a non-NHS provider was paid its CQUIN in full, whatever the
achievement, so validate warns (W219) and price and reconcile pay in full: every indicator
counts as achieved, E(m) = pot(B_m) x m/12. An NHS trust's scheme of the year is E218. The
2020/21 sample is priced, reconciled at months 6, 9 and 12 and rendered here, every figure
as docs/money.md works it by hand ("Later years, worked by hand")."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from conftest import SAMPLES, run_cli
from openpyxl import load_workbook

SCHEME = SAMPLES / "later-years" / "northfield-treatment-centre-2020-21.yaml"
ACHIEVEMENT = SCHEME.with_name("northfield-treatment-centre-2020-21.achievement.yaml")
D = Decimal


def json_of(*args: str, scheme=SCHEME) -> dict:
    result = run_cli(*args, str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_validate_warns_once_that_the_indicators_do_not_decide_the_payment():
    result = run_cli("validate", str(SCHEME), str(ACHIEVEMENT))
    assert result.exit_code == 0, result.stdout
    found = re.findall(rf"^{re.escape(str(SCHEME))}:(\d+):(\d+): (\w+) (\w+) (.*)$", result.stdout, re.M)
    assert [(int(a), int(b), severity, code) for a, b, severity, code, _ in found] == [(9, 1, "warning", "W219")]
    assert found[0][4].endswith("so this scheme's indicators do not decide its payment: price and reconcile pay it in full")
    assert "0 errors, 1 warning in 1 of 2 files" in result.stdout


def test_an_nhs_trusts_scheme_of_the_year_is_E218(tmp_path):
    scheme = tmp_path / SCHEME.name
    scheme.write_text(SCHEME.read_text(encoding="utf-8").replace("sector: independent_sector", "sector: acute"), encoding="utf-8")
    result = run_cli("validate", str(scheme))
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(scheme))}:9:1: error E218 ", result.stdout, re.M), result.stdout


def test_price_names_the_payment_in_full_and_its_source():
    priced = json_of("price")["schemes"][0]
    assert (priced["base"], priced["rate"], priced["expected_value"]) == ("23456789.01", "1.25%", "293209.86")
    assert priced["rate_source"].startswith("the scheme's own source: the rate in the provider's 2020/21 contract")
    assert priced["payment_mode"]["mode"] == "paid_in_full"
    assert "england.nhs.uk/nhs-standard-contract/cquin/cquin-20-21/" in priced["payment_mode"]["source"]
    assert [c["expected_value"] for c in priced["commissioners"]] == ["175925.92", "117283.94"]
    assert [c["on_account"] for c in priced["commissioners"]] == ["158333.32", "105555.55"]
    amounts = [i["amount"] for i in priced["on_account"]["instalments"]]
    assert amounts == ["21990.75"] * 4 + ["21990.74"] * 3 + ["21990.73"] * 5  # the odd pennies first
    assert sum(D(a) for a in amounts) == D("263888.87")


def test_every_checkpoint_pays_in_full_whatever_was_measured():
    r6 = json_of("reconcile", "--month", "6")
    assert r6["payment_mode"] == "paid_in_full"
    assert {i["status"] for i in r6["indicators"]} == {"paid_in_full"}
    assert (r6["expected_value"], r6["earned"], r6["paid"], r6["adjustment"]) == (
        "287500.00",
        "143750.00",
        "131944.48",
        "11805.52",
    )
    r9 = json_of("reconcile", "--month", "9")
    assert (r9["earned"], r9["paid_on_account"], r9["paid"], r9["adjustment"]) == (
        "210937.50",
        "197916.68",
        "209722.20",
        "1215.30",
    )
    r12 = json_of("reconcile", "--month", "12")
    s1 = next(i for i in r12["indicators"] if i["number"] == "S1")
    assert (s1["measured"], s1["achieved"], s1["status"]) == ("61", "1", "paid_in_full")  # 61 is below its floor
    assert (r12["base"], r12["expected_value"], r12["earned"]) == ("22345678.91", "279320.99", "279320.99")
    assert (r12["paid"], r12["adjustment"]) == ("276909.69", "2411.30")
    assert [c["adjustment"] for c in r12["commissioners"]] == ["1446.78", "964.52"]
    assert any(n.startswith("2020/21 was paid in full while CQUIN was suspended, whatever the achievement") for n in r12["notes"])
    text = run_cli("reconcile", str(SCHEME), "--month", "12").stdout
    assert re.search(r"S1 .* 61 +100\.00% +£69,830\.25 +paid in full: CQUIN suspended", text)


def test_record_needs_no_measurement_when_the_payment_is_in_full(tmp_path):
    text = ACHIEVEMENT.read_text(encoding="utf-8")
    achievement = tmp_path / ACHIEVEMENT.name
    achievement.write_text(text[: text.index("adjustments:")], encoding="utf-8")
    scheme = tmp_path / SCHEME.name
    scheme.write_text(SCHEME.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("reconcile", str(scheme), "--month", "6", "--record", "--date", "2020-10-30")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert 'amount: "11805.52"' in achievement.read_text(encoding="utf-8")
    assert "--allow-carried" not in achievement.read_text(encoding="utf-8")


def test_render_writes_the_payment_in_full(tmp_path):
    out = tmp_path / "treatment-centre-2020-21.xlsx"
    result = run_cli("render", str(SCHEME), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(out)
    rows = {str(row[0].value): row for row in book["Reconciliation"].iter_rows() if row[0].value is not None}
    assert D(str(rows["Adjustment A(12) = E(12) − P(12)"][4].value)) == D("2411.30")
    s1 = next(row for row in book["Reconciliation"].iter_rows() if row[1].value == "S1")
    assert [c.value for c in s1 if c.value is not None][4:7] == [
        "paid in full: CQUIN suspended",
        61,
        "paid in full (CQUIN suspended)",
    ]
