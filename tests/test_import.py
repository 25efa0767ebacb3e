"""`cquin import`: Word and Excel schemes in the NHS template layouts, into cquin's format.

The fixtures are built here with python-docx and openpyxl in the layouts of the
published templates (NHS England's "Local CQUIN Templates 2016/17" and the 2010/11
goal table): a goal table (goal number, name, description, weighting as "% of CQUIN
scheme available", expected £ value, quality domain), then one two-column table of
labelled rows per indicator under a numbered heading; or one row per indicator in a
sheet. Variants: merged cells, extra blank rows, a second goal table.
"""

from __future__ import annotations

import re

import pytest

from cquin_cli.importer import values
from cquin_cli.importer.documents import Cell
from cquin_cli.load.yaml_reader import read_yaml

GOALS = [
    # expected £ values at 2.5% (2016/17) of a £200,000,000 contract: a pot of £5,000,000
    ("1", "Reduce harm from falls", "Fewer inpatients fall and are harmed.", "10%", "£500,000", "Safety"),
    ("2", "Better stroke care", "Stroke patients are scanned quickly.", "30%", "£1,500,000", "Effectiveness"),
    ("3", "Listening to patients", "Patients say they were involved in decisions.", "30", "£1,500,000.00", "Patient Experience"),
    ("4", "Telehealth at home", "Roll out telehealth to patients with heart failure.", "30%", "1500000", "Innovation"),
]


def indicator_rows(number: str, name: str, **changes: str) -> list[tuple[str, str]]:
    """The labelled rows of the local template for one indicator, as its table prints them."""
    rows = [
        ("Indicator number", number),
        ("Indicator name", name),
        ("Indicator weighting (% of CQUIN scheme available)", GOALS[int(number[0]) - 1][3]),
        ("Description of indicator", f"Percentage of patients for {name.lower()}."),
        ("Numerator", "Patients who received it"),
        ("Denominator", "All eligible patients"),
        ("Rationale for inclusion", "A known gap in the quality of care, linked to outcomes."),
        ("Data source", "Trust audit"),
        ("Frequency of data collection", "Monthly"),
        ("Organisation responsible for data collection", "The Trust"),
        ("Frequency of reporting to commissioner", "Quarterly"),
        ("Baseline period/date", "2015/16 Q3"),
        ("Baseline value", "55%"),
        ("Final indicator period/date (on which payment is based)", "2016/17 Q4"),
        ("Final indicator value (payment threshold)", "75%"),
        ("Final indicator reporting date", "30/04/2017"),
        ("Are there rules for any agreed in-year milestones that result in payment?", "Q2: 60\nQ3: 70"),
        ("Are there any rules for partial achievement of the indicator at the final indicator period/date?", "No"),
    ]
    out = []
    for label, value in rows:
        key = re.sub(r"\W+", "_", label.split(" (")[0].lower()).strip("_")
        out.append((label, changes.get(key, value)))
    return out


def word_scheme(path, *, indicator_changes=None, second_goal_table=True, facts=True, merged=True, blank_rows=True):
    """A Word scheme in the local template: goal table(s), then one table per indicator."""
    import docx

    indicator_changes = indicator_changes or {}
    document = docx.Document()
    document.add_heading("Local CQUIN Templates 2016/17", 0)
    if facts:
        document.add_paragraph("Provider: Northfield Hospitals NHS Trust")
        document.add_paragraph("Financial year: 2016/17")
    header = (
        "Goal Number",
        "Goal Name",
        "Description of Goal",
        "Goal Weighting (% of CQUIN scheme available)",
        "Expected Financial Value of Goal (£)",
        "Quality Domain (Safety, Effectiveness, Patient Experience or Innovation)",
    )
    tables = [GOALS[:2], GOALS[2:]] if second_goal_table else [GOALS]
    for goals in tables:
        table = document.add_table(rows=1 + len(goals) + (1 if blank_rows else 0), cols=len(header))
        for c, text in enumerate(header):
            table.cell(0, c).text = text
        for r, goal in enumerate(goals, start=1 + (1 if blank_rows else 0)):
            for c, text in enumerate(goal):
                table.cell(r, c).text = text
        document.add_paragraph("")
    names = {
        "1": "Falls risk assessment",
        "2": "Brain scan within an hour",
        "3": "Involved in decisions",
        "4": "Telehealth roll-out",
    }
    for goal_number, name in names.items():
        number = f"{goal_number}.1"
        document.add_paragraph(f"{number}. {name}")
        rows = indicator_rows(number, name, **indicator_changes.get(number, {}))
        if number == "4.1":  # an innovation milestone: no baseline or final value, met or not met
            rows = [
                (label, value)
                for label, value in rows
                if not label.startswith(("Baseline", "Final indicator period", "Final indicator value"))
            ]
            rows = [
                (
                    label,
                    "Milestone met (paid in full) or not met (nothing)"
                    if label.startswith("Are there any rules for partial")
                    else value,
                )
                for label, value in rows
            ]
            rows = [
                (label, "Month 6: pilot ward live\nMonth 12: every ward live" if "milestones" in label else value)
                for label, value in rows
            ]
        extra = 2 if merged else 0
        table = document.add_table(rows=len(rows) + (1 if blank_rows else 0) + extra, cols=2)
        r = 0
        for label, value in rows:
            if merged and label == "Numerator":
                # the label merged down two rows, each holding one part of the numerator
                table.cell(r, 0).merge(table.cell(r + 1, 0)).text = label
                table.cell(r, 1).text = value
                table.cell(r + 1, 1).text = "(excluding day cases)"
                r += 2
                continue
            if merged and label == "Rationale for inclusion":
                table.cell(r, 0).merge(table.cell(r, 1)).text = "Why this indicator"  # a heading row across the table
                r += 1
            table.cell(r, 0).text = label
            table.cell(r, 1).text = value
            r += 1
            if blank_rows and label == "Data source":
                r += 1  # an extra blank row
        document.add_paragraph("")
    document.save(str(path))
    return path


