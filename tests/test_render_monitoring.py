"""`cquin render --month N` (any month 1-12): the Monitoring sheet read back cell by cell and chart by chart.

Every figure is checked against `cquin monitor --format json` on the same scheme and
month, which prints from the same `monitor()`: statuses, money, means and limits, the
special-cause points, and the seeded forecast's P10 / P50 / P90 to the penny.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE, run_cli
from openpyxl import load_workbook

from cquin_cli.load.discovery import achievement_file_for
from cquin_cli.render.monitoring_sheet import INDICATOR_HEADERS, SERIES_HEADERS

IMPERIAL = SAMPLES / "westminster" / "imperial-college-healthcare-2009-10.yaml"


def render(*args: str):
    return run_cli("render", *args)


def monitored(scheme: Path, month: int) -> dict:
    result = run_cli("monitor", str(scheme), "--month", str(month), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(scheme, month) -> the rendered workbook's path; each rendered once."""
    out = tmp_path_factory.mktemp("monitoring")
    books: dict[tuple[str, int], Path] = {}

    def get(scheme: Path, month: int) -> Path:
        key = (str(scheme), month)
        if key not in books:
            path = out / f"{scheme.stem}-m{month}.xlsx"
            result = render(str(scheme), "-o", str(path), "--month", str(month))
            assert result.exit_code == 0, result.stdout + result.stderr
            books[key] = path
        return books[key]

    return get


def rows_by(ws, column: int) -> dict:
    return {
        ws.cell(row=r, column=column).value: r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=column).value, str)
    }


def number(cell) -> D:
    assert isinstance(cell.value, (int, float)), f"{cell.coordinate} holds {cell.value!r}, not a number"
    return D(str(cell.value))


def assert_money(cell, amount: str) -> None:
    assert number(cell) == D(amount), f"{cell.coordinate}: {cell.value} != {amount}"
    assert "£" in cell.number_format and "0.00" in cell.number_format, cell.number_format


def test_a_month_between_checkpoints_gives_the_contract_sheets_and_monitoring(rendered):
    book = load_workbook(rendered(WORKED_EXAMPLE, 8))
    # month 8 is no checkpoint: no Reconciliation sheet, a Monitoring sheet
    assert book.sheetnames == ["Schedule 3 Part 4C", "Schedule 18 Part 2", "Monitoring"]
    ws = book["Monitoring"]
    assert ws["A1"].value == "CQUIN monitoring at month 8 (November 2009), Northfield Hospitals NHS Trust, 2009/10"
    labels = rows_by(ws, 1)
    assert ws.cell(row=labels["Achievement data"], column=3).value.endswith("northfield-acute-2009-10.achievement.yaml")


def test_a_checkpoint_month_keeps_its_reconciliation_and_adds_monitoring(rendered):
    book = load_workbook(rendered(WORKED_EXAMPLE, 9))
    assert book.sheetnames == ["Schedule 3 Part 4C", "Schedule 18 Part 2", "Reconciliation", "Monitoring"]
    ws = book["Monitoring"]
    labels = rows_by(ws, 1)
    # E(9), P(9) and A(9) as `cquin reconcile --month 9` gives them (DOMAIN.md §4)
    assert_money(ws.cell(row=labels["Earned to date E(9) (month 9 is a checkpoint)"], column=4), "700350.00")
    assert_money(ws.cell(row=labels["Paid to date P(9)"], column=4), "546300.00")
    assert_money(ws.cell(row=labels["Adjustment A(9)"], column=4), "154050.00")
    reconciliation = book["Reconciliation"]
    assert_money(reconciliation.cell(row=rows_by(reconciliation, 1)["Adjustment A(9) = E(9) − P(9)"], column=5), "154050.00")


