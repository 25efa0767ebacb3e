"""`cquin report --xlsx FILE`: cells read back, native charts, same bytes, text never a formula."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal

import openpyxl
from conftest import SAMPLES, WORKED_EXAMPLE


def test_workbook_cells_and_charts(cquin, tmp_path):
    book = tmp_path / "portfolio.xlsx"
    result = cquin("report", str(SAMPLES), "--xlsx", str(book), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Summary", "Schemes", "Domains", "Indicators", "Requirements", "Challenge", "Pathways", "Paid twice"]

    domains = wb["Domains"]
    for row, figure in enumerate(doc["domains"], start=2):
        assert domains.cell(row, 1).value == figure["domain"].replace("_", " ")
        assert domains.cell(row, 2).value == figure["indicators"]
        money = domains.cell(row, 4)
        assert Decimal(str(money.value)) == Decimal(figure["expected_value"]) and "£" in money.number_format
        assert abs(Decimal(str(domains.cell(row, 5).value)) * 100 - Decimal(figure["value_share"])) <= Decimal("0.005")
    (money_chart,) = domains._charts
    assert money_chart.series[0].val.numRef.f == f"'Domains'!$D$2:$D${1 + len(doc['domains'])}"
    categories = money_chart.series[0].cat.strRef or money_chart.series[0].cat.numRef
    assert categories.f == f"'Domains'!$A$2:$A${1 + len(doc['domains'])}"

    challenge = wb["Challenge"]
    providers = [(g["coordinating_commissioner"], p) for g in doc["equivalent_challenge"] for p in g["providers"]]
    for row, (commissioner, p) in enumerate(providers, start=2):
        assert challenge.cell(row, 1).value.startswith(commissioner)
        assert challenge.cell(row, 3).value == p["provider"]
        if p["stretch"] is not None:
            # the compute stage's two decimals, exactly, shown with two decimals
            assert Decimal(str(challenge.cell(row, 6).value)) * 100 == Decimal(p["stretch"])
            assert challenge.cell(row, 6).number_format == "0.00%"
    (stretch_chart,) = challenge._charts
    assert stretch_chart.series[0].val.numRef.f == f"'Challenge'!$F$2:$F${1 + len(providers)}"

    schemes = wb["Schemes"]
    assert [schemes.cell(r, 1).value for r in range(2, 2 + len(doc["schemes"]))] == [s["scheme_id"] for s in doc["schemes"]]
    assert sum(Decimal(str(schemes.cell(r, 7).value)) for r in range(2, 2 + len(doc["schemes"]))) == Decimal(
        doc["expected_value"]
    )

    requirements = wb["Requirements"]
    rows = {requirements.cell(r, 1).value: r for r in range(1, requirements.max_row + 1)}
    assert requirements.cell(rows["code"], 7).value == "suppressed (reasoned)"
    w401 = next(r for r in doc["design_requirements"] if r["code"] == "W401")
    assert [requirements.cell(rows["W401"], c).value for c in (4, 5, 7)] == [w401["schemes_meeting"], w401["schemes"], 1]

    pathways = wb["Pathways"]
    parts = [(p["pathway"], part) for p in doc["pathways"] for part in p["parts"]]
    for row, (tag, part) in enumerate(parts, start=2):
        assert pathways.cell(row, 1).value == tag and pathways.cell(row, 2).value == part["provider"]
        assert Decimal(str(pathways.cell(row, 7).value)) == Decimal(part["expected_value"])
    with zipfile.ZipFile(book) as archive:
        assert sum(1 for n in archive.namelist() if n.startswith("xl/charts/chart")) == 2


def test_workbook_is_deterministic_and_text_is_never_a_formula(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(
        worked_example_text.replace("name: Northfield Hospitals NHS Trust", 'name: \'=HYPERLINK("http://x","click")\'')
    )
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cquin("report", str(scheme), "--xlsx", str(a)).exit_code == 0
    assert cquin("report", str(scheme), "--xlsx", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    cell = openpyxl.load_workbook(a)["Schemes"].cell(2, 2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    with zipfile.ZipFile(a) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet2.xml")


def test_workbook_never_overwrites_an_input(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text)
    result = cquin("report", str(scheme), "--xlsx", str(scheme))
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert scheme.read_text() == worked_example_text
    assert cquin("report", str(WORKED_EXAMPLE), "--xlsx", str(tmp_path / "w.xlsx")).exit_code == 0