def fill(text: str) -> str:
    """Fill every stub the way a contract manager would."""
    answers = {
        "provider's organisation code": '"RNF"',
        "coordinating commissioner's organisation code": '"5NF"',
        "its share of the contract": "100%",
        "coordinating commissioner's name": "Northfield CCG",
        "acute, community": "acute",
        "true for an NHS foundation trust": "false",
        "tariff income": '"180000000.00"',
        "non-tariff income": '"20500000.00"',
        "income not financed": '"500000.00"',
        "higher or lower": "higher",
        "process, outcome": "outcome",
        "national, regional or local": "local",
        "the indicator's weighting": "10%",
        "the date the scheme was agreed": "2016-03-20",
        "who signed": "Dr A. Moss",
        "their role": "Medical Director",
        "the organisation they signed for": "Northfield Hospitals NHS Trust",
    }

    def answer(match: re.Match) -> str:
        hint = match.group(1)
        for start, value in answers.items():
            if start in hint:
                return value
        raise AssertionError(f"no answer for the stub {hint!r}")

    return re.sub(r'"TODO: ((?:[^"\\]|\\.)*)"', answer, text)


def test_a_word_scheme_in_the_local_template_validates_once_its_reported_todos_are_filled(cquin, tmp_path):
    source = word_scheme(tmp_path / "northfield.docx", indicator_changes={"1.1": {"indicator_weighting": "tbc"}})
    out = tmp_path / "northfield.yaml"
    result = cquin("import", str(source), "-o", str(out), "--year", "2016/17")
    assert result.exit_code == 1, result.stdout + result.stderr
    report = result.stdout
    # Each TODO with where it came from: the weighting "tbc" at its cell, the facts not in the document.
    assert f'{source} table 3 row 3 column 2: indicator 1.1 weighting: "tbc" is not a value yet' in report
    assert "indicator 1.1 kind: not in the document" in report
    assert "provider code: not in the document" in report
    # Conversions said, not made silently.
    assert (
        f"{source} table 3 row 19 column 2: indicator 1.1 final reporting date: read 30/04/2017 as 2017-04-30 (UK order" in report
    )
    assert "goal 3 weighting: read 30 (no % sign) as 30%" in report
    assert "read 'Q2' as month 6 (the end of quarter 2 of the financial year)" in report
    assert "read '55%' as 55 (a measure is a number" in report
    assert 'indicator 1.1 partial achievement: read "No" as all or nothing' in report
    assert "the national rate for 2016/17" in report
    text = out.read_text(encoding="utf-8")
    assert cquin("fmt", "--check", str(out)).exit_code == 0  # laid out as cquin fmt lays it out
    validated = cquin("validate", str(out))
    assert validated.exit_code == 1
    stubs = len(re.findall(r'"TODO: ', text))
    assert validated.stdout.count(" E111 ") == stubs
    assert f"{stubs} TODO stubs to fill in" in report
    assert f"To fill in ({stubs}):" in report  # one line of the report for each stub
    scheme = read_yaml(out).value
    assert [(g["number"], g["name"], g["domain"], g["weighting"]) for g in scheme["goals"]] == [
        (1, "Reduce harm from falls", "safety", "10%"),
        (2, "Better stroke care", "effectiveness", "30%"),
        (3, "Listening to patients", "patient_experience", "30%"),
        (4, "Telehealth at home", "innovation", "30%"),
    ]
    s1 = scheme["goals"][0]["indicators"][0]
    assert s1["number"] == "1.1" and s1["name"] == "Falls risk assessment"
    assert s1["numerator"] == "Patients who received it\n(excluding day cases)"  # the label merged down two rows
    assert s1["baseline"] == {"period": "2015/16 Q3", "value": 55}
    assert s1["final"] == {"period": "2016/17 Q4", "value": 75}
    assert s1["final_reporting_date"] == "2017-04-30"
    assert s1["milestones"] == [{"month": 6, "target": 60}, {"month": 9, "target": 70}]
    assert s1["partial_achievement"] == {"rule": "all_or_nothing"}
    assert s1["weighting"].startswith("TODO")
    i4 = scheme["goals"][3]["indicators"][0]
    assert "baseline" not in i4 and "final" not in i4 and "direction" not in i4
    assert i4["milestones"] == [{"month": 6, "description": "pilot ward live"}, {"month": 12, "description": "every ward live"}]
    assert i4["partial_achievement"] == {"rule": "milestone"}
    assert scheme["rate"] == "2.5%" and scheme["payment"]["checkpoints"] == [6, 9, 12]
    assert scheme["provider"]["name"] == "Northfield Hospitals NHS Trust"  # from the paragraph above the tables
    filled = tmp_path / "filled.yaml"
    filled.write_text(fill(text), encoding="utf-8")
    assert '"TODO' not in filled.read_text(encoding="utf-8")
    done = cquin("validate", str(filled))
    assert done.exit_code == 0, done.stdout


