"""The project keeps its promises to a newcomer: the README's commands are the ones CI runs,
and every command is documented (sqlite-utils ``test_docs.py``)."""

from __future__ import annotations

import re

from conftest import ROOT


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make demo\b", readme, re.M)
    assert re.search(r"^make test\b", readme, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def _commands():
    from cquin_cli.cli import build_app

    app = build_app()
    return [(c.name or c.callback.__name__, c.callback) for c in app.registered_commands]


def test_every_command_has_help_and_a_line_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {"validate", "rules", "explain", "schema"} <= {name for name, _ in commands}
    for name, callback in commands:
        assert (callback.__doc__ or "").strip(), f"`cquin {name}` has no help text"
        assert re.search(rf"`cquin {name}\b", readme), f"README.md does not document `cquin {name}`"


def test_help_lists_every_command(cquin):
    result = cquin("--help")
    assert result.exit_code == 0
    for name, _ in _commands():
        assert name in result.stdout


def test_docs_rules_md_is_generated_from_the_registry():
    from cquin_cli.report.rules_doc import rules_markdown

    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(), "docs/rules.md is out of date: run `make docs`"
