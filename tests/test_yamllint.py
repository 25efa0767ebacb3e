"""The shipped .yamllint agrees with cquin fmt: yamllint passes on every sample after fmt, and on a messy scheme fmt has laid out."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES, WORKED_EXAMPLE

pytest.importorskip("yamllint", reason="yamllint is in the test extra: pip install -e '.[test]'")


def _yamllint(*paths) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "yamllint", "-f", "parsable", "-c", str(ROOT / ".yamllint"), *map(str, paths)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def test_yamllint_passes_every_sample_after_fmt(cquin, tmp_path):
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    assert cquin("fmt", str(copy)).exit_code == 0
    result = _yamllint(copy)
    assert (result.returncode, result.stdout) == (0, "")


def test_yamllint_passes_a_messy_scheme_once_formatted(cquin, tmp_path):
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    messy = "\n".join(("    " + line if line.startswith("  ") else line) for line in text.splitlines()) + "\n\n\n"
    messy = messy.replace("'", '"').replace("rate: 0.5%", "rate:    0.5%")
    path = tmp_path / "messy.yaml"
    path.write_text(messy, encoding="utf-8")
    assert _yamllint(path).returncode != 0  # yamllint sees the mess
    assert cquin("fmt", str(path)).exit_code == 0
    result = _yamllint(path)
    assert (result.returncode, result.stdout) == (0, "")


def test_yamllint_still_reports_what_fmt_would_never_write(tmp_path):
    path = tmp_path / "tabs.yaml"
    path.write_text("financial_year: 2009/10\nprovider:\n      code: RNF\n  name: x\n", encoding="utf-8")
    assert _yamllint(path).returncode != 0