def test_a_complete_word_scheme_with_the_facts_given_validates_at_once(cquin, tmp_path):
    source = word_scheme(tmp_path / "complete.docx", second_goal_table=False, merged=False, blank_rows=False)
    out = tmp_path / "complete.yaml"
    result = cquin(
        "import",
        str(source),
        "-o",
        str(out),
        "--year",
        "2016/17",
        "--provider",
        "RNF",
        "--sector",
        "acute",
        "--not-foundation-trust",
        "--commissioner",
        "5NF=100%",
        "--contract-value",
        "200000000.00",
    )
    text = out.read_text(encoding="utf-8")
    # Kind, provenance, direction and the commissioner's name are not in the template: the only stubs.
    stubs = re.findall(r'"TODO: ([^"(]*)', text)
    assert sorted(set(s.split(",")[0].split(":")[0].strip() for s in stubs)) == [
        "higher or lower",
        "national",
        "process",
        "the date the scheme was agreed",
        "the name of commissioner 5NF",
        "the organisation they signed for",
        "their role",
        "who signed",
    ]
    assert result.exit_code == 1
    completed = fill(text.replace('"TODO: the name of commissioner 5NF"', "Northfield CCG"))
    out.write_text(completed, encoding="utf-8")
    again = tmp_path / "again.yaml"
    # With kind, provenance and direction rows in the document itself, the import validates: exit 0.
    source2 = word_scheme(tmp_path / "complete2.docx", second_goal_table=False, merged=False, blank_rows=False)
    import docx

    document = docx.Document(str(source2))
    for table in document.tables[1:]:
        for label, value in (
            ("Type of indicator", "Outcome"),
            ("National, regional or local", "Local"),
            ("Direction", "Higher is better"),
        ):
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = label, value
    document.paragraphs[1].text = "Provider: Northfield Hospitals NHS Trust"
    document.add_paragraph("Co-ordinating commissioner: Northfield CCG")
    document.add_paragraph("Date agreed: 20/03/2016")
    signed = document.add_table(rows=3, cols=4)
    for r, row in enumerate(
        (
            ("Signatory", "Role", "Organisation", "Clinical lead"),
            ("Dr A. Moss", "Medical Director", "Northfield Hospitals NHS Trust", "Yes"),
            ("Ms J. Reed", "Director of Quality", "Northfield CCG", "Yes"),
        )
    ):
        for c, text in enumerate(row):
            signed.cell(r, c).text = text
    document.save(str(source2))
    result = cquin(
        "import",
        str(source2),
        "-o",
        str(again),
        "--year",
        "2016/17",
        "--provider",
        "RNF",
        "--sector",
        "acute",
        "--not-foundation-trust",
        "--commissioner",
        "5NF=100%",
        "--contract-value",
        "200000000.00",
    )
    assert result.exit_code == 0, result.stdout
    assert result.stdout.rstrip().endswith(f"{again} validates")
    assert cquin("validate", str(again)).exit_code == 0
    scheme = read_yaml(again).value
    assert scheme["coordinating_commissioner"] == {"code": "5NF", "name": "Northfield CCG", "share": "100%"}
    assert scheme["contract_value"] == {"tariff_income": "200000000.00", "non_tariff_income": "0.00", "excluded_income": "0.00"}
    # A £ value in the document that is not what the scheme is worth is reported: exit 1.
    document = docx.Document(str(source2))
    document.tables[0].cell(2, 4).text = "£25,000"  # goal 2
    document.save(str(source2))
    wrong = tmp_path / "wrong.yaml"
    args = ["--year", "2016/17", "--provider", "RNF", "--sector", "acute", "--not-foundation-trust"]
    args += ["--commissioner", "5NF=100%", "--contract-value", "200000000.00"]
    result = cquin("import", str(source2), "-o", str(wrong), *args)
    assert result.exit_code == 1
    assert (
        f"{source2} table 1 row 3 column 5: goal 2 expected value: the document says £25,000.00; "
        "the scheme gives £1,500,000.00 (30% of the expected value £5,000,000.00)"
    ) in result.stdout
    document.tables[0].cell(2, 4).text = "£1,500,000"
    document.save(str(source2))
    # Same documents, same bytes.
    third = tmp_path / "third.yaml"
    cquin("import", str(source2), "-o", str(third), "--year", "2016/17", "--provider", "RNF", "--sector", "acute",
          "--not-foundation-trust", "--commissioner", "5NF=100%", "--contract-value", "200000000.00")  # fmt: skip
    assert third.read_bytes() == again.read_bytes()


