"""A Markdown table of every finding for ``$GITHUB_STEP_SUMMARY``.

GitHub shows at most 10 annotations of each level per step (and 50 per job), so a
scheme with many findings loses most of them from the pull request view. When
``GITHUB_STEP_SUMMARY`` is set, ``cquin validate`` and ``cquin lint`` append this
table - every finding, and every suppressed one with its reason - to the job summary.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from cquin_cli.diagnostics import Diagnostic


def _cell(text: str) -> str:
    """Table-cell text: pipes escaped, lines joined, Markdown characters that would mislead escaped."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def step_summary(command: str, diagnostics: Sequence[Diagnostic], files: int, suppressed: Sequence = ()) -> str:
    """The Markdown: a heading with the counts, then one row per finding (and per suppressed finding)."""
    from cquin_cli.report.diagnostics import summary

    out = [f"### cquin {command}", "", summary(diagnostics, files, len(suppressed)), ""]
    if diagnostics:
        out += ["| severity | code | location | message |", "|---|---|---|---|"]
        for d in diagnostics:
            out.append(f"| {d.severity.value} | {d.code} | `{_cell(str(d.location))}` | {_cell(d.message)} |")
        out.append("")
    if suppressed:
        out += [
            "<details><summary>Suppressed findings</summary>",
            "",
            "| code | location | message | reason |",
            "|---|---|---|---|",
        ]
        for s in suppressed:
            d = s.diagnostic
            out.append(f"| {d.code} | `{_cell(str(d.location))}` | {_cell(d.message)} | {_cell(s.reason)} |")
        out += ["", "</details>", ""]
    return "\n".join(out) + "\n"


def write_step_summary(command: str, diagnostics: Sequence[Diagnostic], files: int, suppressed: Sequence = ()) -> None:
    """Append the table to the file GitHub names in ``GITHUB_STEP_SUMMARY`` (nothing when it is unset)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(step_summary(command, diagnostics, files, suppressed))
    except OSError as exc:  # the findings were printed; a summary that cannot be written is only a warning
        sys.stderr.write(f"cquin: cannot write the step summary to {target}: {exc.strerror or exc}\n")
