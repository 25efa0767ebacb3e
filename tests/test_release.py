"""A release a repository of schemes can pin: one version, a changelog, a wheel that installs and runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest
from conftest import ROOT, WORKED_EXAMPLE

from cquin_cli import __version__

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]
# What a user copies: the README, the docs, the hook manifest and the example workflow.
USER_FILES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / ".pre-commit-hooks.yaml",
    *sorted((ROOT / "examples").glob("*.yml")),
    ROOT / "action.yml",
    ROOT / "cquin_cli" / "report" / "diagnostics.py",  # SARIF's informationUri
]
# Left out of the copy the release is built from: what git ignores, and git itself.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".venv-*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    "portfolio-*",
    "out",
)


def test_one_version_everywhere():
    assert __version__ == "0.2.0"
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cquin_cli.__version__"}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    # an "Unreleased" section may stand above the newest release (changes not yet released)
    headings = re.findall(r"^## (\S+)", changelog, re.M)
    released = [h for h in headings if h != "Unreleased"]
    assert headings[:1] in (["Unreleased"], [__version__]) and released[:1] == [__version__]


def test_docs_pin_a_real_release_at_the_repository_address():
    tag = f"v{__version__}"
    for path in USER_FILES:
        text = path.read_text(encoding="utf-8")
        assert "your-org" not in text, path
        for url in re.findall(r"https://github\.com/[\w.-]+/cquin\b", text):
            assert url == REPOSITORY, (path, url)
        # every pin names this release
        for pin in re.findall(r"(?:rev: |uses: \S+@|cquin@)(v\d+\.\d+\.\d+)", text):
            assert pin == tag, (path, pin)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use cquin in your own repository", 1)[1].split("\n## ", 1)[0]
    assert f'pip install "cquin @ git+{REPOSITORY}@{tag}"' in section
    assert f"rev: {tag}" in section
    assert f"uses: {REPOSITORY.removeprefix('https://github.com/')}@{tag}" in section


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build` (sdist, then the wheel from it) on a copy of the source."""
    for module in ("build", "twine", "setuptools"):
        pytest.importorskip(module, reason=f"{module} is in the test extra: pip install -e '.[test]'")
    source = tmp_path_factory.mktemp("source") / "cquin"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build uses this environment's setuptools (test extra), so it runs offline.
    built = _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source)
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def test_build_makes_an_sdist_and_a_wheel_that_twine_passes(dist):
    names = sorted(p.name for p in dist.iterdir())
    assert names == [f"cquin-{__version__}-py3-none-any.whl", f"cquin-{__version__}.tar.gz"]
    checked = _run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_built_wheel_installs_into_a_fresh_environment_and_runs(dist, tmp_path):
    """The wheel alone in a new virtual environment; its dependencies are this environment's.

    Offline and in CI alike: the new environment sees this one's site-packages through a
    ``.pth`` path line (which, unlike a site folder, runs none of its ``.pth`` hooks, so the
    editable install of the work tree stays out of sight), and ``pip install --no-index
    --no-deps`` puts the wheel itself in the new environment's own site-packages.
    """
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    new_site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (new_site / "dependencies-from-the-test-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    wheel = next(dist.glob("*.whl"))
    installed = _run(python, "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", wheel)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = _run(python, "-c", "import cquin_cli; print(cquin_cli.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(new_site), where.stdout + where.stderr

    cquin = bin_dir / "cquin"
    version = _run(cquin, "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"cquin {__version__}\n"), version.stderr
    sample = tmp_path / "schemes" / WORKED_EXAMPLE.name
    sample.parent.mkdir()
    shutil.copy(WORKED_EXAMPLE, sample)
    clean = _run(cquin, "validate", "schemes", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # the installed schemas and rulebook are there: a broken scheme is found, with its place
    sample.write_text(sample.read_text(encoding="utf-8").replace("2009/10", "2009/1x", 1), encoding="utf-8")
    broken = _run(cquin, "validate", "--format", "text", "schemes", cwd=tmp_path)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert re.search(rf"schemes/{re.escape(sample.name)}:5:1: error E104 ", broken.stdout), broken.stdout