def excel_scheme(path):
    """One row per indicator on a sheet, the goal cells merged down beside their indicators; facts on another sheet."""
    from openpyxl import Workbook

    book = Workbook()
    facts = book.active
    facts.title = "Scheme"
    for r, (label, value) in enumerate(
        (
            ("Provider", "Castleton Community Services"),
            ("Provider code", "RCC"),
            ("Financial year", "2010-11"),
            ("Tariff income", "£12,000,000"),
            ("Non-tariff income", "one million pounds"),
            ("Excluded income", 0),
        ),
        start=1,
    ):
        facts.cell(row=r, column=1, value=label)
        facts.cell(row=r, column=2, value=value)
    ws = book.create_sheet("Indicators")
    ws["A1"] = "CQUIN scheme 2010/11"
    header = [
        "Goal No.",
        "Goal name",
        "Quality domain",
        "Goal weighting",
        "Indicator No.",
        "Indicator name",
        "Indicator weighting (%)",
        "Description of indicator",
        "Numerator",
        "Denominator",
        "Rationale for inclusion",
        "Data source",
        "Frequency of data collection",
        "Organisation responsible for data collection",
        "Frequency of reporting to commissioner",
        "Baseline period/date",
        "Baseline value",
        "Final indicator period/date",
        "Final indicator value (payment threshold)",
        "Final indicator reporting date",
        "Rules for partial achievement",
    ]
    for c, text in enumerate(header, start=1):
        ws.cell(row=3, column=c, value=text)
    rows = [
        (1, "Safer care", "Safety", 0.5, "1a", "Pressure ulcers", 0.25, "a", "b", "c", "d", "e", "monthly", "RCC", "monthly", "2009/10", 40, "2010/11 Q4", 60, "30/04/2011", "No"),
        (None, None, None, None, "1b", "Falls", "tbc", "a", "", "c", "d", "e", "monthly", "RCC", "monthly", "2009/10", 40, "2010/11 Q4", 60, "April 2011", "Yes: half if within 5 points"),
        (2, "Patient experience", "Patient experience", 0.5, "2a", "Survey", 0.5, "a", "b", "c", "d", "e", "yearly", "RCC", "yearly", "2009", 70, "2010", 75, "2011-04-30", "No"),
    ]  # fmt: skip
    r = 5  # an extra blank row between the header and the first goal
    for values_row in rows:
        for c, value in enumerate(values_row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if c in (4, 7) and isinstance(value, float):
                    cell.number_format = "0%"
        r += 1
    for c in range(1, 5):
        ws.merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)  # goal 1 beside both its indicators
    ws.cell(row=9, column=2, value="Total")
    book.save(str(path))
    return path


