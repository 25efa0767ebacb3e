"""`cquin price` as a contract round sees it: the worked example to the penny, what-ifs, folders, refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE

GOLDEN = Path(__file__).parent / "golden"
SCHEME = str(WORKED_EXAMPLE.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # golden files hold paths relative to the repository


def test_done_when_expected_value_and_twelve_instalments(cquin):
    result = cquin("price", SCHEME)
    assert result.exit_code == 0, result.stderr
    assert "Expected value               £1,000,000.00" in result.stdout
    table = result.stdout[result.stdout.index("On account") :]
    rows = [line for line in table.splitlines() if line.strip()[:2].strip().isdigit()]
    assert len(rows) == 12
    assert all(line.endswith("£75,000.00") for line in rows)


@pytest.mark.parametrize("fmt, golden", [("text", "price-worked-example.txt"), ("json", "price-worked-example.json")])
def test_golden(cquin, fmt, golden):
    result = cquin("price", SCHEME, "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / golden).read_text(encoding="utf-8")


def test_json_money_is_text_with_two_decimals(cquin):
    document = json.loads(cquin("price", SCHEME, "--format", "json").stdout)
    scheme = document["schemes"][0]
    assert scheme["expected_value"] == "1000000.00"
    assert scheme["base"] == "200000000.00"
    assert [i["amount"] for i in scheme["on_account"]["instalments"]] == ["75000.00"] * 12
    assert [c["expected_value"] for c in scheme["commissioners"]] == ["700000.00", "200000.00", "100000.00"]
    assert scheme["goals"][0]["indicators"][0] == {
        "number": "S1",
        "name": "VTE risk assessment",
        "weighting": "30%",
        "expected_value": "300000.00",
    }
    assert document["totals"] == [
        {
            "financial_year": "2009/10",
            "schemes": 1,
            "base": "200000000.00",
            "expected_value": "1000000.00",
            "on_account": "900000.00",
        }
    ]


def test_csv_rows_add_up(cquin):
    rows = list(csv.DictReader(io.StringIO(cquin("price", SCHEME, "--format", "csv").stdout)))
    instalments = [r for r in rows if r["section"] == "instalment" and r["code"] == ""]
    assert len(instalments) == 12 and {r["amount"] for r in instalments} == {"75000.00"}
    assert sum(int(r["amount"].replace(".", "")) for r in rows if r["section"] == "indicator") == 1000000_00


def test_what_if_outturn_and_activity(cquin):
    outturn = json.loads(cquin("price", SCHEME, "--outturn", "204000000.00", "--format", "json").stdout)["schemes"][0]
    assert outturn["expected_value"] == "1020000.00"
    assert outturn["on_account"]["total"] == "900000.00"  # on account stays at the planned base (¶65)
    activity = json.loads(cquin("price", SCHEME, "--activity", "+2%", "--format", "json").stdout)["schemes"][0]
    assert activity["base"] == "204000000.00" and activity["expected_value"] == "1020000.00"
    down = json.loads(cquin("price", SCHEME, "--activity", "-1.5%", "--format", "json").stdout)["schemes"][0]
    assert down["base"] == "197000000.00" and down["expected_value"] == "985000.00"


@pytest.mark.parametrize(
    "args", [["--outturn", "1.005"], ["--activity", "lots"], ["--outturn", "1", "--activity", "2%"], ["--format", "xml"]]
)
def test_bad_options_exit_2(cquin, args):
    result = cquin("price", SCHEME, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("cquin: ")
    assert "Traceback" not in result.stderr


def test_a_folder_gets_a_total_per_financial_year(cquin, tmp_path, worked_example_text):
    (tmp_path / "a.yaml").write_text(worked_example_text)
    other = worked_example_text.replace("code: RNF", "code: RNG").replace(
        "Northfield Hospitals NHS Trust", "Glenfield Hospitals NHS Trust"
    )
    (tmp_path / "b.yaml").write_text(other.replace('tariff_income: "180000000.00"', 'tariff_income: "80000000.00"'))
    result = cquin("price", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    total = [line for line in result.stdout.splitlines() if line.strip().startswith("Total 2009/10")]
    assert total == ["  Total 2009/10        2  £300,000,000.00   £1,500,000.00  £1,350,000.00"]


def test_a_scheme_with_errors_is_refused_with_its_diagnostics(cquin, tmp_path, worked_example_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(worked_example_text.replace("share: 10%", "share: 15%"))
    result = cquin("price", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{bad}:" in result.stderr and " E206 " in result.stderr


def test_missing_file_exits_2(cquin, tmp_path):
    result = cquin("price", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_output_is_deterministic(cquin):
    assert cquin("price", SCHEME).stdout == cquin("price", SCHEME).stdout


def test_folder_of_samples_prices(cquin):
    result = cquin("price", "sample_schemes/worked-example")
    assert result.exit_code == 0, result.stderr


def _three_vte_indicators(text: str) -> str:
    """Goal 1 with indicators S1, S2, S3 weighted 7% : 22% : 1% (together the goal's 30%)."""
    start = text.index("      - number: S1\n")
    end = text.index("  - number: 2\n")
    s1 = text[start:end]
    copies = [
        s1.replace("weighting: 30%", f"weighting: {w}%")
        .replace("number: S1", f"number: {n}")
        .replace("VTE risk assessment", f"VTE risk assessment ({n})")
        for n, w in (("S1", 7), ("S2", 22), ("S3", 1))
    ]
    return text[:start] + "".join(copies) + text[end:]


def test_an_exact_tie_between_indicators_gives_the_penny_to_the_first_listed(cquin, tmp_path, worked_example_text):
    # Tariff income £180,000,010.00 makes the pot £1,000,000.05 and goal 1 £300,000.02. Split
    # 7 : 22 : 1, S1's and S2's shares are 7,000,000 14/30 and 22,000,001 14/30 pence: the
    # remainders are exactly equal, so the one spare penny goes to S1, listed first.
    text = _three_vte_indicators(worked_example_text).replace('tariff_income: "180000000.00"', 'tariff_income: "180000010.00"')
    scheme = tmp_path / "ties.yaml"
    scheme.write_text(text)
    result = cquin("price", str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    priced = json.loads(result.stdout)["schemes"][0]
    assert priced["expected_value"] == "1000000.05"
    goal = priced["goals"][0]
    assert goal["expected_value"] == "300000.02"
    assert [(i["number"], i["expected_value"]) for i in goal["indicators"]] == [
        ("S1", "70000.01"),
        ("S2", "220000.01"),
        ("S3", "10000.00"),
    ]


def test_odd_penny_instalments_are_explained_in_one_line(cquin, tmp_path, worked_example_text):
    odd = tmp_path / "odd.yaml"
    odd.write_text(worked_example_text.replace('tariff_income: "180000000.00"', 'tariff_income: "180000012.34"'))
    out = cquin("price", str(odd)).stdout
    assert "      1  Apr 2009   £52,500.01   £15,000.01   £7,500.00   £75,000.02" in out
    assert "     12  Mar 2010   £52,500.00   £15,000.00   £7,500.00   £75,000.00" in out
    notes = [line for line in out.splitlines() if "Odd pennies" in line]
    assert notes == [
        "  Odd pennies: the on-account amounts of 5NF, 5NB do not split into 12 equal pennies, so the earliest months "
        "carry a penny more; the instalments add up exactly."
    ]
    assert "Odd pennies" not in cquin("price", SCHEME).stdout  # equal instalments need no word


def test_names_are_wrapped_to_the_terminal_never_cut(cquin, monkeypatch, tmp_path, worked_example_text):
    long_name = "Patients with a completed venous thromboembolism risk assessment per 1,000 admissions"
    scheme = tmp_path / "long.yaml"
    scheme.write_text(worked_example_text.replace("name: VTE risk assessment", f"name: {long_name}"))
    piped = cquin("price", str(scheme)).stdout
    assert f"    S1    {long_name}  " in piped  # piped: one line, whole
    monkeypatch.setenv("COLUMNS", "80")
    narrow = cquin("price", str(scheme)).stdout
    lines = narrow.splitlines()
    assert max(len(line) for line in lines[lines.index("Goals and indicators") : lines.index("Commissioners")]) <= 80
    assert "per 1,0" not in narrow.replace("per 1,000", "")  # never cut
    table = narrow[narrow.index("    S1    ") : narrow.index("  Goal 2")]
    assert " ".join(line[10:].split("  ")[0].strip() for line in table.splitlines()) == long_name
    assert "..." not in narrow


@pytest.mark.parametrize("format", ["text", "json", "csv"])
def test_a_portfolio_priced_on_every_core_prints_the_same_bytes_as_one_process(cquin, monkeypatch, format):
    """cquin price checks and prices in worker processes and keeps only each scheme's piece of
    output (docs/performance.md): the bytes are those of a serial run, whatever the pool does."""
    from conftest import SAMPLES

    from cquin_cli import pool

    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**9)
    serial = cquin("price", str(SAMPLES), "--format", format)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(pool, "CHUNK", 2)
    parallel = cquin("price", str(SAMPLES), "--format", format)
    assert serial.exit_code == parallel.exit_code == 0, serial.stderr
    assert parallel.stdout == serial.stdout
    if format == "json":
        import json

        document = json.loads(serial.stdout)
        assert len(document["schemes"]) == len([p for p in SAMPLES.rglob("*.yaml") if not p.name.endswith(".achievement.yaml")])


def test_an_invalid_scheme_among_many_refuses_the_run_from_the_workers(cquin, monkeypatch, tmp_path):
    from conftest import WORKED_EXAMPLE

    from cquin_cli import pool

    monkeypatch.setattr(pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(pool, "CHUNK", 2)
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    for i in range(6):
        (tmp_path / f"s{i}.yaml").write_text(text.replace("code: RNF", f"code: RN{i}"), encoding="utf-8")
    (tmp_path / "s3.yaml").write_text(
        text.replace("code: RNF", "code: RN3").replace("rate: 0.5%", "rate: 0.7%"), encoding="utf-8"
    )
    result = cquin("price", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "s3.yaml" in result.stderr and "refused: 1 scheme file with errors" in result.stderr
