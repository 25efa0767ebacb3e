"""CSV cells stay cells: a CR or LF in scheme text never starts a row, and no text cell is a formula."""

from __future__ import annotations

import csv
import io

import pytest

from cquin_cli.report.formula_guard import FORMULA_STARTS

# Scheme text that a spreadsheet would split into a new row or evaluate, written as YAML
# double-quoted scalars so the control characters reach cquin as they are.
HOSTILE = {
    "cr": r'"\r=3+3"',
    "lf": r'"\n=3+3"',
    "tab": r'"\t=3+3"',
    "crlf": r'"x\r\n=1+1"',
    "minus": r'"-2+3"',
}
# What a CSV reader gets back: one cell, with an apostrophe in front when a spreadsheet
# would evaluate it (a line feed starts no formula; quoting keeps it inside the cell).
NAME_IN_CSV = {"cr": "'\r=3+3", "lf": "\n=3+3", "tab": "'\t=3+3", "crlf": "x\r\n=1+1", "minus": "'-2+3"}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _assert_no_live_formula(rows: list[list[str]], numeric: set[int]) -> None:
    for row in rows:
        for column, cell in enumerate(row):
            if column in numeric:
                continue
            assert not cell.startswith(FORMULA_STARTS), (row, column)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_export_csv_keeps_hostile_indicator_names_in_one_cell(cquin, tmp_path, worked_example_text, kind):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text.replace("name: Inpatient survey score", f"name: {HOSTILE[kind]}"))
    out = tmp_path / "csv"
    result = cquin("export", str(scheme), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with open(out / "indicators.csv", newline="", encoding="utf-8") as f:
        rows = _rows(f.read())
    header = rows[0]
    assert len(rows) == 1 + 4  # header and the four indicators: no row was split
    assert all(len(r) == len(header) for r in rows)
    names = [r[header.index("name")] for r in rows[1:]]
    assert not any(n.startswith(FORMULA_STARTS) for n in names)
    numeric = {i for i, c in enumerate(header) if c.endswith(("_value", "_pence", "weighting"))}
    _assert_no_live_formula(rows, numeric)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_price_csv_keeps_hostile_names_in_one_cell(cquin, tmp_path, worked_example_text, kind):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text.replace("name: Inpatient survey score", f"name: {HOSTILE[kind]}"))
    plain = tmp_path / "plain.yaml"
    plain.write_text(worked_example_text)
    hostile = _rows(cquin("price", str(scheme), "--format", "csv").stdout)
    expected = _rows(cquin("price", str(plain), "--format", "csv").stdout)
    assert len(hostile) == len(expected)
    header = hostile[0]
    _assert_no_live_formula(hostile, {header.index("amount")})
    name = next(
        r[header.index("name")] for r in hostile if r[header.index("section")] == "indicator" and r[header.index("code")] == "X1"
    )
    assert name == NAME_IN_CSV[kind]


def test_a_negative_amount_stays_a_number_and_a_text_number_is_guarded():
    from cquin_cli.report.csv_table import csv_table

    text = csv_table(("name", "amount"), [["-1", "-128700.00"], ["\r=1", "12.00"]], numeric={"amount"})
    assert _rows(text) == [["name", "amount"], ["'-1", "-128700.00"], ["'\r=1", "12.00"]]
    assert text == "name,amount\n'-1,-128700.00\n\"'\r=1\",12.00\n"
