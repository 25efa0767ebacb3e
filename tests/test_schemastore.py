"""The scheme and achievement schemas as editors and SchemaStore take them: ajv in strict mode, $id at the release's URL."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from decimal import Decimal

import pytest
from conftest import ROOT, SAMPLES

from cquin_cli import __version__
from cquin_cli.load.discovery import is_achievement_file
from cquin_cli.load.yaml_reader import read_yaml

AJV = ROOT / "build" / "npm" / "node_modules" / ".bin" / "ajv"
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
NAMES = ("scheme", "achievement")
# The rules schema (generated: cquin_cli/check/schema_rules.py) is a scheme schema too.
SCHEMAS = {"scheme": "scheme", "achievement": "achievement", "scheme-rules": "scheme"}


@pytest.mark.parametrize("name", SCHEMAS)
def test_id_is_the_schemas_url_in_this_repository_at_the_release_tag(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    owner_repo = REPOSITORY.removeprefix("https://github.com/")
    assert schema["$id"] == f"https://raw.githubusercontent.com/{owner_repo}/v{__version__}/schemas/{name}.schema.json"


@pytest.mark.parametrize("name", SCHEMAS)
def test_only_standard_keywords(name):
    text = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert '"x-' not in text


def _as_json(value) -> str:
    """A sample's values as JSON, numbers written exactly as read (never through a float)."""

    def exact(obj):
        if isinstance(obj, Decimal):
            return f"@@{obj}@@"
        raise TypeError(type(obj))

    return json.dumps(value, default=exact, ensure_ascii=False).replace('"@@', "").replace('@@"', "")


def test_ajv_strict_compiles_the_schemas_and_accepts_every_sample(tmp_path):
    if shutil.which("node") is None or not AJV.exists():
        pytest.skip("ajv-cli is not installed: `make node-tools` (needs npm and the npm registry)")
    data: dict[str, list[str]] = {name: [] for name in NAMES}
    for path in sorted(SAMPLES.rglob("*.yaml")):
        loaded = read_yaml(path)
        assert loaded.error is None, path
        target = tmp_path / (path.stem + ".json")
        target.write_text(_as_json(loaded.value), encoding="utf-8")
        data["achievement" if is_achievement_file(str(path)) else "scheme"].append(str(target))
    assert len(data["scheme"]) >= 10 and len(data["achievement"]) >= 3
    for name, kind in SCHEMAS.items():
        args = [
            str(AJV),
            "validate",
            "--spec=draft2020",
            "--strict=true",
            "--allow-union-types",
            "-s",
            str(ROOT / "schemas" / f"{name}.schema.json"),
        ]
        for d in data[kind]:
            args += ["-d", d]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.count(" valid") + done.stderr.count(" valid") == len(data[kind])
    # and it refuses a broken sample
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"financial_year": "2009/1x"}), encoding="utf-8")
    args = [
        str(AJV),
        "validate",
        "--spec=draft2020",
        "--strict=true",
        "--allow-union-types",
        "-s",
        str(ROOT / "schemas" / "scheme.schema.json"),
        "-d",
        str(broken),
    ]
    assert subprocess.run(args, capture_output=True, text=True, timeout=60).returncode != 0