@pytest.mark.parametrize(("scheme", "month"), [(WORKED_EXAMPLE, 8), (WORKED_EXAMPLE, 12), (IMPERIAL, 7), (IMPERIAL, 4)])
def test_indicator_rows_are_what_cquin_monitor_says(rendered, scheme, month):
    ws = load_workbook(rendered(scheme, month))["Monitoring"]
    expected = monitored(scheme, month)
    head = rows_by(ws, 1)["Indicator"]
    assert tuple(ws.cell(row=head, column=c).value for c in range(1, len(INDICATOR_HEADERS) + 1)) == INDICATOR_HEADERS
    for k, i in enumerate(expected["indicators"]):
        row = head + 1 + k
        cell = lambda column, row=row: ws.cell(row=row, column=column)  # noqa: E731
        assert cell(1).value == i["number"] and cell(2).value == i["name"]
        assert cell(3).value == i["status"].replace("_", " ")
        assert_money(cell(4), i["value"])
        assert_money(cell(5), i["if_year_ended_now"])
        assert_money(cell(6), i["forecast"]["earned"]["p50"])
        assert cell(17).value == i["reason"]
        if i["next_target"] is not None and i["rule"] != "milestone":
            assert number(cell(9)) == i["next_target"]["month"] and number(cell(10)) == D(i["next_target"]["target"])
        if i["spc"] is None:
            assert cell(11).value is None
            continue
        assert number(cell(11)) == D(i["spc"]["mean"])
        assert number(cell(12)) == D(i["spc"]["lower_limit"])
        assert number(cell(13)) == D(i["spc"]["upper_limit"])
        assert cell(14).value == i["spc"]["variation"].replace("special_cause_", "special cause, ").replace("_", " ")
    total = head + 1 + len(expected["indicators"])
    assert ws.cell(row=total, column=2).value == "Total"
    assert_money(ws.cell(row=total, column=4), expected["pot"])
    assert_money(ws.cell(row=total, column=5), expected["if_year_ended_now"]["earned"])
    labels = rows_by(ws, 1)
    assert_money(
        ws.cell(row=labels["Money at risk (value of indicators at risk or off track)"], column=4), expected["money_at_risk"]
    )
    assert_money(
        ws.cell(row=labels["If the year ended now: adjustment A(12)"], column=4), expected["if_year_ended_now"]["adjustment"]
    )


def test_the_worked_example_at_month_8_in_words(rendered):
    ws = load_workbook(rendered(WORKED_EXAMPLE, 8))["Monitoring"]
    rows = rows_by(ws, 1)
    s1, x1, i1 = rows["S1"], rows["X1"], rows["I1"]
    assert ws.cell(row=s1, column=3).value == "at risk"
    assert (number(ws.cell(row=s1, column=7)), number(ws.cell(row=s1, column=8))) == (8, 74)
    assert ws.cell(row=s1, column=14).value == "special cause, improving"
    assert ws.cell(row=s1, column=15).value == "target reliably missed"
    assert "7 points in a row on one side of the mean (high)" in ws.cell(row=s1, column=16).value.split("\n")
    assert (
        ws.cell(row=x1, column=3).value == "no data" and ws.cell(row=x1, column=14).value == "too few points for process limits"
    )
    assert ws.cell(row=i1, column=8).value == "not met" and ws.cell(row=i1, column=10).value == "milestones"


@pytest.mark.parametrize(("scheme", "month"), [(WORKED_EXAMPLE, 8), (IMPERIAL, 7), (IMPERIAL, 4), (WORKED_EXAMPLE, 12)])
def test_forecast_table_is_cquin_monitors_forecast_to_the_penny(rendered, scheme, month):
    ws = load_workbook(rendered(scheme, month))["Monitoring"]
    expected = monitored(scheme, month)
    f = expected["forecast"]
    rows = rows_by(ws, 1)
    head = rows["Forecast"]
    assert [ws.cell(row=head, column=c).value for c in (4, 5, 6, 7)] == ["P10 (£)", "P50 (£)", "P90 (£)", "Meets its final value"]

    def percentiles(label: str, p: dict) -> None:
        row = rows[label]
        for column, key in ((4, "p10"), (5, "p50"), (6, "p90")):
            assert_money(ws.cell(row=row, column=column), p[key])

    percentiles("E(12) earned", f["earned"])
    percentiles("A(12) adjustment", f["adjustment"])
    names = {c["code"]: c["name"] for c in run_cli_price_commissioners(scheme)}
    assert set(f["by_commissioner"]) == set(names)
    for code, parts in f["by_commissioner"].items():
        percentiles(f"{code} {names[code]}: share of E(12)", parts["earned"])
        percentiles(f"{code} {names[code]}: A(12)", parts["adjustment"])
    for i in expected["indicators"]:
        line = i["forecast"]
        if line["forecastable"]:
            label = f"{i['number']} {i['name']}: its line of E(12)"
            percentiles(label, line["earned"])
            share = number(ws.cell(row=rows[label], column=7))
            assert abs(share - D(line["meets_final"])) <= D("0.0005")
            assert ws.cell(row=rows[label], column=7).number_format == "0.0%"
        else:  # named as not forecast, with the reason, never given figures
            label = f"{i['number']} {i['name']}: not forecast ({line['reason']}); held at what is known now"
            assert label in rows
            assert ws.cell(row=rows[label], column=4).value is None
    seed_note = next(text for text in rows if text.startswith(f"{f['runs']} seeded runs (seed {f['seed']})"))
    assert "sigma = mean moving range / 1.128" in seed_note


