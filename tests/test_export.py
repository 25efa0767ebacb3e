"""`cquin export`: the portfolio as tables, queried back (SQLite types, keys, foreign keys), CSV and JSON."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLES, WORKED_EXAMPLE
from test_portfolio_aggregate import generate, write_portfolio

from cquin_cli.check.pipeline import check_paths
from cquin_cli.compute.pricing import price
from cquin_cli.portfolio.export_tables import MONEY, PENCE, TABLES, data_dictionary


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory):
    from conftest import run_cli

    db = tmp_path_factory.mktemp("export") / "portfolio.db"
    result = run_cli("export", str(SAMPLES), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 0, result.stderr
    return db


def _query(db, sql, *args):
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def test_sqlite_counts_are_the_samples(samples_db):
    schemes = check_paths([str(SAMPLES)]).schemes
    assert _query(samples_db, "select count(*) from indicators") == [(sum(len(s.indicators) for s in schemes),)]
    assert _query(samples_db, "select count(*) from schemes") == [(len(schemes),)]
    assert _query(samples_db, "select count(*) from goals") == [(sum(len(s.goals) for s in schemes),)]
    assert _query(samples_db, "select count(*) from commissioners") == [(sum(len(s.commissioners) for s in schemes),)]
    assert _query(samples_db, "select count(*) from milestones") == [
        (sum(len(i.milestones) for s in schemes for i in s.indicators),)
    ]


def test_sqlite_keys_types_and_foreign_keys(samples_db):
    assert _query(samples_db, "pragma foreign_key_check") == []
    assert _query(samples_db, "pragma integrity_check") == [("ok",)]
    for spec in TABLES:
        info = {row[1]: row for row in _query(samples_db, f'pragma table_info("{spec.name}")')}
        assert list(info) == list(spec.column_names)
        assert tuple(name for name, row in sorted(info.items(), key=lambda kv: kv[1][5]) if row[5]) == spec.primary_key
        fks = _query(samples_db, f'pragma foreign_key_list("{spec.name}")')
        assert {(row[2], row[3], row[4]) for row in fks} == {
            (fk.table, c, r) for fk in spec.foreign_keys for c, r in zip(fk.columns, fk.references)
        }
    # Values come back with the types the dictionary promises.
    assert _query(
        samples_db,
        "select distinct typeof(expected_value), typeof(expected_value_pence), typeof(weighting_percent) from indicators",
    ) in (
        [("text", "integer", "integer")],
        [("text", "integer", "real")],
        [("text", "integer", "integer"), ("text", "integer", "real")],
    )
    assert _query(samples_db, "select distinct typeof(foundation_trust) from schemes") == [("integer",)]
    # A foreign key is enforced: an indicator of no scheme is refused.
    connection = sqlite3.connect(samples_db)
    connection.execute("pragma foreign_keys = on")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "insert into goals (goal_id, scheme_id, number, position, name, domain, weighting_percent, expected_value, expected_value_pence) values ('x', 'nope', '1', 1, 'g', 'safety', 10, '1.00', 100)"
        )
    connection.close()


def test_sqlite_money_is_the_price_to_the_penny(samples_db):
    for scheme in check_paths([str(SAMPLES)]).schemes:
        priced = price(scheme)
        sid = f"{scheme.provider.code}/{scheme.financial_year.replace('/', '-')}/{scheme.commissioning_route}"
        assert _query(samples_db, "select expected_value, expected_value_pence from schemes where scheme_id = ?", sid) == [
            (f"{priced.expected_value:.2f}", int(priced.expected_value * 100))
        ]
        # The indicators' pence add up exactly to the scheme's expected value.
        assert _query(samples_db, "select sum(expected_value_pence) from indicators where scheme_id = ?", sid) == [
            (int(priced.expected_value * 100),)
        ]
        got = _query(samples_db, "select number, expected_value from indicators where scheme_id = ? order by position", sid)
        assert got == [(i.number, f"{i.value:.2f}") for i in priced.indicators]


def test_worked_example_reconciliations_and_achievement(samples_db):
    rows = _query(
        samples_db,
        "select month, source, earned, paid, adjustment from reconciliations where scheme_id = 'RNF/2009-10/pct' order by month, source",
    )
    computed = {m: (e, p, a) for m, s, e, p, a in rows if s == "computed"}
    assert computed == {
        6: ("321300.00", "450000.00", "-128700.00"),
        9: ("700350.00", "546300.00", "154050.00"),
        12: ("749620.00", "925350.00", "-175730.00"),
    }
    recorded = {m: a for m, s, e, p, a in rows if s == "recorded"}
    assert recorded == {6: "-128700.00", 9: "154050.00"}
    assert _query(
        samples_db, "select value, typeof(value), met from achievement where indicator_id = 'RNF/2009-10/pct/E1' and month = 6"
    ) == [(62.5, "real", None)]
    assert _query(samples_db, "select met from achievement where indicator_id = 'RNF/2009-10/pct/I1' order by month") == [
        (0,),
        (1,),
        (1,),
    ]


def test_who_pays_whom_adds_up_to_each_adjustment(samples_db):
    """reconciliation_commissioners: DOMAIN.md §4's split of A(12) in the worked example,
    the recorded split of month 6 as written, and the parts of every reconciliation summing
    to its adjustment to the penny."""
    parts = _query(
        samples_db,
        "select month, source, commissioner_code, adjustment from reconciliation_commissioners "
        "where scheme_id = 'RNF/2009-10/pct' order by month, source, rowid",
    )
    assert [(c, a) for m, s, c, a in parts if (m, s) == (12, "computed")] == [
        ("5NF", "-123011.00"),
        ("5NB", "-35146.00"),
        ("5NC", "-17573.00"),
    ]
    assert [(c, a) for m, s, c, a in parts if (m, s) == (6, "recorded")] == [
        ("5NF", "-90090.00"),
        ("5NB", "-25740.00"),
        ("5NC", "-12870.00"),
    ]
    unbalanced = _query(
        samples_db,
        """
        select r.scheme_id, r.month, r.source, r.adjustment_pence, sum(c.adjustment_pence)
        from reconciliations r join reconciliation_commissioners c using (scheme_id, month, source)
        group by r.scheme_id, r.month, r.source having sum(c.adjustment_pence) != r.adjustment_pence""",
    )
    assert unbalanced == []
    assert _query(
        samples_db,
        "select count(*) from reconciliations r where not exists "
        "(select 1 from reconciliation_commissioners c where c.scheme_id = r.scheme_id and c.month = r.month and c.source = r.source)",
    ) == [(0,)]


def test_sqlite_export_is_deterministic_and_never_overwrites_an_input(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "in" / "scheme.yaml"
    scheme.parent.mkdir()
    scheme.write_text(worked_example_text)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert cquin("export", str(scheme), "--format", "sqlite", "-o", str(a)).exit_code == 0
    assert cquin("export", str(scheme), "--format", "sqlite", "-o", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    result = cquin("export", str(scheme), "--format", "sqlite", "-o", str(scheme))
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert scheme.read_text() == worked_example_text
    assert not [p for p in tmp_path.rglob(".*.tmp")]  # no temporary file left behind
    # Exporting again replaces the database whole.
    assert cquin("export", str(scheme), "--format", "sqlite", "-o", str(a)).exit_code == 0
    assert _query(a, "select count(*) from schemes") == [(1,)]


def test_csv_export(cquin, tmp_path, worked_example_text):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(worked_example_text.replace("name: Inpatient survey score", "name: '=HYPERLINK(\"http://x\")'"))
    out = tmp_path / "csv"
    result = cquin("export", str(scheme), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{spec.name}.csv" for spec in TABLES)
    with open(out / "indicators.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    spec = next(s for s in TABLES if s.name == "indicators")
    assert tuple(rows[0]) == spec.column_names
    assert [r["indicator_id"] for r in rows] == [
        "RNF/2009-10/pct/S1",
        "RNF/2009-10/pct/E1",
        "RNF/2009-10/pct/X1",
        "RNF/2009-10/pct/I1",
    ]
    assert [r["expected_value"] for r in rows] == ["300000.00", "300000.00", "200000.00", "200000.00"]
    assert [r["expected_value_pence"] for r in rows] == ["30000000", "30000000", "20000000", "20000000"]
    assert rows[2]["name"] == '\'=HYPERLINK("http://x")'  # never a formula in a spreadsheet
    assert rows[3]["baseline_value"] == "" and rows[0]["spans_years"] == "false"
    with open(out / "reconciliations.csv", newline="", encoding="utf-8") as f:
        assert list(csv.DictReader(f)) == []  # no achievement data beside this copy
    # CSV into a file that is not a folder is refused.
    assert cquin("export", str(scheme), "--format", "csv", "-o", str(scheme)).exit_code == 2


def test_json_export_to_stdout_keeps_text_exact(cquin):
    result = cquin("export", str(WORKED_EXAMPLE.parent), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "cquin-export" and doc["version"] == 1
    assert list(doc["tables"]) == [spec.name for spec in TABLES]
    (scheme,) = doc["tables"]["schemes"]
    assert scheme["expected_value"] == "1000000.00" and scheme["expected_value_pence"] == 100000000
    assert scheme["rate_percent"] == "0.5" and scheme["foundation_trust"] is False
    e1 = next(m for m in doc["tables"]["achievement"] if m["indicator_id"] == "RNF/2009-10/pct/E1" and m["month"] == 6)
    assert e1["value"] == "62.5"
    assert cquin("export", str(WORKED_EXAMPLE.parent), "--format", "json").stdout == result.stdout


def test_partly_invalid_and_colliding_portfolios(cquin, tmp_path, worked_example_text):
    (tmp_path / "a.yaml").write_text(worked_example_text)
    (tmp_path / "b-copy.yaml").write_text(worked_example_text)  # the same scheme again (E203)
    (tmp_path / "broken.yaml").write_text("goals: [\n")
    db = tmp_path / "out.db"
    result = cquin("export", str(tmp_path), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 1
    assert f"{tmp_path / 'broken.yaml'}:" in result.stderr
    assert (
        f"{tmp_path / 'b-copy.yaml'}: left out, scheme RNF/2009-10/pct is already exported from {tmp_path / 'a.yaml'}"
        in result.stderr
    )
    assert _query(db, "select count(*), min(file) from schemes") == [(1, str(tmp_path / "a.yaml"))]
    assert _query(db, "pragma foreign_key_check") == []


def test_a_measurement_of_an_unknown_indicator_is_left_out(cquin, tmp_path, worked_example_text):
    (tmp_path / "s.yaml").write_text(worked_example_text)
    achievement = (WORKED_EXAMPLE.parent / "northfield-acute-2009-10.achievement.yaml").read_text()
    (tmp_path / "s.achievement.yaml").write_text(
        achievement.replace("- {indicator: S1, month: 6, value: 62}", "- {indicator: Z9, month: 6, value: 62}")
    )
    db = tmp_path / "out.db"
    result = cquin("export", str(tmp_path), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 1  # E303 from the checker
    assert "indicator Z9, which RNF/2009-10/pct does not have, is left out" in result.stderr
    assert _query(db, "pragma foreign_key_check") == []
    assert _query(db, "select count(*) from achievement where indicator_id like '%/S1'") == [
        (11,)
    ]  # S1 is measured every month; the one renamed Z9 is left out


def test_empty_export_and_bad_usage(cquin, tmp_path):
    assert cquin("export", str(tmp_path), "--format", "sqlite", "-o", str(tmp_path / "x.db")).exit_code == 2
    assert not (tmp_path / "x.db").exists()
    result = cquin("export", str(WORKED_EXAMPLE), "--format", "sqlite")
    assert result.exit_code == 2 and "needs -o" in result.stderr
    assert cquin("export", str(WORKED_EXAMPLE), "--format", "xml", "-o", "x").exit_code == 2


def test_generated_portfolio_export(cquin, tmp_path):
    schemes = generate(seed=11, count=8)
    folder = write_portfolio(tmp_path / "in", schemes)
    db = tmp_path / "g.db"
    result = cquin("export", str(folder), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 1  # the generator's one E202 scheme; it is still exported
    assert _query(db, "select count(*) from schemes") == [(len(schemes),)]
    assert _query(db, "select count(*) from indicators") == [(sum(len(s.indicators) for s in schemes),)]
    for s in schemes:
        total = sum(s.value_of(i) for _, i in s.indicators)
        assert _query(db, "select sum(expected_value_pence) from indicators where scheme_id = ?", s.scheme_id) == [
            (int(total * 100),)
        ]
        assert _query(db, "select expected_value from schemes where scheme_id = ?", s.scheme_id) == [(f"{s.pot:.2f}",)]
        assert _query(db, "select count(*) from commissioners where scheme_id = ?", s.scheme_id) == [(1 + len(s.associates),)]
        pathway = [i.number for _, i in s.indicators if i.pathway]
        assert [
            r[0]
            for r in _query(
                db, "select number from indicators where scheme_id = ? and pathway is not null order by position", s.scheme_id
            )
        ] == pathway
    stretches = _query(db, "select indicator_id, stretch_percent from indicators where stretch_percent is not null")
    assert len(stretches) == sum(1 for s in schemes for _, i in s.indicators if i.baseline is not None)
    assert _query(db, "pragma foreign_key_check") == []


def test_data_dictionary_is_current_and_documents_every_column():
    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert text == data_dictionary(), (
        "run: python -c 'from cquin_cli.portfolio.export_tables import data_dictionary; print(data_dictionary(), end=\"\")' > docs/data-dictionary.md"
    )
    for spec in TABLES:
        assert f"## `{spec.name}`" in text
        for column in spec.columns:
            assert f"| `{column.name}` |" in text
            assert column.description
        money = [c.name for c in spec.columns if c.kind == MONEY]
        assert all(f"{m}_pence" in [c.name for c in spec.columns if c.kind == PENCE] for m in money)


def test_readme_queries_run_on_the_sample_export(samples_db):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(.*?)```", readme, re.S).group(1)
    queries = [
        q.strip() for q in block.split(";") if q.strip() and not all(line.startswith("--") for line in q.strip().splitlines())
    ]
    assert len(queries) == 3
    results = [_query(samples_db, q) for q in queries]
    assert results[0] and all(Decimal(row[-1]) > 0 for row in results[0])
    pathway_rows = results[2]
    assert len({row[1] for row in pathway_rows if row[0] == "cw-dementia"}) == 3


def test_a_scheme_with_an_unusable_value_is_left_out_and_named(cquin, tmp_path, worked_example_text):
    """Three-decimal money is loaded as a 0.00 stand-in: exporting it would publish 0.00
    as the scheme's excluded income, so the scheme is left out whole and named."""
    (tmp_path / "good.yaml").write_text(worked_example_text)
    bad = tmp_path / "m3.yaml"
    bad.write_text((ROOT / "tests" / "hostile" / "money-three-decimals.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "out.json"
    result = cquin("export", str(tmp_path), "--format", "json", "-o", str(out))
    assert result.exit_code == 1
    assert "error E105 500000.005 has more than two decimal places" in result.stderr
    assert (
        f"cquin export: {bad}: left out, a value in it cannot be used as written (E105 500000.005 has more than two decimal places"
        in result.stderr
    )
    tables = json.loads(out.read_text())["tables"]
    assert [s["scheme_id"] for s in tables["schemes"]] == ["RNF/2009-10/pct"]
    assert all(
        row["scheme_id"] == "RNF/2009-10/pct"
        for name in ("commissioners", "goals", "indicators", "milestones")
        for row in tables[name]
    )


def test_nothing_usable_to_export_is_exit_2_and_writes_nothing(cquin, tmp_path):
    for name in ("money-nan.yaml", "money-three-decimals.yaml"):
        out = tmp_path / f"{name}.json"
        result = cquin("export", str(ROOT / "tests" / "hostile" / name), "--format", "json", "-o", str(out))
        assert result.exit_code == 2
        assert "left out, a value in it cannot be used as written (E105 " in result.stderr
        assert "nothing to export" in result.stderr
        assert not out.exists()


def test_stretch_is_rounded_half_up_to_two_decimals_once_in_every_output(cquin, tmp_path, worked_example_text):
    """S1 55 -> 90 becomes 200 -> 200.89: a stretch of exactly 0.445 points, which is
    0.45 half-up (0.44 half-even). The scheme's stretch is the exact mean of S1, E1 and X1
    rounded once. Every format of the export and of the report shows the same figures."""
    from decimal import ROUND_HALF_UP

    text = worked_example_text.replace("baseline: {period: 2008/09 Q3, value: 55}", "baseline: {period: 2008/09 Q3, value: 200}")
    text = text.replace("final: {period: 2009/10 Q4, value: 90}", "final: {period: 2009/10 Q4, value: 200.89}")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.yaml").write_text(text)
    exact = (Decimal("0.445") + Decimal(2200) / 58 + Decimal(400) / 71) / 3
    scheme = str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert scheme == "14.67"
    expected = {
        "schemes": {"RNF/2009-10/pct": scheme},
        "indicators": {
            "RNF/2009-10/pct/S1": "0.45",
            "RNF/2009-10/pct/E1": "37.93",
            "RNF/2009-10/pct/X1": "5.63",
            "RNF/2009-10/pct/I1": None,
        },
    }
    key = {"schemes": "scheme_id", "indicators": "indicator_id"}

    doc = json.loads(cquin("export", str(tmp_path / "in"), "--format", "json").stdout)
    for table, want in expected.items():
        assert {r[key[table]]: r["stretch_percent"] for r in doc["tables"][table]} == want
    assert cquin("export", str(tmp_path / "in"), "--format", "csv", "-o", str(tmp_path / "csv")).exit_code in (0, 1)
    for table, want in expected.items():
        with open(tmp_path / "csv" / f"{table}.csv", newline="", encoding="utf-8") as f:
            assert {r[key[table]]: r["stretch_percent"] or None for r in csv.DictReader(f)} == want
    db = tmp_path / "s.db"
    assert cquin("export", str(tmp_path / "in"), "--format", "sqlite", "-o", str(db)).exit_code in (0, 1)
    for table, want in expected.items():
        got = dict(_query(db, f"select {key[table]}, stretch_percent from {table}"))
        assert got == {k: (None if v is None else float(v)) for k, v in want.items()}

    report = json.loads(cquin("report", str(tmp_path / "in"), "--format", "json").stdout)
    assert report["schemes"][0]["stretch"] == scheme
    assert {i["number"]: i["stretch"] for i in report["indicators"]} == {"S1": "0.45", "E1": "37.93", "X1": "5.63", "I1": None}
    out = cquin("report", str(tmp_path / "in")).stdout
    assert re.search(r"^  RNF/2009-10/pct .* \+14\.67%$", out, re.M)
    assert re.search(r"RNF/2009-10/pct\s+S1\s+VTE risk assessment\s+higher\s+200\s+200\.89\s+\+0\.45%", out)


def test_outputs_into_missing_folders_are_refused_and_create_nothing(cquin, tmp_path):
    from conftest import SAMPLES

    for args in (
        ("export", str(SAMPLES), "--format", "csv", "-o", str(tmp_path / "a" / "b")),
        ("export", str(SAMPLES), "--format", "sqlite", "-o", str(tmp_path / "a" / "p.db")),
        ("report", str(SAMPLES), "--xlsx", str(tmp_path / "a" / "r.xlsx")),
    ):
        result = cquin(*args)
        assert result.exit_code == 2, args
        assert "No such file" in result.stderr or "does not exist" in result.stderr
        assert "internal error" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_filters_keep_only_the_matching_schemes_as_report_does(cquin):
    everything = check_paths([str(SAMPLES)]).schemes
    years = sorted({s.financial_year for s in everything})
    assert len(years) >= 2
    result = cquin("export", str(SAMPLES), "--format", "json", "--year", years[-1].replace("/", "-"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    exported = {row["financial_year"] for row in doc["tables"]["schemes"]}
    assert exported == {years[-1]}
    assert len(doc["tables"]["schemes"]) == sum(s.financial_year == years[-1] for s in everything)
    # every other table follows the schemes kept (no row of a scheme left out)
    kept = {row["scheme_id"] for row in doc["tables"]["schemes"]}
    assert {row["scheme_id"] for row in doc["tables"]["indicators"]} <= kept
    assert {row["scheme_id"] for row in doc["tables"]["commissioners"]} <= kept

    worked = cquin("export", str(SAMPLES), "--format", "json", "--provider", "rnf", "--commissioner", "5NB")
    assert worked.exit_code == 0, worked.stderr
    assert [row["scheme_id"] for row in json.loads(worked.stdout)["tables"]["schemes"]] == ["RNF/2009-10/pct", "RNF/2012-13/pct"]


def test_a_filter_that_matches_nothing_or_a_malformed_year_is_exit_2(cquin, tmp_path):
    none = cquin("export", str(SAMPLES), "--format", "json", "--provider", "NOPE")
    assert none.exit_code == 2 and "no scheme matches the filters" in none.stderr and none.stdout == ""
    bad = cquin("export", str(SAMPLES), "--format", "sqlite", "-o", str(tmp_path / "x.db"), "--year", "2009/11")
    assert bad.exit_code == 2 and "a financial year is written like 2009/10" in bad.stderr
    assert not (tmp_path / "x.db").exists()


def test_achievement_data_with_errors_gives_no_computed_reconciliation(cquin, tmp_path, worked_example_text):
    """As `cquin reconcile` refuses it: the measurements are exported (one row per indicator
    and month) and the agreed adjustments too, but no money computed from data that breaks
    the E3xx rules."""
    achievement = (WORKED_EXAMPLE.parent / "northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8")
    (tmp_path / "s.yaml").write_text(worked_example_text)
    (tmp_path / "s.achievement.yaml").write_text(
        achievement.replace(
            "  - {indicator: S1, month: 12, value: 86}",
            "  - {indicator: S1, month: 12, value: 86}\n  - {indicator: S1, month: 12, value: 90}",
        )
    )
    result = cquin("export", str(tmp_path), "--format", "json")
    assert result.exit_code == 1 and "E305" in result.stderr
    assert "no computed reconciliation, its achievement data has 1 error" in result.stderr
    tables = json.loads(result.stdout)["tables"]
    assert {row["source"] for row in tables["reconciliations"]} == {"recorded"}
    assert any(m["indicator_id"] == "RNF/2009-10/pct/S1" and m["month"] == 12 for m in tables["achievement"])


def test_a_recorded_part_for_no_commissioner_of_the_scheme_is_left_out(cquin, tmp_path, worked_example_text):
    achievement = (WORKED_EXAMPLE.parent / "northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8")
    (tmp_path / "s.yaml").write_text(worked_example_text)
    (tmp_path / "s.achievement.yaml").write_text(achievement.replace('      5NC: "-12870.00"', '      5XX: "-12870.00"', 1))
    db = tmp_path / "p.db"
    result = cquin("export", str(tmp_path), "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 1  # E308: the parts name a commissioner the scheme does not have
    assert "names 5XX, not a commissioner of RNF/2009-10/pct; that part is left out" in result.stderr
    assert _query(db, "pragma foreign_key_check") == []
    assert _query(
        db, "select commissioner_code from reconciliation_commissioners where month = 6 and source = 'recorded' order by rowid"
    ) == [("5NF",), ("5NB",)]


def test_a_portfolio_exported_on_every_core_writes_the_same_bytes_as_one_process(cquin, monkeypatch, tmp_path):
    """cquin export keeps each scheme's rows, made where it and its achievement data were
    checked, not the schemes: the tables are those of a run holding every record."""
    from conftest import mixed_portfolio
    from test_lint import _serial_and_pooled

    from cquin_cli.check.pipeline import check_paths
    from cquin_cli.portfolio.export_tables import achievement_errors_of_run, achievements_of_run, export_tables
    from cquin_cli.report.export import export_document, table_csv

    folder = str(mixed_portfolio(tmp_path / "in"))
    serial, pooled = _serial_and_pooled(cquin, monkeypatch, "export", folder, "--format", "json")
    assert serial.exit_code == pooled.exit_code == 1, serial.stderr
    assert (pooled.stdout, pooled.stderr) == (serial.stdout, serial.stderr)
    run = check_paths([folder])
    whole = export_tables(run.records, achievements_of_run(run), achievement_errors_of_run(run))
    # written row after row, the document is what json.dumps makes of it whole
    assert serial.stdout == json.dumps(export_document(whole), indent=2, ensure_ascii=False) + "\n"
    assert "variant-33.yaml" in serial.stderr and whole.table("achievement").rows
    for name in ("serial", "pooled"):
        monkeypatch.setattr("cquin_cli.check.pipeline.PARALLEL_FROM", 10**9 if name == "serial" else 16)
        assert cquin("export", folder, "--format", "csv", "-o", str(tmp_path / name)).exit_code == 1
    for table in (tmp_path / "serial").iterdir():
        assert (tmp_path / "pooled" / table.name).read_bytes() == table.read_bytes(), table.name
        assert table.read_text(encoding="utf-8") == table_csv(whole, table.stem)


def test_an_export_with_empty_tables_is_the_json_of_its_document(tmp_path):
    from conftest import WORKED_EXAMPLE

    from cquin_cli.check.pipeline import check_scheme_file
    from cquin_cli.portfolio.export_tables import export_tables
    from cquin_cli.report.export import export_document, export_json

    tables = export_tables([check_scheme_file(str(WORKED_EXAMPLE)).scheme])
    assert not tables.table("achievement").rows and tables.table("milestones").rows
    assert export_json(tables) == json.dumps(export_document(tables), indent=2, ensure_ascii=False) + "\n"
