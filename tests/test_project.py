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


# Suites named after a file of the project rather than a module or a command, each with what it tests.
PROJECT_SUITES = {
    "test_action": "action.yml and examples/github-workflow.yml",
    "test_ci_files": "the editor and CI files a repository copies (examples/, .pre-commit-hooks.yaml)",
    "test_hostile": "the hostile-input corpus in tests/hostile/, through every command",
    "test_hostile_fuzz": "random bytes and YAML trees through the reader and the validator",
    "test_never_trusted": "a scheme file is data: no fetch, no code, no tag runs",
    "test_layers": "the layers contract of cquin_cli/__init__.py (pyproject.toml [tool.importlinter])",
    "test_output_schemas": "schemas/output/: every --format json output validates",
    "test_pre_commit": ".pre-commit-hooks.yaml, run by pre-commit",
    "test_project": "README, Makefile, .ci/run and the test suite's own names",
    "test_release": "pyproject.toml, CHANGELOG.md and the built wheel",
    "test_samples": "sample_schemes/",
    "test_schemas": "schemas/*.json",
    "test_schemastore": "schemas/ as ajv and SchemaStore take them",
    "test_yamllint": ".yamllint against cquin fmt",
    "test_year_limits": "the limits by year: the rule modules of check/rules/ that read the rulebook (E218-E223, W219, W415)",
}


def _tested_names() -> set[str]:
    """Every command, package and module of cquin_cli as a test file may name it: ``check_pipeline`` for check/pipeline.py."""
    from cquin_cli.cli import COMMAND_MODULES

    # a command whose name is a Python keyword lives in a module with a trailing underscore
    # (commands/import_.py is `cquin import`): its tests are named after the command
    names = set(COMMAND_MODULES) | {m.rstrip("_") for m in COMMAND_MODULES}
    package = ROOT / "cquin_cli"
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names.add("_".join(parts))
    return names


def test_every_test_file_is_named_after_the_module_or_command_it_tests():
    """tests/test_<command>.py, tests/test_<package>_<module>.py (a suffix may follow), or a listed project suite."""
    names = _tested_names()
    unnamed = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        stem = path.stem
        subject = stem.removeprefix("test_")
        if stem in PROJECT_SUITES:
            continue
        if not any(subject == n or subject.startswith(n + "_") for n in names):
            unnamed.append(path.name)
    assert unnamed == [], f"name these after the module or command they test, or list them in PROJECT_SUITES: {unnamed}"
    assert all((ROOT / "tests" / f"{stem}.py").exists() for stem in PROJECT_SUITES), "a listed suite no longer exists"