def test_an_excel_sheet_with_one_row_per_indicator(cquin, tmp_path):
    source = excel_scheme(tmp_path / "castleton.xlsx")
    out = tmp_path / "castleton.yaml"
    result = cquin("import", str(source), "-o", str(out), "--sector", "community", "--foundation-trust")
    assert result.exit_code == 1
    report = result.stdout
    assert "imported 2 goals and 3 indicators" in report
    assert '[castleton.xlsx]Indicators!G6: indicator 1b weighting: "tbc" is not a value yet' in report
    assert "[castleton.xlsx]Indicators!I6: indicator 1b numerator" not in report  # an empty cell is not a cell of the row
    assert "indicator 1b numerator: not in the document" in report
    assert '[castleton.xlsx]Indicators!T6: indicator 1b final reporting date: "April 2011" is not a date with a day' in report
    assert '[castleton.xlsx]Scheme!B5: non tariff income: "one million pounds" is not an amount of money in pounds' in report
    assert "[castleton.xlsx]Scheme!B4: tariff income: read '£12,000,000' as 12000000.00" in report
    assert "[castleton.xlsx]Scheme!B3: financial year: read '2010-11' as 2010/11" in report
    assert "[castleton.xlsx]Indicators!U6: indicator 1b partial achievement: the rule is in words" in report
    scheme = read_yaml(out).value
    assert scheme["financial_year"] == "2010/11"
    assert scheme["provider"] == {
        "code": "RCC",
        "name": "Castleton Community Services",
        "sector": "community",
        "foundation_trust": True,
    }
    assert scheme["contract_value"]["tariff_income"] == "12000000.00"
    assert scheme["contract_value"]["excluded_income"] == "0.00"
    assert scheme["rate"] == "1.5%"
    goal1, goal2 = scheme["goals"]
    assert (goal1["number"], goal1["domain"], goal1["weighting"]) == (1, "safety", "50%")
    assert [i["number"] for i in goal1["indicators"]] == ["1a", "1b"]  # the merged goal cells own both rows
    assert goal1["indicators"][0]["weighting"] == "25%"
    assert goal1["indicators"][1]["partial_achievement"]["note"] == "Yes: half if within 5 points"
    assert goal1["indicators"][1]["partial_achievement"]["rule"].startswith("TODO")
    assert goal2["indicators"][0]["final_reporting_date"] == "2011-04-30"


def test_a_file_that_is_not_a_document_is_exit_2_with_one_message(cquin, tmp_path):
    fake = tmp_path / "scheme.docx"
    fake.write_text("not a zip", encoding="utf-8")
    result = cquin("import", str(fake), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is not a Word document" in result.stderr
    assert "Traceback" not in result.stderr
    old = tmp_path / "scheme.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cquin("import", str(old))
    assert result.exit_code == 2 and "save it as .docx" in result.stderr
    text = tmp_path / "scheme.txt"
    text.write_text("Numerator: x", encoding="utf-8")
    assert cquin("import", str(text)).exit_code == 2
    import docx

    empty = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleague, please find the scheme attached.")
    document.save(str(empty))
    result = cquin("import", str(empty))
    assert result.exit_code == 2 and "no CQUIN goal or indicator found" in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_never_overwrites_the_output_unless_forced(cquin, tmp_path):
    source = word_scheme(tmp_path / "s.docx")
    out = tmp_path / "s.yaml"
    out.write_text("kept\n", encoding="utf-8")
    result = cquin("import", str(source), "-o", str(out))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert cquin("import", str(source), "-o", str(out), "--force").exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("# Imported by `cquin import`")
    result = cquin("import", str(source), "-o", str(source), "--force")
    assert result.exit_code == 2 and source.read_bytes()[:2] == b"PK"  # an input is never the output


def test_without_an_output_the_scheme_goes_to_stdout_and_the_report_to_stderr(cquin, tmp_path):
    source = word_scheme(tmp_path / "s.docx")
    result = cquin("import", str(source), "--year", "2016/17")
    assert result.exit_code == 1
    assert result.stdout.startswith("# Imported by `cquin import`") and "financial_year: 2016/17" in result.stdout
    assert "To fill in" in result.stderr


def _cell(text, value=None, number_format=""):
    return Cell(text, "here", 1, text if value is None else value, number_format)


@pytest.mark.parametrize(
    ("text", "value", "fmt", "expected", "converted"),
    [
        ("30%", None, "", "30%", False),
        ("30", None, "", "30%", True),
        ("12.5 %", None, "", "12.5%", True),
        ("0.25", 0.25, "0%", "25%", False),
        ("0.07", 0.07, "0.00%", "7%", False),
    ],
)
def test_percentages_are_read_only_where_unambiguous(text, value, fmt, expected, converted):
    got, note = values.percent(_cell(text, value, fmt))
    assert got == expected and bool(note) == converted


@pytest.mark.parametrize("text", ["0.3", "tbc", "a third", "130%"])
def test_ambiguous_percentages_are_not_read(text):
    with pytest.raises(values.Unreadable):
        values.percent(_cell(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("£1,250,000", "1250000.00"), ("1250000.5", "1250000.50"), ("£ 12,000.00", "12000.00"), ("7500", "7500.00")],
)
def test_money_with_pounds_and_commas_is_read_to_the_penny(text, expected):
    assert values.amount(_cell(text))[0] == expected


@pytest.mark.parametrize("text", ["one million", "£1.2m", "£250k", "1,25,000", "12.345", "-5"])
def test_money_in_words_or_shorthand_is_not_read(text):
    with pytest.raises(values.Unreadable):
        values.amount(_cell(text))


def test_money_from_an_excel_number_is_exact():
    assert values.amount(_cell("0.1", 0.1))[0] == "0.10"
    assert values.amount(_cell("1013000.01", 1013000.01))[0] == "1013000.01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2010", "2010-03-31"),
        ("2010-03-31", "2010-03-31"),
        ("31 March 2010", "2010-03-31"),
        ("1st April 2011", "2011-04-01"),
    ],
)
def test_dates_in_uk_form_are_converted(text, expected):
    assert values.date(_cell(text))[0] == expected


