"""Suppressions written beside the node they concern (STYLE.md §8; yamllint, cfn-lint).

    rule: all_or_nothing  # cquin: allow W401 -- agreed at the 12 February clinical quality review

A ``# cquin: allow CODE[, CODE...] -- reason`` comment at the end of a line concerns
the node on that line; a comment alone on its line concerns the next line that holds
YAML (so several can be stacked above a node). It suppresses a finding of a named code
located on that line, or located anywhere below a node that starts on that line (a
comment beside ``- number: X1`` covers the whole indicator).

The YAML reader drops comments, so ``cquin lint`` scans the file's text for ``# cquin:``
(only when linting; cheap). A suppression must carry a reason after ``--``; without one
it is not applied (E512). Unknown codes (E511), codes that cannot be suppressed - errors
and configuration or suppression codes (E513) - and malformed comments (E514) are
reported; a valid suppression that matches nothing is reported too (W515), so stale
suppressions do not pile up. A ``# cquin:`` inside a block scalar (``>-``, ``|``) looks
the same to this scan and is read as a suppression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cquin_cli.diagnostics import Diagnostic, Location, make

COMMENT = re.compile(r"(?:^|\s)#\s*cquin\s*:(?P<body>.*)$")
REASON_MARK = re.compile(r"(?:^|\s)--(?=\s|$)")
CODE_TOKEN = re.compile(r"^[EWI]\d{3}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Suppression:
    file: str
    line: int  # the comment's line
    column: int  # where `#` is
    target: int | None  # the line of the node it concerns (None: no YAML follows)
    codes: tuple[str, ...]  # the codes it applies (valid, suppressible)
    reason: str

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column)


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding that was suppressed, with the suppression's reason."""

    diagnostic: Diagnostic
    reason: str
    comment: Location


def _split_reason(body: str) -> tuple[str, str, str]:
    """``allow W401 -- why`` -> (``allow W401``, ``--``, ``why``)."""
    mark = REASON_MARK.search(body)
    if mark is None:
        return body.strip(), "", ""
    return body[: mark.start()].strip(), "--", body[mark.end() :].strip()


def _inside_quotes(before: str) -> bool:
    """Whether the `#` is inside a quoted scalar opened earlier on the line.

    A quote opens a scalar only where a scalar can start (after a space, ``:``, ``,``,
    ``[`` or ``{``), so the apostrophe of ``provider's`` is not one.
    """
    quote = None
    previous = " "
    i = 0
    while i < len(before):
        ch = before[i]
        if quote is None:
            if ch in "\"'" and previous in " \t[{,:":
                quote = ch
        elif quote == '"':
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = None
        elif ch == "'":
            if before[i + 1 : i + 2] == "'":
                i += 1  # '' is an escaped quote
            else:
                quote = None
        previous = ch
        i += 1
    return quote is not None


def _target(lines: list[str], index: int, before: str) -> int | None:
    if before.strip():
        return index + 1
    for n in range(index + 1, len(lines)):
        stripped = lines[n].strip()
        if stripped and not stripped.startswith("#"):
            return n + 1
    return None


def scan(file: str, text: str) -> tuple[list[Suppression], list[Diagnostic]]:
    """The suppressions written in one file, and the problems with them."""
    from cquin_cli.check.registry import all_rules

    rules = all_rules()
    suppressions: list[Suppression] = []
    problems: list[Diagnostic] = []
    if "cquin" not in text:
        return suppressions, problems
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = COMMENT.search(line)
        if match is None:
            continue
        hash_at = line.index("#", match.start())
        if _inside_quotes(line[:hash_at]):
            continue  # `#` inside a quoted scalar is text, not a comment
        here = Location(file, index + 1, hash_at + 1)
        head, _, reason = _split_reason(match.group("body"))
        words = head.split(None, 1)
        word = words[0].lower() if words else ""
        tokens = [t for t in re.split(r"[\s,]+", words[1] if len(words) > 1 else "") if t]
        if word != "allow":
            problems.append(
                make(
                    "E514",
                    f"unknown cquin comment {('`' + word + '`') if word else ''}: write `# cquin: allow CODE -- reason`".replace(
                        "comment :", "comment:"
                    ),
                    here,
                )
            )
            continue
        not_codes = [t for t in tokens if not CODE_TOKEN.match(t)]
        if not tokens or not_codes:
            what = f"{not_codes[0]!r} is not a rule code" if not_codes else "it names no rule code"
            problems.append(
                make("E514", f"malformed suppression: {what}; write `# cquin: allow CODE[, CODE...] -- reason`", here)
            )
            continue
        if not reason:
            problems.append(
                make(
                    "E512",
                    f"the suppression of {', '.join(t.upper() for t in tokens)} gives no reason, so it is not applied; add ` -- why it was agreed`",
                    here,
                )
            )
            continue
        codes = []
        for token in tokens:
            code = token.upper()
            if code not in rules:
                problems.append(
                    make("E511", f"the suppression names {code}, which is not a rule code; `cquin rules` lists them", here)
                )
            elif code[0] == "E" or code[1:].startswith("5"):
                problems.append(
                    make(
                        "E513",
                        f"{code} cannot be suppressed: errors are fixed, not suppressed, and configuration and suppression findings cannot be hidden",
                        here,
                    )
                )
            else:
                codes.append(code)
        if codes:
            suppressions.append(
                Suppression(file, index + 1, hash_at + 1, _target(lines, index, line[:hash_at]), tuple(codes), reason)
            )
    return suppressions, problems


def _node_lines(diagnostic: Diagnostic, values: Any) -> set[int]:
    """The line of the finding and of every node above it (but not the document itself)."""
    from cquin_cli.load.locator import locate

    lines = {diagnostic.location.line}
    path = diagnostic.location.path
    if values is not None:
        for k in range(1, len(path)):
            lines.add(locate(values, path[:k])[0])
    return lines


def apply(
    diagnostics: Iterable[Diagnostic], suppressions: list[Suppression], values_by_file: dict[str, Any]
) -> tuple[list[Diagnostic], list[Suppressed], list[Diagnostic]]:
    """Split diagnostics into those reported and those suppressed; report unused suppressions (W515)."""
    by_file: dict[str, list[Suppression]] = {}
    for s in suppressions:
        by_file.setdefault(s.file, []).append(s)
    used: set[tuple[int, str, str]] = set()
    kept: list[Diagnostic] = []
    suppressed: list[Suppressed] = []
    for d in diagnostics:
        candidates = [s for s in by_file.get(d.location.file, ()) if d.code in s.codes and s.target is not None]
        match = None
        if candidates:
            lines = _node_lines(d, values_by_file.get(d.location.file))
            match = next((s for s in candidates if s.target in lines), None)
        if match is None:
            kept.append(d)
        else:
            used.add((match.line, match.file, d.code))
            suppressed.append(Suppressed(d, match.reason, match.location))
    unused = []
    for s in suppressions:
        for code in s.codes:
            if (s.line, s.file, code) not in used:
                where = f"line {s.target}" if s.target is not None else "any line (no YAML follows the comment)"
                unused.append(
                    make(
                        "W515",
                        f"the suppression of {code} matches no finding at {where}; remove it, or move it beside the node the finding is at",
                        s.location,
                    )
                )
    return kept, suppressed, unused
