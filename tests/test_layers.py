"""The layers of cquin_cli/__init__.py, enforced: import-linter's layers contract over the package.

A higher layer may import a lower one, never the reverse; imports inside functions count.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import cquin_cli

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", "pyproject.toml"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return contract["layers"]


def test_the_package_keeps_its_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_upwards_breaks_the_contract(tmp_path):
    """The contract can fail: money (the ground floor) importing the command line is caught."""
    shutil.copytree(ROOT / "cquin_cli", tmp_path / "cquin_cli", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    money = tmp_path / "cquin_cli" / "money.py"
    money.write_text(money.read_text(encoding="utf-8") + "\n\ndef _upwards():\n    from cquin_cli.cli import main  # noqa\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert "cquin_cli.money -> cquin_cli.cli" in result.stdout


def test_the_package_docstring_lists_the_contracts_layers():
    """The layers a reader sees at the top of cquin_cli/__init__.py are the contract's, in order."""
    doc = cquin_cli.__doc__ or ""
    listed = []
    for line in re.findall(r"^(?:\d+\.|ground:)\s+(.*)$", doc, flags=re.M):
        names = re.findall(r"``(\w+)``", line.split(" - ")[0])
        listed.append(" | ".join(names))
    assert listed == _contract_layers()
