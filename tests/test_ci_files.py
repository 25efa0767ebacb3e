"""The editor and CI files a repository of schemes copies: they load, and they run what they say."""

from __future__ import annotations

import json
import re

from conftest import ROOT

from cquin_cli.load.yaml_reader import read_yaml


def test_pre_commit_manifest_loads_with_every_required_key():
    loaded = read_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert loaded.error is None, loaded.error
    hooks = loaded.value
    assert isinstance(hooks, list)
    assert [h["id"] for h in hooks] == ["cquin-lint", "cquin-validate", "cquin-fmt"]
    for hook in hooks:
        for key in ("id", "name", "entry", "language"):
            assert isinstance(hook.get(key), str) and hook[key], (hook.get("id"), key)
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "cquin"
        # the changed files are passed (pre-commit's default), in one call at a time
        assert "pass_filenames" not in hook and hook["require_serial"] is True
        re.compile(hook["files"])
    # cross-file rules see the rest of the repository
    assert hooks[0]["args"] == hooks[1]["args"] == ["--context", "."]
    assert hooks[2]["entry"] == "cquin fmt --check"


def test_pre_commit_hooks_name_real_commands(cquin):
    hooks = read_yaml(ROOT / ".pre-commit-hooks.yaml").value
    for hook in hooks:
        command = hook["entry"].split()[1]
        assert cquin(command, "--help").exit_code == 0


def test_schema_command_prints_the_json_schema(cquin):
    result = cquin("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "CQUIN scheme"


def test_readme_modeline_points_at_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    modeline = re.search(r"^# yaml-language-server: \$schema=(\S+)$", readme, re.M)
    assert modeline is not None
    # the README's line is for a scheme one folder below the repository root
    assert (ROOT / "schemes-folder" / modeline.group(1)).resolve() == (ROOT / "schemas" / "scheme.schema.json").resolve()
    sample = (ROOT / "sample_schemes" / "worked-example" / "northfield-acute-2009-10.yaml").read_text(encoding="utf-8")
    first = sample.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/scheme.schema.json"
