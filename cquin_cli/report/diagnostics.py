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

from cquin_cli import __version__
from cquin_cli.diagnostics import Diagnostic, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Iterable, Sequence

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


def _sarif_location(file: str, line: int, column: int) -> dict:
    # SARIF wants a URI reference: spaces, brackets and the like are percent-encoded, and
    # so is a colon, which would otherwise make "a:b.yaml" read as a URI of scheme "a".
    from urllib.parse import quote  # only for SARIF: it costs every other run 2 ms to import

    return {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(file.replace("\\", "/"), safe="/")},
            "region": {"startLine": line, "startColumn": column},
        }
    }


def to_sarif(diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    from cquin_cli.check.registry import all_rules

    rules = all_rules()
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    driver_rules = []
    for code in codes:
        rule = rules.get(code)
        title = rule.title if rule else code
        driver_rules.append(
            {
                "id": code,
                "name": "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title)),
                "shortDescription": {"text": title},
                "fullDescription": {"text": rule.doc if rule else title},
                "help": {"text": f"cquin explain {code}"},
                "defaultConfiguration": {"level": _SARIF_LEVEL[Severity.ERROR if code[0] == "E" else Severity.WARNING if code[0] == "W" else Severity.INFO]},
                "properties": {"source": rule.source if rule else ""},
            }
        )
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [_sarif_location(d.location.file, d.location.line, d.location.column)],
        }
        if d.related:
            result["relatedLocations"] = [
                dict(_sarif_location(r.file, r.line, r.column), id=i, message={"text": "the other scheme"}) for i, r in enumerate(d.related)
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
                        "rules": driver_rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


REPORTERS = {"text": to_text, "json": to_json, "github": to_github, "sarif": to_sarif}


def render(name: str, diagnostics: Sequence[Diagnostic], files: int, suppressed: int = 0) -> str:
    return REPORTERS[name](diagnostics, files, suppressed)
