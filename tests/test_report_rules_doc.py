"""What a user reads is in the user's words: no internal file names, issue numbers or markup.

The scan covers every user-facing text source: each command's --help, `cquin rules`,
`cquin explain` for every code, SARIF, and each command's output on the samples
(workbook cells included). `cquin explain` is plain text with the parts a user needs.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, WORKED_EXAMPLE, run_cli

# Internal references and markup: the project's own notes, issue numbers, source files,
# reStructuredText literals and roles.
FORBIDDEN = re.compile(
    r"DOMAIN\b|STYLE\.md|RULEBOOK\.md|\bissues? #?\d+|cquin_cli|\b\w+\.py\b|(?<!`)``(?!`)|:(?:func|class|meth|mod|attr|data|obj|ref):`"
)


def offending(label: str, text: str) -> list[str]:
    return [f"{label}: {line.strip()}" for line in text.splitlines() if FORBIDDEN.search(line)]


def test_the_pattern_catches_what_it_is_for() -> None:
    for bad in ("(DOMAIN.md §4)", "issue 5", "cquin_cli/rulebook/rulebook.json", "see ``rate``", ":func:`plain`", "x.py"):
        assert offending("t", bad), bad
    for fine in ("guidance ¶69", "docs/money.md", "`cquin validate`", "78.57%", "sample_schemes/bristol/north-bristol.yaml"):
        assert not offending("t", fine), fine


def test_help_of_every_command_is_in_the_users_words() -> None:
    from cquin_cli.cli import build_command

    found = offending("cquin --help", run_cli("--help").stdout)
    for name in build_command().commands:  # every command, whoever added it
        result = run_cli(name, "--help")
        assert result.exit_code == 0, (name, result.stderr)
        assert "Usage: cquin" in result.stdout
        found += offending(f"cquin {name} --help", result.stdout)
    assert found == [], "\n".join(found)


def test_rules_and_explain_are_in_the_users_words() -> None:
    from cquin_cli.check.registry import all_rules

    listed = run_cli("rules")
    assert listed.exit_code == 0
    found = offending("cquin rules", listed.stdout)
    for code in all_rules():
        result = run_cli("explain", code)
        assert result.exit_code == 0, code
        found += offending(f"cquin explain {code}", result.stdout)
    assert found == [], "\n".join(found)


def test_every_rule_cites_a_source_a_user_can_read() -> None:
    from cquin_cli.check.registry import all_rules

    for r in all_rules().values():
        assert re.search(r"guidance ¶|footnote|seed \d|docs/\w|schemas/\w|cquin \w|\w\.(?:uk|com|org)/", r.source), (
            r.code,
            r.source,
        )


def test_explain_prints_what_why_fragments_fix_and_suppression() -> None:
    result = run_cli("explain", "W401")
    text = result.stdout
    assert result.exit_code == 0
    assert text.startswith("W401 (warning): All-or-nothing payment with no partial achievement\n")
    for heading in ("What it checks:", "Why: guidance ¶69", "\nFails (", "\nPasses (", "How to fix:", "How to suppress:"):
        assert heading in text, heading
    assert max(text.index("\nFails ("), text.index("\nPasses (")) < text.index("How to fix:") < text.index("How to suppress:")
    assert "# cquin: allow W401 -- " in text
    assert "on the all_or_nothing rule" in text  # the literal is shown without its markup
    error = run_cli("explain", "e202").stdout  # the code in any case
    assert error.startswith("E202 (error)")
    assert "It cannot be suppressed: an error is fixed, not hidden." in error
    assert "cquin: allow" not in error


def test_plain_and_markdown_strip_the_markup() -> None:
    from cquin_cli.report.rules_doc import markdown_text, plain

    assert plain("the ``milestone`` rule, see :func:`cquin_cli.money.split`") == "the milestone rule, see split"
    assert plain("it was **suspended** in 2020/21") == "it was suspended in 2020/21"
    assert markdown_text("the ``milestone`` rule") == "the `milestone` rule"


def test_sarif_is_in_the_users_words() -> None:
    result = run_cli("lint", "--format", "sarif", str(SAMPLES))
    document = json.loads(result.stdout)
    found = []
    for run in document["runs"]:
        for r in run["tool"]["driver"]["rules"]:
            found += offending(f"sarif {r['id']} short", r["shortDescription"]["text"])
            found += offending(f"sarif {r['id']} full", r["fullDescription"]["text"])
            found += offending(f"sarif {r['id']} help", r["help"]["text"])
            found += offending(f"sarif {r['id']} markdown", r["help"]["markdown"])
            found += offending(f"sarif {r['id']} source", r["properties"]["source"])
        for res in run["results"]:
            found += offending("sarif result", res["message"]["text"])
    assert found == [], "\n".join(found)


def _workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(sheet.title)
        for part in (sheet.oddHeader, sheet.oddFooter):
            for side in (part.left, part.center, part.right):
                lines.append(side.text or "")
        for row in sheet.iter_rows():
            lines += [str(c.value) for c in row if isinstance(c.value, str)]
    return "\n".join(lines)


def test_every_commands_output_on_the_samples_is_in_the_users_words(tmp_path: Path) -> None:
    worked = str(WORKED_EXAMPLE)
    samples = str(SAMPLES)
    kings = str(SAMPLES / "lambeth-southwark" / "kings-college-hospital-2009-10.yaml")
    runs = [
        ("validate", samples),
        ("lint", samples),
        ("lint", "--format", "json", samples),
        ("price", samples),
        ("price", "--format", "json", worked),
        ("price", "--format", "csv", worked),
        ("reconcile", worked, "--month", "6"),
        ("reconcile", worked, "--month", "12"),
        ("reconcile", worked, "--month", "12", "--format", "json"),
        ("monitor", worked),
        ("monitor", kings),
        ("monitor", samples),
        ("report", samples),
        ("report", "--format", "markdown", samples),
        ("report", "--format", "json", samples),
        ("report", "--achievement", samples),
        ("export", "--format", "json", samples),
        ("export", "--format", "csv", "-o", str(tmp_path / "csv"), samples),
        (
            "diff",
            str(SAMPLES / "bristol" / "north-bristol-2009-10.yaml"),
            str(SAMPLES / "bristol" / "north-bristol-2010-11.yaml"),
        ),
        ("diff", "--format", "markdown", str(SAMPLES / "bristol" / "north-bristol-2009-10.yaml"), kings),
        ("new", "--provider", "RNF", "--year", "2009/10"),
        ("new", "--from", worked, "--year", "2010/11"),
        ("schema", "scheme"),
        ("render", worked, "--month", "12", "-o", str(tmp_path / "worked.xlsx"), "--portfolio", str(tmp_path / "all.xlsx")),
        ("render", samples, "-o", str(tmp_path / "books")),
        ("report", samples, "--xlsx", str(tmp_path / "report.xlsx")),
    ]
    found = []
    for args in runs:
        result = run_cli(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        label = "cquin " + " ".join(a.replace(samples, "samples") for a in args)
        found += offending(label, result.stdout) + offending(label + " (stderr)", result.stderr)
    copy = tmp_path / "fmt"
    shutil.copytree(SAMPLES / "bristol", copy)
    result = run_cli("fmt", "--check", str(copy))
    found += offending("cquin fmt --check", result.stdout + result.stderr)
    scheme = tmp_path / "fmt" / "north-bristol-2009-10.yaml"
    result = run_cli("new", "--achievement", str(scheme), "--month", "6")
    assert result.exit_code == 0, result.stderr
    data = scheme.with_name("north-bristol-2009-10.achievement.yaml")
    found += offending("cquin new --achievement", result.stdout + result.stderr + data.read_text(encoding="utf-8"))
    result = run_cli("validate", str(data))
    found += offending("cquin validate (achievement stubs)", result.stdout + result.stderr)
    for table in sorted((tmp_path / "csv").glob("*.csv")):
        found += offending(f"export {table.name}", table.read_text(encoding="utf-8"))
    books = sorted(tmp_path.glob("*.xlsx")) + sorted((tmp_path / "books").rglob("*.xlsx"))
    assert len(books) >= 4
    for book in books:
        found += offending(f"workbook {book.name}", _workbook_text(book))
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("kind", ["scheme", "achievement"])
def test_schema_descriptions_editors_show_are_in_the_users_words(kind: str) -> None:
    result = run_cli("schema", kind)
    descriptions = re.findall(r'"(?:description|title|markdownDescription)": "((?:[^"\\]|\\.)*)"', result.stdout)
    assert descriptions
    assert [d for d in descriptions if FORBIDDEN.search(d)] == []


def test_data_dictionary_is_in_the_users_words() -> None:
    from cquin_cli.portfolio.export_tables import TABLES, data_dictionary

    found = []
    for spec in TABLES:
        found += offending(spec.name, spec.description)
        for column in spec.columns:
            found += offending(f"{spec.name}.{column.name}", column.description)
    shown = [line for line in data_dictionary().splitlines() if not line.startswith("<!--")]  # a comment for maintainers
    found += offending("docs/data-dictionary.md", "\n".join(shown))
    assert found == [], "\n".join(found)
