"""`cquin report --achievement`: the Quality Accounts table (guidance ¶9, ¶48, ¶80), from reconcile()."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE

from cquin_cli.check.pipeline import check_paths
from cquin_cli.compute.pricing import price
from cquin_cli.compute.reconciliation import reconcile
from cquin_cli.portfolio.export_tables import achievements_of_run


def test_worked_example_year_end_is_domain_md_to_the_penny(cquin):
    result = cquin("report", str(WORKED_EXAMPLE.parent), "--achievement", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (account,) = json.loads(result.stdout)["accounts"]
    assert (account["earned"], account["paid"], account["adjustment"]) == ("749620.00", "925350.00", "-175730.00")
    assert account["pot"] == "1013000.00" and account["base_source"] == "actual outturn"
    lines = {i["number"]: (i["achievement"], i["earned"], i["expected_value"]) for i in account["indicators"]}
    # S1 86 on a linear rule 70 -> 90: 0.8; E1 81 >= 80: 1; X1 74 < 75: 0; I1 met: 1 (DOMAIN.md §4).
    assert {n: v[0] for n, v in lines.items()} == {"S1": "80.00", "E1": "100.00", "X1": "0.00", "I1": "100.00"}
    assert sum(Decimal(v[1]) for v in lines.values()) == Decimal("749620.00")
    assert {n: v[2] for n, v in lines.items()} == {"S1": "300000.00", "E1": "300000.00", "X1": "200000.00", "I1": "200000.00"}


def test_month_6_carries_the_annual_survey_on_account(cquin):
    result = cquin("report", str(WORKED_EXAMPLE.parent), "--achievement", "--month", "6")
    assert result.exit_code == 0
    assert "earned to date £321,300.00; paid to date £450,000.00; adjustment -£128,700.00" in result.stdout
    x1 = next(line for line in result.stdout.splitlines() if " X1 " in line)
    assert "90.00%" in x1 and "carried on account" in x1
    e1 = next(line for line in result.stdout.splitlines() if " E1 " in line)
    assert "62.5" in e1 and "50.00%" in e1


def test_every_sample_account_is_reconcile_unchanged(cquin):
    doc = json.loads(cquin("report", str(SAMPLES), "--achievement", "--format", "json").stdout)
    run = check_paths([str(SAMPLES)])
    achievements = achievements_of_run(run)
    by_file = {s.file: s for s in run.schemes}
    assert {a["file"] for a in doc["accounts"]} == set(achievements)
    assert len(doc["without_achievement_data"]) == len(run.schemes) - len(achievements)
    for account in doc["accounts"]:
        scheme = by_file[account["file"]]
        r = reconcile(scheme, achievements[scheme.file], 12)
        assert (account["earned"], account["paid"], account["adjustment"]) == (
            f"{r.earned:.2f}",
            f"{r.paid:.2f}",
            f"{r.adjustment:.2f}",
        )
        assert [i["earned"] for i in account["indicators"]] == [f"{i.earned:.2f}" for i in r.indicators]
        assert [i["status"] for i in account["indicators"]] == [i.status for i in r.indicators]
        assert account["expected_value"] == f"{price(scheme).expected_value:.2f}"
    providers = [(a["provider"], a["financial_year"]) for a in doc["accounts"]]
    assert providers == sorted(providers)  # per provider, then year


def test_filters_and_markdown(cquin):
    result = cquin("report", str(SAMPLES), "--achievement", "--provider", "RNF", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Quality Accounts: CQUIN achievement and money earned at month 12")
    assert "## RNF Northfield Hospitals NHS Trust, 2009/10 (PCT-led)" in result.stdout
    assert (
        "| 1 | S1 | VTE risk assessment | safety | 30% | £300,000.00 | 90 | 86 | 80.00% | £243,120.00 | assessed |"
        in result.stdout
    )


@pytest.mark.parametrize(
    "month, message", [(7, "not a reconciliation checkpoint"), (13, "months of the financial year run from 1")]
)
def test_a_month_that_cannot_be_reconciled_is_exit_2(cquin, month, message):
    result = cquin("report", str(WORKED_EXAMPLE.parent), "--achievement", "--month", str(month))
    assert result.exit_code == 2 and message in result.stderr


def test_no_achievement_data_is_exit_2_with_a_message(cquin, tmp_path):
    shutil.copy(WORKED_EXAMPLE, tmp_path / "scheme.yaml")
    result = cquin("report", str(tmp_path), "--achievement")
    assert result.exit_code == 2
    assert "no scheme has achievement data" in result.stderr


def test_year_end_without_outturn_is_named_and_the_rest_reported(cquin, tmp_path, worked_example_text):
    (tmp_path / "a.yaml").write_text(worked_example_text)
    achievement = (WORKED_EXAMPLE.parent / "northfield-acute-2009-10.achievement.yaml").read_text()
    (tmp_path / "a.achievement.yaml").write_text(achievement)
    (tmp_path / "b.yaml").write_text(worked_example_text.replace("code: RNF", "code: RNG"))
    (tmp_path / "b.achievement.yaml").write_text(
        achievement.replace("provider: RNF", "provider: RNG").replace('  actual: "202600000.00"\n', "")
    )
    result = cquin("report", str(tmp_path), "--achievement")
    assert result.exit_code == 0, result.stderr
    assert "RNG/2009-10/pct: not reconciled at month 12: the year-end reconciliation needs the actual outturn" in result.stdout
    assert "earned to date £749,620.00" in result.stdout
