"""Reporters for diagnostics, chosen by name (check-jsonschema ``reporter.py``).

Each reporter is a pure function from diagnostics to text; the CLI prints it.

* ``text``   - ``file:line:col: severity CODE message`` lines and a summary;
* ``json``   - one object with the diagnostics and counts;
* ``github`` - workflow commands (``::error file=...,line=...,col=...::``);
* ``sarif``  - SARIF 2.1.0 for code-scanning tools.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cquin_cli import __version__
from cquin_cli.diagnostics import Diagnostic, Severity, json_pointer

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Iterable, Sequence

    from cquin_cli.check.registry import Rule

FORMATS = ("text", "json", "github", "sarif")


def summary(diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    with_findings = len({d.location.file for d in diagnostics if d.severity is not Severity.INFO})

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if suppressed:
        text += f", {suppressed} suppressed"
    if not files:
        return f"{text}; no file could be checked"
    if not errors and not warnings:  # notes (I001, a file skipped) are not problems
        return f"{plural(files, 'file')} checked: no problems ({text})"
    # A path that does not exist is not among the files checked: count only those.
    return f"{text} in {min(with_findings, files)} of {plural(files, 'file')}"


def text_lines(diagnostics: Iterable[Diagnostic]) -> list[str]:
    lines = []
    for d in diagnostics:
        lines.append(str(d))
        for r in d.related:
            lines.append(f"    see also {r}")
    return lines


def to_text(diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    return "\n".join([*text_lines(diagnostics), summary(diagnostics, files, suppressed)]) + "\n"


def to_json(diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    document = {
        "tool": "cquin",
        "version": __version__,
        "files": files,
        "errors": sum(1 for d in diagnostics if d.severity is Severity.ERROR),
        "warnings": sum(1 for d in diagnostics if d.severity is Severity.WARNING),
        "suppressed": suppressed,
        "diagnostics": [d.as_dict() for d in diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def to_github(diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    lines = []
    for d in diagnostics:
        loc = d.location
        props = f"file={_escape_property(loc.file)},line={loc.line},col={loc.column},title={_escape_property(d.code)}"
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_escape_data(d.code + ' ' + d.message)}")
    lines.append(summary(diagnostics, files, suppressed))
    return "\n".join(lines) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub code scanning keeps at most this many characters of a rule's description.
SARIF_DESCRIPTION_LIMIT = 1024
# The base every relative artifact URI is resolved against: the repository's root.
SARIF_ROOT = "SRCROOT"


def _sarif_text(text: str, limit: int = SARIF_DESCRIPTION_LIMIT) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters (with an ellipsis)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _repository_root() -> Path:
    """The root of the git work tree around the working directory, else the working directory."""
    import subprocess

    cwd = Path.cwd()
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return cwd
    top = done.stdout.strip()
    return Path(top) if done.returncode == 0 and top else cwd


class _SarifPlaces:
    """Artifact locations relative to the repository root, and each line's extent."""

    def __init__(self) -> None:
        self.root = _repository_root().resolve()
        self._lines: dict[str, list[str]] = {}

    def artifact(self, file: str) -> dict:
        # SARIF wants a URI reference: spaces, brackets and the like are percent-encoded, and
        # so is a colon, which would otherwise make "a:b.yaml" read as a URI of scheme "a".
        from urllib.parse import quote  # only for SARIF: it costs every other run 2 ms to import

        path = Path(file)
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if absolute.is_relative_to(self.root):
            return {"uri": quote(absolute.relative_to(self.root).as_posix(), safe="/"), "uriBaseId": SARIF_ROOT}
        return {"uri": absolute.as_uri()}

    def root_uri(self) -> str:
        return self.root.as_uri().rstrip("/") + "/"

    def end_column(self, file: str, line: int, column: int) -> int:
        """One past the last character written on ``line`` (the region runs to it), at least ``column``."""
        if file not in self._lines:
            try:
                with open(file, "rb") as handle:
                    self._lines[file] = handle.read().decode("utf-8", "replace").splitlines()
            except OSError:  # a folder, a missing path: the region is the point itself
                self._lines[file] = []
        lines = self._lines[file]
        text = lines[line - 1].rstrip() if 0 < line <= len(lines) else ""
        return max(column, len(text) + 1)

    def location(self, file: str, line: int, column: int) -> dict:
        region = {"startLine": line, "startColumn": column, "endLine": line, "endColumn": self.end_column(file, line, column)}
        return {"physicalLocation": {"artifactLocation": self.artifact(file), "region": region}}


def _fingerprint(d: Diagnostic, artifact: dict) -> str:
    """Stable while lines move: the rule, the file, the place in the document and the message."""
    import hashlib

    parts = (d.code, artifact["uri"], json_pointer(d.location.path), d.message)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _sarif_rule(rule: Rule) -> dict:
    from cquin_cli.report.rules_doc import explain_rule, plain, rule_markdown

    return {
        "id": rule.code,
        "name": "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", rule.title)),
        "shortDescription": {"text": _sarif_text(rule.title)},
        "fullDescription": {"text": _sarif_text(plain(rule.doc))},
        "help": {"text": explain_rule(rule.code) or rule.title, "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"source": rule.source},
    }


def to_sarif(diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    """SARIF 2.1.0 as GitHub code scanning reads it: every rule with its documentation,
    regions with their ends, URIs relative to the repository root (``SRCROOT``), and a
    fingerprint per result that survives lines moving."""
    from cquin_cli.check.registry import all_rules

    rules = all_rules()
    index = {code: i for i, code in enumerate(rules)}
    driver_rules = [_sarif_rule(rule) for rule in rules.values()]
    places = _SarifPlaces()
    results = []
    for d in diagnostics:
        if d.code not in index:  # never expected: every code is registered
            index[d.code] = len(driver_rules)
            driver_rules.append({"id": d.code, "shortDescription": {"text": d.code}})
        location = places.location(d.location.file, d.location.line, d.location.column)
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [location],
            "partialFingerprints": {"cquinFinding/v1": _fingerprint(d, location["physicalLocation"]["artifactLocation"])},
        }
        if d.related:
            result["relatedLocations"] = [
                dict(places.location(r.file, r.line, r.column), id=i, message={"text": "the other scheme"})
                for i, r in enumerate(d.related)
            ]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cquin",
                        "version": __version__,
                        "informationUri": "https://github.com/OWNER/cquin",
                        "rules": driver_rules,
                    }
                },
                "originalUriBaseIds": {SARIF_ROOT: {"uri": places.root_uri(), "description": {"text": "The repository's root"}}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


REPORTERS = {"text": to_text, "json": to_json, "github": to_github, "sarif": to_sarif}


def render(name: str, diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    return REPORTERS[name](diagnostics, files, suppressed)