@pytest.mark.parametrize("text", ["03/31/2010", "31/03/10", "March 2010", "end of Q1", "30/02/2011", "04/05/2011"])
def test_dates_that_are_not_one_day_are_not_read(text):
    with pytest.raises(values.Unreadable):
        values.date(_cell(text))


def test_docs_show_the_label_dictionary_as_the_data_file_holds_it():
    from cquin_cli.importer.labels import dictionary_markdown
    from tests.conftest import ROOT

    written = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert dictionary_markdown() in written, "docs/import.md's label dictionary is out of date with labels.json"


def test_the_importer_stays_below_the_commands():
    """Layers: the importer may use load, check, format, rulebook and compute, never a command or the cli."""
    from tests.conftest import ROOT

    for module in (ROOT / "cquin_cli" / "importer").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "cquin_cli.commands" not in text and "cquin_cli.cli" not in text, module.name
        assert "cquin_cli.render" not in text and "cquin_cli.report" not in text, module.name


def test_the_local_template_with_no_goal_table_and_numbered_headings(cquin, tmp_path):
    """NHS England's 2016/17 local template: a numbered heading, then the indicator's table; no goal table."""
    import docx

    document = docx.Document()
    document.add_paragraph("Integration: Local CQUIN Templates 2016/17")
    for n, name, domain in ((1, "Workforce Development", "Safety"), (2, "End of Life Care Pathways", "Patient experience")):
        document.add_paragraph(f"{n}. {name}")
        rows = [
            ("Indicator name", f"Improved {name.lower()}"),
            ("Indicator weighting\n(% of CQUIN scheme available)", "To be agreed locally"),
            ("Quality domain", domain),
            ("Description of indicator", "There are two parts to the indicator"),
            ("Numerator", "Posts entered onto the programme"),
            ("Denominator", "Appropriate posts recruited to"),
            ("Rationale for inclusion", "Staff retention"),
            ("Data source", "Provider HR systems"),
            ("Frequency of data collection", "Quarterly"),
            ("Organisation responsible for data collection", "Provider"),
            ("Frequency of reporting to commissioner", "Quarterly"),
            ("Baseline period/date", "2015/16"),
            ("Baseline value", "To be agreed locally"),
            ("Final indicator period/date (on which payment is based)", "Q4 2016/17"),
            ("Final indicator value (payment threshold)", "80%"),
            ("Final indicator reporting date", "30 April 2017"),
            (
                "Are there rules for any agreed in-year milestones that result in payment?",
                "Q1: baseline agreed\nQ2: 50%\nQ3: 65%",
            ),
            (
                "Are there any rules for partial achievement of the indicator at the final indicator period/date?",
                "Yes - 50% paid for 70% achieved",
            ),
        ]
        table = document.add_table(rows=len(rows), cols=2)
        for r, (label, value) in enumerate(rows):
            table.cell(r, 0).text, table.cell(r, 1).text = label, value
    source = tmp_path / "local.docx"
    document.save(str(source))
    out = tmp_path / "local.yaml"
    result = cquin("import", str(source), "-o", str(out), "--year", "2016/17")
    assert result.exit_code == 1
    report = result.stdout
    assert f'{source} the heading above table 1: indicator 1: number taken from the heading "1. Workforce Development"' in report
    assert f"{source} table 1 row 1 column 2: goal 1: the document has no goal for this indicator" in report
    assert f'{source} table 2 row 13 column 2: indicator 2 baseline value: "To be agreed locally" is not a value yet' in report
    assert f"{source} table 1 row 18 column 2: indicator 1 partial achievement: the rule is in words" in report
    scheme = read_yaml(out).value
    goals = scheme["goals"]
    assert [(g["number"], g["domain"]) for g in goals] == [
        (1, "safety"),
        (2, "patient_experience"),
    ]  # the domain row is the goal's
    assert [len(g["indicators"]) for g in goals] == [1, 1]  # the domain row did not split the indicator
    assert cquin("fmt", "--check", str(out)).exit_code == 0
    first = goals[0]["indicators"][0]
    assert first["number"] == "1" and first["name"] == "Improved workforce development"
    assert first["milestones"] == [
        {"month": 3, "description": "baseline agreed"},
        {"month": 6, "target": 50},
        {"month": 9, "target": 65},
    ]
    assert first["partial_achievement"]["note"] == "Yes - 50% paid for 70% achieved"
    assert first["final_reporting_date"] == "2017-04-30"