def run_cli_price_commissioners(scheme: Path) -> list[dict]:
    result = run_cli("price", str(scheme), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["schemes"][0]["commissioners"]


def test_the_imperial_forecast_has_indicators_forecast_and_not():
    lines = monitored(IMPERIAL, 7)["indicators"]
    assert any(i["forecast"]["forecastable"] for i in lines)
    assert any(not i["forecast"]["forecastable"] for i in lines)


# --- the charts ------------------------------------------------------------------------


def chart_xml(book_path: Path) -> list[str]:
    with zipfile.ZipFile(book_path) as archive:
        names = sorted(
            (n for n in archive.namelist() if n.startswith("xl/charts/chart")), key=lambda n: int(re.findall(r"\d+", n)[0])
        )
        return [archive.read(n).decode() for n in names]


def test_a_line_chart_per_indicator_with_limits_target_and_signals(rendered):
    path = rendered(WORKED_EXAMPLE, 8)
    ws = load_workbook(path)["Monitoring"]
    expected = {i["number"]: i for i in monitored(WORKED_EXAMPLE, 8)["indicators"]}
    charted = [n for n, i in expected.items() if i["spc"] is not None]
    assert charted == ["S1", "E1"]  # X1 has no points yet, I1 is met or not met
    charts = ws._charts
    assert len(charts) == 2
    xmls = chart_xml(path)  # month 8 has no Reconciliation sheet: every chart is the Monitoring sheet's
    assert len(xmls) == 2
    rows = rows_by(ws, 1)
    for number_, chart, xml in zip(charted, charts, xmls):
        i = expected[number_]
        assert chart.tagname == "lineChart"
        assert len(chart.series) == 6
        assert xml.count("<ser>") == 6 and "<lineChart>" in xml
        head = rows[f"{number_} {i['name']}: {i['status'].replace('_', ' ')}"] + 1
        assert tuple(ws.cell(row=head, column=c).value for c in range(1, 9)) == SERIES_HEADERS
        n = len(i["series"])
        # each series is named by its header cell and takes its values from the point rows
        names = re.findall(r"<tx><strRef><f>'Monitoring'!\$?([A-Z])\$?(\d+)</f>", xml)
        assert names == [(column, str(head)) for column in "CDEFGH"]
        for column in "CDEFGH":
            assert f"<val><numRef><f>'Monitoring'!${column}${head + 1}:${column}${head + n}</f></numRef></val>" in xml
        assert xml.count(f"<cat><strRef><f>'Monitoring'!$B${head + 1}:$B${head + n}</f></strRef></cat>") == 6
        # the measured values, mean and limits are cquin monitor's
        points = [(ws.cell(row=head + 1 + k, column=1).value, number(ws.cell(row=head + 1 + k, column=3))) for k in range(n)]
        assert points == [(("B" if p["year"] == "baseline" else "") + str(p["month"]), D(p["value"])) for p in i["series"]]
        for column, key in ((4, "mean"), (5, "lower_limit"), (6, "upper_limit")):
            assert {number(ws.cell(row=head + 1 + k, column=column)) for k in range(n)} == {D(i["spc"][key])}
        assert {number(ws.cell(row=head + 1 + k, column=7)) for k in range(n)} == {D(i["next_target"]["target"])}
        # the special-cause series has a point exactly where a signal is, drawn as markers with no line
        signalled = {label for s in i["spc"]["signals"] for label in s["points"]}
        marked = {
            ws.cell(row=head + 1 + k, column=1).value for k in range(n) if ws.cell(row=head + 1 + k, column=8).value is not None
        }
        assert marked == signalled and marked
        for k in range(n):
            if ws.cell(row=head + 1 + k, column=8).value is not None:
                assert ws.cell(row=head + 1 + k, column=8).value == ws.cell(row=head + 1 + k, column=3).value
        special = chart.series[5]
        assert special.graphicalProperties.line.noFill is True and special.marker.symbol == "circle"
        assert len(re.findall(r'<symbol val="none" ?/>', xml)) == 4  # mean, limits and target: lines without markers
        assert re.search(r'<dispBlanksAs val="gap" ?/>', xml)


def test_the_month_12_charts_hold_the_whole_year(rendered):
    path = rendered(WORKED_EXAMPLE, 12)
    book = load_workbook(path)
    ws = book["Monitoring"]
    assert len(book["Reconciliation"]._charts) == 3
    assert len(ws._charts) == 2  # S1 and E1; X1 has one point (no history), I1 is met or not met
    indicators = {i["number"]: i for i in monitored(WORKED_EXAMPLE, 12)["indicators"]}
    rows = rows_by(ws, 1)
    e1 = indicators["E1"]
    head = rows["E1 Stroke patients scanned within 3 hours: " + e1["status"].replace("_", " ")] + 1
    assert ws.cell(row=head + 24, column=1).value == "12" and number(ws.cell(row=head + 24, column=3)) == D("81")
    assert ws.cell(row=head + 24, column=2).value == "Mar 2010" and ws.cell(row=head + 1, column=2).value == "Apr 2008"
    x1 = rows["X1 Inpatient survey score: " + indicators["X1"]["status"].replace("_", " ")]
    assert ws.cell(row=x1 + 1, column=1).value == "1 point measured: too few for process limits (a chart needs two)."
    assert (ws.cell(row=x1 + 2, column=1).value, number(ws.cell(row=x1 + 2, column=3))) == ("12", D("74"))
    i1 = rows["I1 Real-time feedback roll-out: " + indicators["I1"]["status"].replace("_", " ")]
    assert [ws.cell(row=i1 + k, column=3).value for k in (1, 2, 3, 4)] == ["Milestone", "not met", "met", "met"]


# --- safe, reproducible, and the refusals ---------------------------------------------


def test_rendering_twice_gives_identical_bytes(tmp_path, rendered):
    again = tmp_path / "again.xlsx"
    assert render(str(WORKED_EXAMPLE), "-o", str(again), "--month", "8").exit_code == 0
    assert again.read_bytes() == rendered(WORKED_EXAMPLE, 8).read_bytes()
    with zipfile.ZipFile(again) as archive:
        names = archive.namelist()
        assert names == sorted(names) and {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_hostile_names_stay_text_in_the_monitoring_sheet(tmp_path):
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    for old, new in (
        ("name: VTE risk assessment", 'name: \'=HYPERLINK("http://x","y")\''),
        ("name: Real-time feedback roll-out", 'name: "@SUM(1+1)"'),
    ):
        assert old in text
        text = text.replace(old, new)
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(text, encoding="utf-8")
    shutil.copy(achievement_file_for(str(WORKED_EXAMPLE)), tmp_path / "scheme.achievement.yaml")
    out = tmp_path / "hostile.xlsx"
    result = render(str(scheme), "-o", str(out), "--month", "8")
    assert result.exit_code == 0, result.stdout + result.stderr
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), name
    ws = load_workbook(out)["Monitoring"]
    rows = rows_by(ws, 1)
    s1 = ws.cell(row=rows["S1"], column=2)
    assert s1.value == '=HYPERLINK("http://x","y")' and s1.data_type == "s" and s1.quotePrefix
    assert ws.cell(row=rows["I1"], column=2).quotePrefix
    assert 'S1 =HYPERLINK("http://x","y"): its line of E(12)' in rows
    assert rows_by(ws, 1)['S1 =HYPERLINK("http://x","y"): at risk'] > rows["S1"]


def test_any_month_needs_achievement_data_and_a_month_of_the_year(tmp_path):
    scheme = tmp_path / "scheme.yaml"
    shutil.copy(WORKED_EXAMPLE, scheme)
    result = render(str(scheme), "-o", str(tmp_path / "m.xlsx"), "--month", "7")
    assert result.exit_code == 2 and "scheme.achievement.yaml does not exist" in result.stderr
    result = render(str(scheme), "-o", str(tmp_path / "m.xlsx"), "--month", "13")
    assert result.exit_code == 2 and "--month 13 is not a month of the financial year: 1 (April) to 12 (March)" in result.stderr
    assert not (tmp_path / "m.xlsx").exists()
