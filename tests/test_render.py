"""`cquin render`: the contract workbooks read back cell by cell (issue 4, item 7).

Figures are checked against `price()` and `reconcile()` (the library `cquin price` and
`cquin reconcile` print from) and against DOMAIN.md §4's worked example.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE, run_cli
from openpyxl import load_workbook

from cquin_cli.check.pipeline import check_scheme_file, read_document
from cquin_cli.check.schema import ACHIEVEMENT
from cquin_cli.compute.pricing import price
from cquin_cli.compute.reconciliation import reconcile
from cquin_cli.load.achievement import build_achievement
from cquin_cli.load.discovery import achievement_file_for, is_achievement_file
from cquin_cli.render import schedule_3_part_4c as s3

D = Decimal
ACHIEVEMENT_FILE = Path(achievement_file_for(str(WORKED_EXAMPLE)))


def render(*args: str):
    return run_cli("render", *args)


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    """The worked example rendered with its year-end reconciliation."""
    out = tmp_path_factory.mktemp("worked") / "northfield.xlsx"
    result = render(str(WORKED_EXAMPLE), "-o", str(out), "--month", "12")
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def book(worked):
    return load_workbook(worked)


@pytest.fixture(scope="module")
def priced():
    return price(check_scheme_file(str(WORKED_EXAMPLE)).scheme)


def header_row_of(ws, first_header: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == first_header:
            return row
    raise AssertionError(f"no header row starting {first_header!r}")


def rows_by(ws, column: int) -> dict:
    return {
        ws.cell(row=r, column=column).value: r
        for r in range(1, ws.max_row + 1)
        if ws.cell(row=r, column=column).value is not None
    }


def assert_money(cell, amount) -> None:
    assert isinstance(cell.value, (int, float)), f"{cell.coordinate} holds {cell.value!r}, not a number"
    assert D(str(cell.value)) == D(str(amount)), f"{cell.coordinate}: {cell.value} != {amount}"
    assert "£" in cell.number_format and "0.00" in cell.number_format, cell.number_format


# --- sheets and headers -------------------------------------------------------------


def test_sheet_names(book):
    # No separate incentive scheme in the worked example, so no Part 3.
    # --month 12: the checkpoint's Reconciliation, and the Monitoring sheet (tests/test_render_monitoring.py).
    assert book.sheetnames == ["Schedule 3 Part 4C", "Schedule 18 Part 2", "Reconciliation", "Monitoring"]


def test_schedule_3_part_4c_headers_are_the_columns_of_domain_5(book):
    ws = book["Schedule 3 Part 4C"]
    head = header_row_of(ws, "Goal number")
    assert tuple(ws.cell(row=head, column=c).value for c in range(1, len(s3.HEADERS) + 1)) == s3.HEADERS
    for expected in (
        "Goal name",
        "Quality domain",
        "Goal weighting",
        "Expected value of goal (£)",
        "Indicator weighting",
        "Numerator",
        "Denominator",
        "Rationale for inclusion",
        "Milestones",
        "Partial achievement (rules)",
        "Final indicator reporting date",
        "Baseline value",
        "Final indicator value (payment threshold)",
    ):
        assert expected in s3.HEADERS
    assert ws.cell(row=head, column=1).font.b
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.print_title_rows == f"${head}:${head}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.sheet_view.showGridLines is False


def test_title_block_names_provider_commissioners_year_and_git_version(book):
    ws = book["Schedule 3 Part 4C"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(2, 8)}
    value = lambda label: ws.cell(row=labels[label], column=3).value  # noqa: E731  (label spans A:B)
    assert "Northfield Hospitals NHS Trust (RNF)" in value("Provider")
    assert "Northfield PCT (5NF), coordinating commissioner, 70%" in value("Commissioners")
    assert "Castleton PCT (5NC), associate, 10%" in value("Commissioners")
    assert value("Financial year") == "2009/10"
    assert re.match(r"git commit [0-9a-f]{7,} of \d{4}-\d\d-\d\d \d\d:\d\d UTC", value("Version"))


# --- money: every cell, subtotals and totals against price() ------------------------


def test_every_money_cell_is_a_number_with_a_pound_format(book):
    money_cells = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if "£" in cell.number_format:
                    money_cells += 1
                    assert isinstance(cell.value, (int, float)), f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                if isinstance(cell.value, str):
                    # money is never text, and neither is a percentage
                    assert not re.fullmatch(r"-?£[\d,]+(\.\d\d)?", cell.value.strip()), f"{ws.title}!{cell.coordinate}"
                    assert not re.fullmatch(r"\d+(\.\d+)?%", cell.value.strip()), f"{ws.title}!{cell.coordinate}"
    assert money_cells > 60


def test_schedule_3_part_4c_goals_indicators_subtotals_and_total_match_price(book, priced):
    ws = book["Schedule 3 Part 4C"]
    by_indicator = rows_by(ws, s3.COL["Indicator number"])
    by_goal = rows_by(ws, s3.COL["Goal number"])
    by_label = rows_by(ws, s3.COL["Indicator name"])
    for goal in priced.goals:
        row = by_goal[goal.number]
        assert ws.cell(row=row, column=s3.COL["Goal name"]).value == goal.name
        assert_money(ws.cell(row=row, column=s3.COL["Expected value of goal (£)"]), goal.value)
        weighting = ws.cell(row=row, column=s3.COL["Goal weighting"])
        assert D(str(weighting.value)) == goal.weighting / 100 and weighting.number_format.endswith("%")
        for indicator in goal.indicators:
            irow = by_indicator[indicator.number]
            assert ws.cell(row=irow, column=s3.COL["Indicator name"]).value == indicator.name
            assert_money(ws.cell(row=irow, column=s3.COL["Expected value of indicator (£)"]), indicator.value)
        subtotal = by_label[f"Goal {goal.number} subtotal"]
        assert_money(ws.cell(row=subtotal, column=s3.COL["Expected value of indicator (£)"]), goal.value)
    row, column = s3.total_cell(ws)
    total = ws.cell(row=row, column=column)
    assert total.value == 1000000 and priced.expected_value == D("1000000.00")
    assert_money(total, priced.expected_value)
    assert_money(ws.cell(row=row, column=s3.COL["Expected value of indicator (£)"]), priced.expected_value)
    assert ws.cell(row=row, column=s3.COL["Goal weighting"]).value == 1


def test_schedule_3_part_4c_prints_milestones_and_rules(book):
    ws = book["Schedule 3 Part 4C"]
    row = rows_by(ws, s3.COL["Indicator number"])["E1"]
    milestones = ws.cell(row=row, column=s3.COL["Milestones"]).value
    assert milestones.splitlines() == [
        "Month 6 (September 2009): target 65; floor 60",
        "Month 9 (December 2009): target 70; floor 60",
    ]
    assert ws.cell(row=row, column=s3.COL["Final indicator value (payment threshold)"]).value == 80
    s1 = rows_by(ws, s3.COL["Indicator number"])["S1"]
    assert ws.cell(row=s1, column=s3.COL["Partial achievement (rules)"]).value.startswith(
        "Linear: nothing at the floor of 70 or worse"
    )


def test_schedule_18_part_2_lists_twelve_instalments_of_75000(book, priced):
    ws = book["Schedule 18 Part 2"]
    head = header_row_of(ws, "Month")
    headers = [ws.cell(row=head, column=c).value for c in range(1, 7)]
    assert headers == ["Month", "Calendar month", "Northfield PCT (£)", "Bramley PCT (£)", "Castleton PCT (£)", "Total (£)"]
    for k in range(12):
        row = head + 1 + k
        assert ws.cell(row=row, column=1).value == k + 1
        assert ws.cell(row=row, column=2).value == ["April 2009", "May 2009", "June 2009"][k] if k < 3 else True
        for column, amount in zip(range(3, 7), ("52500.00", "15000.00", "7500.00", "75000.00")):
            assert_money(ws.cell(row=row, column=column), amount)
    total = head + 13
    assert ws.cell(row=total, column=1).value == "Total paid on account"
    for column, amount in zip(range(3, 7), ("630000.00", "180000.00", "90000.00", "900000.00")):
        assert_money(ws.cell(row=total, column=column), amount)
    assert priced.on_account_total == D("900000.00")


def test_schedule_18_part_2_parties_base_rate_expected_value_checkpoints_and_disputes(book, priced):
    ws = book["Schedule 18 Part 2"]
    labels = rows_by(ws, 1)
    parties = header_row_of(ws, "Role")
    assert [ws.cell(row=parties + 1 + i, column=3).value for i in range(3)] == ["Northfield PCT", "Bramley PCT", "Castleton PCT"]
    for i, c in enumerate(priced.commissioners):
        assert_money(ws.cell(row=parties + 1 + i, column=5), c.value)
        assert_money(ws.cell(row=parties + 1 + i, column=6), c.on_account)
    assert_money(ws.cell(row=labels["Tariff income, including the Market Forces Factor"], column=2), "180000000.00")
    assert_money(ws.cell(row=labels["Non-tariff income"], column=2), "20500000.00")
    assert_money(ws.cell(row=labels["Less: income not financed by the English NHS"], column=2), "-500000.00")
    assert_money(ws.cell(row=labels["Base (guidance ¶39-40)"], column=2), "200000000.00")
    rate = ws.cell(row=labels["CQUIN rate (guidance ¶38)"], column=2)
    assert D(str(rate.value)) == D("0.005") and rate.number_format == "0.0%"
    assert_money(ws.cell(row=labels["Expected value (rate × base)"], column=2), "1000000.00")
    assert_money(ws.cell(row=labels["Paid on account"], column=2), "900000.00")
    checkpoints = header_row_of(ws, "Checkpoint month")
    assert [ws.cell(row=checkpoints + i, column=1).value for i in (1, 2, 3)] == [6, 9, 12]
    assert any("dispute resolution procedure" in str(c.value) for row in ws.iter_rows() for c in row)


def test_reconciliation_sheet_shows_the_figures_of_cquin_reconcile(book):
    scheme = check_scheme_file(str(WORKED_EXAMPLE)).scheme
    values, _ = read_document(str(ACHIEVEMENT_FILE), ACHIEVEMENT)
    r = reconcile(scheme, build_achievement(values, str(ACHIEVEMENT_FILE)), 12)
    ws = book["Reconciliation"]
    labels = rows_by(ws, 1)
    assert_money(ws.cell(row=labels["Earned to date E(12) = expected value × weighted achievement × 12/12"], column=5), r.earned)
    assert_money(ws.cell(row=labels["Paid to date P(12)"], column=5), r.paid)
    adjustment = ws.cell(row=labels["Adjustment A(12) = E(12) − P(12)"], column=5)
    assert_money(adjustment, r.adjustment)
    assert r.earned == D("749620.00") and r.paid == D("925350.00") and r.adjustment == D("-175730.00")
    assert_money(ws.cell(row=labels["Adjustment recorded at month 6"], column=5), "-128700.00")
    assert_money(ws.cell(row=labels["Adjustment recorded at month 9"], column=5), "154050.00")
    assert "Provider repays commissioners £175,730.00" in labels
    commissioners = header_row_of(ws, "Code")
    for i, (code, amount) in enumerate((("5NF", "-123011.00"), ("5NB", "-35146.00"), ("5NC", "-17573.00"))):
        assert ws.cell(row=commissioners + 1 + i, column=1).value == code
        assert_money(ws.cell(row=commissioners + 1 + i, column=6), amount)
    indicators = header_row_of(ws, "Goal")
    for i, line in enumerate(r.indicators):
        row = indicators + 1 + i
        assert ws.cell(row=row, column=2).value == line.number
        assert_money(ws.cell(row=row, column=11), line.earned)
        assert D(str(ws.cell(row=row, column=10).value)) == line.fraction
    assert [ws.cell(row=indicators + 1 + i, column=10).value for i in range(4)] == [0.8, 1, 0, 1]


def test_reconciliation_sheet_has_a_line_chart_per_measured_indicator(book, worked):
    ws = book["Reconciliation"]
    charts = ws._charts
    # S1, E1 and X1 are measured as values; I1 is a milestone met or not (a table, no chart).
    assert len(charts) == 3
    for chart in charts:
        assert chart.tagname == "lineChart"
        assert len(chart.series) == 3
    with zipfile.ZipFile(worked) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    assert xml.count("<ser>") == 3 and "<lineChart>" in xml
    # Each series takes its name from the table header and its values from the month rows.
    names = re.findall(r"<tx><strRef><f>'Reconciliation'!\$?([A-Z])\$?(\d+)</f>", xml)
    assert [n[0] for n in names] == ["C", "D", "E"]
    head = int(names[0][1])
    assert [ws.cell(row=head, column=c).value for c in (3, 4, 5)] == ["Measured", "Milestone target", "Final target"]
    assert f"'Reconciliation'!$C${head + 1}:$C${head + 12}" in xml
    assert [ws.cell(row=head + m, column=3).value for m in (6, 9, 12)] == [62, 76, 86]
    assert [ws.cell(row=head + m, column=4).value for m in (6, 9)] == [60, 75]
    assert {ws.cell(row=head + m, column=5).value for m in range(1, 13)} == {90}


# --- reproducible, safe --------------------------------------------------------------


def test_rendering_twice_gives_identical_bytes(tmp_path, worked):
    again = tmp_path / "again.xlsx"
    assert render(str(WORKED_EXAMPLE), "-o", str(again), "--month", "12").exit_code == 0
    assert again.read_bytes() == worked.read_bytes()
    with zipfile.ZipFile(again) as archive:
        names = archive.namelist()
        assert names == sorted(names) and names[0] == "[Content_Types].xml"
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def scheme_copy(tmp_path: Path, replace: dict[str, str] | None = None, name: str = "scheme.yaml") -> Path:
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


HOSTILE = {
    "name: VTE risk assessment": 'name: \'=HYPERLINK("http://x","y")\'',
    "name: Faster diagnosis after stroke": "name: '+cmd|'' /C calc''!A0'",
    "name: Inpatient survey score": "name: '@SUM(1+1)*cmd|'' /C calc''!A0'",
    "name: Real-time feedback roll-out": 'name: "-2+3"',
    "description: Inpatients rate their care more highly.": 'description: "\\tTab then =1+1"',
    "data_source: Sentinel Stroke Audit": 'data_source: "\\r=1+2"',
}


def test_hostile_text_is_stored_as_text_never_as_a_formula(tmp_path):
    scheme = scheme_copy(tmp_path, HOSTILE)
    out = tmp_path / "hostile.xlsx"
    result = render(str(scheme), "-o", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    with zipfile.ZipFile(out) as archive:
        sheets = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}
    for name, xml in sheets.items():
        assert "<f>" not in xml and "<f " not in xml, f"a formula in {name}"
    assert (
        "HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in sheets["xl/worksheets/sheet1.xml"]
        or 'HYPERLINK("http://x","y")' in sheets["xl/worksheets/sheet1.xml"]
    )
    ws = load_workbook(out)["Schedule 3 Part 4C"]
    row = rows_by(ws, s3.COL["Indicator number"])["S1"]
    cell = ws.cell(row=row, column=s3.COL["Indicator name"])
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    texts = {c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    for hostile in ("+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "\tTab then =1+1"):
        assert hostile in texts
    assert any(t.endswith("=1+2") for t in texts)


def test_invalid_scheme_is_refused_with_its_diagnostics_unless_forced(tmp_path):
    scheme = scheme_copy(
        tmp_path,
        {"    weighting: 30%\n    indicators:\n      - number: S1": "    weighting: 35%\n    indicators:\n      - number: S1"},
    )
    out = tmp_path / "invalid.xlsx"
    refused = render(str(scheme), "-o", str(out))
    assert refused.exit_code == 1
    assert re.search(r"scheme\.yaml:\d+:\d+: error E202 ", refused.stdout)
    assert "not rendered" in refused.stderr and "--force" in refused.stderr
    assert not out.exists()
    forced = render(str(scheme), "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stdout + forced.stderr
    assert "E202" in forced.stdout and out.exists()
    assert load_workbook(out).sheetnames[:2] == ["Schedule 3 Part 4C", "Schedule 18 Part 2"]


def test_unreadable_scheme_cannot_be_forced(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("financial_year: [unclosed\n", encoding="utf-8")
    result = render(str(broken), "-o", str(tmp_path / "x.xlsx"), "--force")
    assert result.exit_code == 1 and "broken.yaml:" in result.stdout
    assert not (tmp_path / "x.xlsx").exists()


def test_never_overwrites_an_input(tmp_path):
    scheme = scheme_copy(tmp_path)
    achievement = tmp_path / "scheme.achievement.yaml"
    shutil.copy(ACHIEVEMENT_FILE, achievement)
    before = scheme.read_bytes(), achievement.read_bytes()
    for args in (
        ["-o", str(scheme)],
        ["-o", str(achievement)],
        ["--portfolio", str(scheme)],
        ["-o", str(tmp_path / "link.yaml")],
    ):
        result = render(str(scheme), *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("cquin: ")
    assert (scheme.read_bytes(), achievement.read_bytes()) == before


def test_never_overwrites_an_input_through_a_folder_output(tmp_path):
    # -o the input folder itself: NAME.xlsx beside NAME.yaml is allowed, but an .xlsx
    # given as an input path would be protected too; the scheme files are untouched.
    folder = tmp_path / "schemes"
    folder.mkdir()
    scheme = scheme_copy(folder)
    before = scheme.read_bytes()
    result = render(str(folder), "-o", str(folder))
    assert result.exit_code == 0
    assert (folder / "scheme.xlsx").exists() and scheme.read_bytes() == before


def test_version_is_the_git_commit_and_its_date_drives_the_document_date(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    scheme = scheme_copy(repo)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2009-03-20T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2009-03-20T12:00:00+00:00",
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "scheme.yaml"], ["commit", "-q", "-m", "agreed"]):
        subprocess.run([git, *args], cwd=repo, env=env, check=True, capture_output=True)
    commit = subprocess.run(
        [git, "log", "-1", "--format=%h"], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    out = tmp_path / "v.xlsx"
    assert render(str(scheme), "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["Schedule 18 Part 2"]
    assert ws["B6"].value == f"git commit {commit} of 2009-03-20 12:00 UTC"
    with zipfile.ZipFile(out) as archive:
        core = archive.read("docProps/core.xml").decode()
    # openpyxl writes the namespaces inline when lxml is installed (python-docx brings it): read the element, not its spelling
    assert re.search(r'<dcterms:created[^>]* xsi:type="dcterms:W3CDTF">2009-03-20T12:00:00Z</dcterms:created>', core)
    assert "2009-03-20T12:00:00Z</dcterms:modified>" in core
    # an uncommitted change is said out loud
    scheme.write_text(scheme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert render(str(scheme), "-o", str(out)).exit_code == 0
    digest = hashlib.sha256(scheme.read_bytes()).hexdigest()
    assert load_workbook(out)["Schedule 18 Part 2"]["B6"].value.endswith(
        f"(with changes not yet committed; file SHA-256 {digest})"
    )


def test_outside_git_the_version_says_so(tmp_path):
    scheme = scheme_copy(tmp_path)
    out = tmp_path / "n.xlsx"
    assert render(str(scheme), "-o", str(out)).exit_code == 0
    # outside git the file's SHA-256 says which text was rendered: `sha256sum FILE` checks it
    digest = hashlib.sha256(scheme.read_bytes()).hexdigest()
    assert load_workbook(out)["Schedule 18 Part 2"]["B6"].value == f"not in git; file SHA-256 {digest}"


def test_month_needs_achievement_data_and_reconciles_only_at_a_checkpoint(tmp_path):
    scheme = scheme_copy(tmp_path)
    result = render(str(scheme), "-o", str(tmp_path / "m.xlsx"), "--month", "6")
    assert result.exit_code == 2 and "scheme.achievement.yaml does not exist" in result.stderr
    assert not (tmp_path / "m.xlsx").exists()
    shutil.copy(ACHIEVEMENT_FILE, tmp_path / "scheme.achievement.yaml")
    # a month between checkpoints is monitored, not reconciled
    assert render(str(scheme), "-o", str(tmp_path / "m7.xlsx"), "--month", "7").exit_code == 0
    assert load_workbook(tmp_path / "m7.xlsx").sheetnames == ["Schedule 3 Part 4C", "Schedule 18 Part 2", "Monitoring"]
    assert render(str(scheme), "-o", str(tmp_path / "m.xlsx"), "--month", "6").exit_code == 0
    ws = load_workbook(tmp_path / "m.xlsx")["Reconciliation"]
    labels = rows_by(ws, 1)
    assert_money(ws.cell(row=labels["Adjustment A(6) = E(6) − P(6)"], column=5), "-128700.00")


# --- every sample, folders and the portfolio ----------------------------------------

SAMPLE_SCHEMES = sorted(p for p in SAMPLES.rglob("*.y*ml") if not is_achievement_file(str(p)))


@pytest.fixture(scope="module")
def rendered_samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    result = render(str(SAMPLES), "-o", str(out / "books"), "--portfolio", str(out / "portfolio.xlsx"))
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


@pytest.mark.parametrize("scheme_file", SAMPLE_SCHEMES, ids=lambda p: p.name)
def test_every_sample_scheme_renders_and_its_total_is_its_price(rendered_samples, scheme_file):
    book_path = rendered_samples / "books" / scheme_file.relative_to(SAMPLES).with_suffix(".xlsx")
    assert book_path.exists()
    wb = load_workbook(book_path)
    scheme = check_scheme_file(str(scheme_file)).scheme
    # footnote 17: the acute contract's Part 4C; Part 4 in the other contracts (and for a quality improvement plan)
    part_4 = "Schedule 3 Part 4C" if scheme.provider.sector in ("acute", "independent_sector") else "Schedule 3 Part 4"
    expected = [part_4, "Schedule 18 Part 2"] + (["Schedule 18 Part 3"] if scheme.separate_incentive_scheme else [])
    assert wb.sheetnames == expected
    ws = wb[part_4]
    what = "quality improvement plan" if scheme.scheme_kind == "quality_improvement_plan" else "CQUIN indicators"
    assert ws["A1"].value == f"{part_4}: {what}, {scheme.provider.name}, {scheme.financial_year}"
    row, column = s3.total_cell(ws)
    assert_money(ws.cell(row=row, column=column), price(scheme).expected_value)
    if scheme.separate_incentive_scheme:
        part3 = wb["Schedule 18 Part 3"]
        labels = rows_by(part3, 1)
        assert_money(
            part3.cell(row=labels["Additional money under this scheme"], column=2), scheme.separate_incentive_scheme.value
        )


def test_portfolio_workbook_rows_and_totals_per_year(rendered_samples):
    ws = load_workbook(rendered_samples / "portfolio.xlsx")["Portfolio"]
    from cquin_cli.render.portfolio import COL, HEADERS, YEAR_HEADERS

    head = header_row_of(ws, "Scheme file")
    assert tuple(ws.cell(row=head, column=c).value for c in range(1, len(HEADERS) + 1)) == HEADERS
    prices = [price(check_scheme_file(str(f)).scheme) for f in SAMPLE_SCHEMES]
    for i, p in enumerate(prices):
        row = head + 1 + i
        assert ws.cell(row=row, column=COL["Provider code"]).value == p.scheme.provider.code
        assert_money(ws.cell(row=row, column=COL["Expected value (£)"]), p.expected_value)
        assert ws.cell(row=row, column=COL["All indicators"]).value == len(p.scheme.indicators)
    years = load_workbook(rendered_samples / "portfolio.xlsx")["Totals per year"]
    head = header_row_of(years, YEAR_HEADERS[0])
    assert tuple(years.cell(row=head, column=c).value for c in range(1, 6)) == YEAR_HEADERS
    listed = sorted({p.scheme.financial_year for p in prices})
    for i, year in enumerate(listed):
        row = head + 1 + i
        assert years.cell(row=row, column=1).value == year
        assert years.cell(row=row, column=2).value == sum(1 for p in prices if p.scheme.financial_year == year)
        assert_money(
            years.cell(row=row, column=4), sum((p.expected_value for p in prices if p.scheme.financial_year == year), D("0.00"))
        )


def test_a_folder_needs_a_folder_output(tmp_path):
    result = render(str(SAMPLES), "-o", str(tmp_path / "one.xlsx"))
    assert result.exit_code == 2 and "must name a folder" in result.stderr


def test_render_needs_somewhere_to_write():
    result = render(str(WORKED_EXAMPLE))
    assert result.exit_code == 2 and "-o FILE.xlsx" in result.stderr


def test_workbook_bytes_are_a_valid_zip_openpyxl_reads(worked):
    data = worked.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


def test_hostile_provider_name_in_title_blocks_and_the_portfolio(tmp_path):
    scheme = scheme_copy(
        tmp_path, {"  name: Northfield Hospitals NHS Trust\n  sector": "  name: '=cmd|'' /C calc''!A0'\n  sector"}
    )
    book, summary = tmp_path / "b.xlsx", tmp_path / "p.xlsx"
    result = render(str(scheme), "-o", str(book), "--portfolio", str(summary))
    assert result.exit_code == 0, result.stdout + result.stderr
    for path in (book, summary):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    xml = archive.read(name).decode()
                    assert "<f>" not in xml and "<f " not in xml, f"a formula in {path.name}:{name}"
    ws = load_workbook(book)["Schedule 18 Part 2"]
    assert ws["B2"].value.startswith("=cmd|' /C calc'!A0 (RNF)") and ws["B2"].data_type == "s"
    portfolio = load_workbook(summary)["Portfolio"]
    names = [c.value for c in portfolio["C"] if c.value]
    assert "=cmd|' /C calc'!A0" in names


def test_achievement_data_with_errors_is_refused(tmp_path):
    scheme = scheme_copy(tmp_path)
    text = ACHIEVEMENT_FILE.read_text(encoding="utf-8").replace(
        "{indicator: S1, month: 6, value: 62}", "{indicator: S9, month: 6, value: 62}"
    )
    (tmp_path / "scheme.achievement.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "a.xlsx"
    result = render(str(scheme), "-o", str(out), "--month", "6")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert re.search(r"scheme\.achievement\.yaml:\d+:\d+: error E3\d\d ", result.stdout)
    assert not out.exists()


def test_a_missing_output_folder_is_refused_not_created(tmp_path):
    target = tmp_path / "no-such-folder" / "x.xlsx"
    result = run_cli("render", str(WORKED_EXAMPLE), "-o", str(target))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no-such-folder").exists()
    portfolio = run_cli("render", str(SAMPLES), "--portfolio", str(tmp_path / "nowhere" / "p.xlsx"))
    assert portfolio.exit_code == 2 and not (tmp_path / "nowhere").exists()


def test_outputs_that_are_folders_and_unusable_values_are_refused(tmp_path, worked_example_text):
    (tmp_path / "d.xlsx").mkdir()
    result = run_cli("render", str(WORKED_EXAMPLE), "-o", str(tmp_path / "ok.xlsx"), "--portfolio", str(tmp_path / "d.xlsx"))
    assert result.exit_code == 2 and "is a folder" in result.stderr and "internal error" not in result.stderr
    report = run_cli("report", str(WORKED_EXAMPLE), "--xlsx", str(tmp_path / "d.xlsx"))
    assert report.exit_code == 2 and "is a folder" in report.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(worked_example_text.replace('"180000000.00"', "180000000.001"))
    forced = run_cli("render", str(broken), "--force", "-o", str(tmp_path / "broken.xlsx"))
    assert forced.exit_code == 1 and "even with --force" in forced.stderr
    assert not (tmp_path / "broken.xlsx").exists()


def test_a_folder_with_other_yaml_renders_its_schemes_and_skips_the_rest(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    shutil.copy(WORKED_EXAMPLE, folder / "scheme.yaml")
    (folder / "mkdocs.yml").write_text("site_name: x\n")
    result = run_cli("render", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "scheme.xlsx").exists() and not (tmp_path / "out" / "mkdocs.xlsx").exists()


def test_a_quality_improvement_plan_is_written_into_every_sheet_with_the_money_linked_to_it(tmp_path):
    """Guidance ¶45: the money is linked to delivering the plan; the workbook says where the agreed
    plan is recorded, beside the steps it pays on (priced like any scheme's indicators)."""
    from conftest import SAMPLES, run_cli
    from openpyxl import load_workbook

    from cquin_cli.load.yaml_reader import read_yaml

    sample = SAMPLES / "mental-health-qip" / "rotherham-doncaster-south-humber-2009-10.yaml"
    plan = " ".join(str(read_yaml(sample).value["quality_improvement_plan"]).split())
    out = tmp_path / "qip.xlsx"
    result = run_cli("render", str(sample), "-o", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    book = load_workbook(out)
    for name in ("Schedule 3 Part 4", "Schedule 18 Part 2"):  # footnote 17: Part 4 in a mental health contract
        rows = {
            row[0].value: next((c.value for c in row[1:] if c.value is not None), None)
            for row in book[name].iter_rows(max_row=10)
        }
        assert " ".join(str(rows["Quality improvement plan"]).split()) == plan, name
        assert rows["Scheme"].startswith("Quality improvement plan (guidance ¶45)")


def test_schedule_18_part_2_ends_with_a_signature_block_for_every_party(tmp_path):
    """The provider and each commissioner sign: name, role and organisation from the scheme's
    signatories where the organisation is the party's, blank lines where none is known, and a
    line to sign and to date on; the block starts a printed page."""
    from conftest import WORKED_EXAMPLE, run_cli
    from openpyxl import load_workbook

    out = tmp_path / "w.xlsx"
    assert run_cli("render", str(WORKED_EXAMPLE), "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["Schedule 18 Part 2"]
    column_a = {row: ws.cell(row=row, column=1).value for row in range(1, ws.max_row + 1)}
    start = next(r for r, v in column_a.items() if v == "9. Signatures and approval")
    assert start - 1 in [b.id for b in ws.row_breaks.brk]
    blocks = []
    for r in range(start, ws.max_row + 1):
        if str(column_a[r] or "").startswith("Signed for ") and r > start + 1:
            lines = {column_a[r + k]: ws.cell(row=r + k, column=2).value for k in range(1, 6)}
            blocks.append((column_a[r], lines))
    assert [b[0] for b in blocks] == [
        "Signed for Northfield Hospitals NHS Trust (provider)",
        "Signed for Northfield Hospitals NHS Trust (provider)",
        "Signed for Northfield PCT (coordinating commissioner)",
        "Signed for Bramley PCT (associate commissioner)",
        "Signed for Castleton PCT (associate commissioner)",
    ]
    assert blocks[0][1] == {
        "Signatory name": "Dr A. Moss",
        "Signatory role": "Medical Director",
        "Signatory organisation": "Northfield Hospitals NHS Trust",
        "Signature": None,
        "Date of signature": None,
    }
    assert blocks[2][1]["Signatory name"] == "Ms J. Reed"
    assert blocks[3][1] == {
        "Signatory name": None,
        "Signatory role": None,
        "Signatory organisation": "Bramley PCT",
        "Signature": None,
        "Date of signature": None,
    }
    signature_row = next(r for r in range(start, ws.max_row + 1) if column_a[r] == "Signature")
    for column in (2, 3, 4):
        assert ws.cell(row=signature_row, column=column).border.bottom.style == "thin"
    assert f"B{signature_row}:D{signature_row}" in {str(m) for m in ws.merged_cells.ranges}


def test_schedule_3_part_4c_prints_two_a4_landscape_pages_across_each_with_its_title(tmp_path):
    """The summary (goals and indicators with their money and measures) and the specification:
    a manual break after "Denominator", scaled to two pages across, the indicator's number and
    name repeated on the second, and a title block at the top of each so no page starts blank."""
    from conftest import WORKED_EXAMPLE, run_cli
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    out = tmp_path / "w.xlsx"
    assert run_cli("render", str(WORKED_EXAMPLE), "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["Schedule 3 Part 4C"]
    assert (ws.page_setup.orientation, int(ws.page_setup.paperSize)) == ("landscape", int(ws.PAPERSIZE_A4))
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 2 and ws.page_setup.fitToHeight == 0
    head = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Goal number")
    headers = {ws.cell(row=head, column=c).value: c for c in range(1, ws.max_column + 1)}
    assert [b.id for b in ws.col_breaks.brk] == [headers["Denominator"]]
    number, name = (get_column_letter(headers[h]) for h in ("Indicator number", "Indicator name"))
    assert ws.print_title_cols.replace("$", "") == f"{number}:{name}"
    assert ws.print_title_rows.replace("$", "") == f"{head}:{head}"
    second = headers["Rationale for inclusion"]
    assert second == headers["Denominator"] + 1
    assert ws.cell(row=1, column=1).value.startswith("Schedule 3 Part 4C: CQUIN indicators, Northfield Hospitals NHS Trust")
    assert ws.cell(row=1, column=second).value.endswith("(continued): the indicators' specification")
    labels = [ws.cell(row=r, column=1).value for r in range(2, head - 1)]
    assert labels[0] == "Provider" and labels[-1] == "Version"
    assert [ws.cell(row=r, column=second).value for r in range(2, head - 1)] == labels
    # each page across is about as wide as the other, so the scale is the same for both
    width = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)}
    first_page = sum(width[c] for c in range(1, second))
    second_page = sum(width[c] for c in range(second, ws.max_column + 1)) + width[7] + width[8]
    assert 0.8 < first_page / second_page < 1.25, (first_page, second_page)


def test_no_signature_block_is_cut_across_printed_pages(tmp_path):
    """Nine blocks (the provider's two signatories and seven commissioners): a new printed page
    before the fifth and the ninth, four to a page."""
    from conftest import SAMPLES, run_cli
    from openpyxl import load_workbook

    out = tmp_path / "imperial.xlsx"
    sample = SAMPLES / "westminster" / "imperial-college-healthcare-2009-10.yaml"
    assert run_cli("render", str(sample), "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["Schedule 18 Part 2"]
    starts = [
        r
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(row=r, column=1).value or "").startswith("Signed for ")
        and ws.cell(row=r + 1, column=1).value == "Signatory name"
    ]
    breaks = {b.id for b in ws.row_breaks.brk}
    assert [k for k, r in enumerate(starts) if r - 2 in breaks or r - 1 in breaks] == list(range(4, len(starts), 4))