def test_a_word_table_with_one_row_per_indicator_and_goal_cells_merged_down(cquin, tmp_path):
    import docx

    document = docx.Document()
    header = (
        "Goal number",
        "Goal name",
        "Quality domain",
        "Goal weighting",
        "Indicator number",
        "Indicator name",
        "Indicator weighting",
        "Numerator",
    )
    rows = [
        ("1", "Safer care", "Safety", "60%", "1.1", "Pressure ulcers", "40%", "Patients with no new ulcer"),
        ("", "", "", "", "1.2", "Falls", "20%", "Patients who did not fall"),
        ("2", "Innovation", "Innovation", "40%", "2.1", "Telehealth", "£40,000", "Patients on telehealth"),
    ]
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for c in range(4):  # goal 1's cells merged down beside both its indicators
        table.cell(1, c).merge(table.cell(2, c))
    source = tmp_path / "rows.docx"
    document.save(str(source))
    out = tmp_path / "rows.yaml"
    result = cquin("import", str(source), "-o", str(out))
    assert result.exit_code == 1
    assert f'{source} table 1 row 4 column 7: indicator 2.1 weighting: "£40,000" is not a percentage' in result.stdout
    assert cquin("fmt", "--check", str(out)).exit_code == 0
    goals = read_yaml(out).value["goals"]
    assert [(g["number"], g["name"], g["weighting"], [i["number"] for i in g["indicators"]]) for g in goals] == [
        (1, "Safer care", "60%", ["1.1", "1.2"]),
        (2, "Innovation", "40%", ["2.1"]),
    ]
    assert goals[0]["indicators"][1]["numerator"] == "Patients who did not fall"


def test_hostile_text_and_file_names_come_through_as_text(cquin, tmp_path):
    """A cell's text is data: YAML syntax, invisible characters and a file name with a line break change nothing."""
    import docx

    name = "Falls: #1 = 'best' {x} - \u200bzero\u2028width\u00a0"
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate((("Indicator number", "1.1"), ("Indicator name", name), ("Numerator", "=SUM(A1:A2)"))):
        table.cell(r, 0).text, table.cell(r, 1).text = label, value
    source = tmp_path / "evil\nfinancial_year: 1999.docx"
    document.save(str(source))
    out = tmp_path / "evil.yaml"
    result = cquin("import", str(source), "-o", str(out))
    assert result.exit_code == 1, result.stderr
    scheme = read_yaml(out).value
    indicator = scheme["goals"][0]["indicators"][0]
    assert indicator["name"] == name.strip()
    assert indicator["numerator"] == "=SUM(A1:A2)"
    assert scheme["financial_year"].startswith("TODO")  # the file's name is no part of the scheme
    formatted = cquin("fmt", "--check", str(out))
    assert formatted.exit_code == 0, formatted.stdout


def test_a_label_and_its_value_in_one_cell(cquin, tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=1)
    for r, text in enumerate(
        ("Indicator number: 2.1", "Indicator name: Brain scan within an hour", "Numerator: Patients scanned")
    ):
        table.cell(r, 0).text = text
    source = tmp_path / "one-cell.docx"
    document.save(str(source))
    out = tmp_path / "one-cell.yaml"
    assert cquin("import", str(source), "-o", str(out)).exit_code == 1
    indicator = read_yaml(out).value["goals"][0]["indicators"][0]
    assert (indicator["number"], indicator["name"], indicator["numerator"]) == (
        "2.1",
        "Brain scan within an hour",
        "Patients scanned",
    )


@pytest.mark.parametrize("kind", ["folder", "named pipe"])
def test_an_output_that_is_not_a_regular_file_is_refused_before_any_work(cquin, tmp_path, kind):
    import os

    source = word_scheme(tmp_path / "s.docx")
    dest = tmp_path / "out.yaml"
    if kind == "folder":
        dest.mkdir()
    else:
        os.mkfifo(dest)
    result = cquin("import", str(source), "-o", str(dest), "--force")
    assert result.exit_code == 2
    assert f"cannot write {dest}: it is a {kind}" in result.stderr


def test_force_writes_through_a_link_to_a_regular_file(cquin, tmp_path):
    source = word_scheme(tmp_path / "s.docx")
    target = tmp_path / "elsewhere.yaml"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert cquin("import", str(source), "-o", str(link), "--force").exit_code == 1
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("# Imported by `cquin import`")


def test_a_goal_table_in_excel_and_the_indicators_in_word_make_one_scheme(cquin, tmp_path):
    import docx
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Goals"
    ws.append(
        ["Goal Number", "Goal Name", "Description of Goal", "Goal Weighting (% of CQUIN scheme available)", "Quality Domain"]
    )
    for number, name, description, weighting, _, domain in GOALS:
        ws.append([int(number), name, description, weighting, domain])
    goals = tmp_path / "goals.xlsx"
    book.save(str(goals))
    document = docx.Document()
    for number in ("2.1", "1.1"):
        table = document.add_table(rows=0, cols=2)
        for label, value in indicator_rows(number, f"Indicator {number}"):
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = label, value
    indicators = tmp_path / "indicators.docx"
    document.save(str(indicators))
    out = tmp_path / "both.yaml"
    result = cquin("import", str(indicators), str(goals), "-o", str(out))
    assert result.exit_code == 1
    assert f"{indicators} table 1 row 1 column 2: indicator 2.1: placed under goal 2 by its number" in result.stdout
    assert "[goals.xlsx]Goals!D4: goal 3 weighting: read 30 (no % sign) as 30%" in result.stdout
    scheme = read_yaml(out).value
    assert [
        (g["number"], [i["number"] for i in g["indicators"]] if isinstance(g["indicators"], list) else None)
        for g in scheme["goals"]
    ] == [
        (1, ["1.1"]),
        (2, ["2.1"]),
        (3, None),  # no indicator in the documents: a stub, reported
        (4, None),
    ]
    assert "goal 3 indicators: the document has no indicator for this goal" in result.stdout


def test_a_table_of_dated_milestones_under_the_indicator(cquin, tmp_path):
    import docx

    document = docx.Document()
    rows = indicator_rows(
        "1.1", "Falls risk assessment", are_there_rules_for_any_agreed_in_year_milestones_that_result_in_payment="Yes, see below"
    )
    rows += [("Milestone", "Date", "Target"), ("Milestone 1", "30/09/2016", "60%"), ("Milestone 2", "31 December 2016", "70%")]
    table = document.add_table(rows=0, cols=3)
    for texts in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, texts):
            cell.text = text
    source = tmp_path / "dated.docx"
    document.save(str(source))
    out = tmp_path / "dated.yaml"
    result = cquin("import", str(source), "-o", str(out), "--year", "2016/17")
    assert result.exit_code == 1
    assert "read the date 30/09/2016 as month 6 of 2016/17" in result.stdout
    assert '"Milestone": the headings of a table of milestones' in result.stdout
    indicator = read_yaml(out).value["goals"][0]["indicators"][0]
    assert indicator["milestones"] == [{"month": 6, "target": 60}, {"month": 9, "target": 70}]
    wrong = cquin("import", str(source), "-o", str(tmp_path / "wrong.yaml"), "--year", "2017/18")
    assert "indicator 1.1 milestone: 2016-09-30 is not in 2017/18; fill in the milestones" in wrong.stdout
