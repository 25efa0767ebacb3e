"""``cquin diff`` reporters: text for a terminal, Markdown for a pull request, JSON for tools.

Pure functions of a :class:`~cquin_cli.compare.run.DiffRun`. Money is shown with
thousands separators and changes with their sign (``+£100,000.00``, ``-£70,000.00``);
JSON carries money as exact strings (``"-70000.00"``). The Markdown is ready to paste
into a pull-request comment or to append to ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

import json

from cquin_cli.compare.run import DiffRun
from cquin_cli.compare.schemes import SchemeDiff, TermChange, Version
from cquin_cli.money import format_money, format_percent, money_text

FORMATS = ("text", "markdown", "json")


def _m(amount, version: Version | None = None) -> str:
    """An amount, or (None) why ``version`` has none: "not priced: it has errors (E202)"."""
    if amount is None:
        return (version.not_priced if version is not None else None) or "not priced"
    return format_money(amount)


def _signed(amount) -> str:
    if amount is None:
        return "—"  # a version is not priced: no change can be shown
    return format_money(amount, sign=True) if amount else "no change"


def _mt(amount) -> str | None:
    return None if amount is None else money_text(amount)


def _was_now(d: SchemeDiff, old, new) -> str:
    """``old -> new``, each an amount or why that version is not priced; the change after it, when both are priced."""
    text = f"{_m(old, d.old)} -> {_m(new, d.new)}"
    return text if old is None or new is None else f"{text} ({_signed(new - old)})"


def _arrow(term: TermChange) -> str:
    if term.old is None and term.new is None:
        return term.what + " changed"
    return f"{term.what}: {term.old if term.old is not None else '(none)'} -> {term.new if term.new is not None else '(none)'}"


def _where(d: SchemeDiff) -> str:
    if d.status == "renamed" and d.old.path != d.new.path:
        return f"{d.old.path} -> {d.new.path}"
    return d.new.path or d.old.path or ""


def _heading(d: SchemeDiff) -> str:
    return {"added": "new scheme", "deleted": "scheme removed", "renamed": "moved", "modified": "changed"}.get(d.status, d.status)


# ---------------------------------------------------------------------------


def _section(title: str, entries) -> list[str]:
    """A titled list in the text report, or nothing when the list is empty."""
    return [f"  {title}:", *(f"    {entry}" for entry in entries)] if entries else []


def to_text(run: DiffRun) -> str:
    lines = [f"cquin diff: {run.base} -> {run.head}"]
    shown = [d for d in run.schemes if d.has_changes]
    if not shown:
        lines.append("no scheme changed")
    for d in shown:
        lines.append("")
        lines.append(f"{_where(d)} ({_heading(d)}): {d.title}")
        for note in d.notes:
            lines.append(f"  note: {note}")
        lines.append(f"  expected value: {_was_now(d, d.old_expected, d.new_expected)}")
        lines += _section("terms", [_arrow(t) for t in d.terms])
        lines += _section("goals", [_arrow(t) for t in d.goals])
        if d.changed_indicators:
            lines.append("  indicators:")
            for i in d.changed_indicators:
                lines.append(f"    {i.number} {i.name} (goal {i.goal}): {i.status}")
                lines += [f"      {_arrow(t)}" for t in i.terms]
                if i.change or i.change is None:
                    who = ", ".join(f"{c.code} {_signed(c.change)}" for c in i.commissioners)
                    lines.append(f"      money: {_was_now(d, i.old_value, i.new_value)}" + (f"; {who}" if who else ""))
        moved = [c for c in d.commissioners if c.change or c.on_account_change or c.old_share != c.new_share]
        if moved:
            lines.append("  commissioners:")
            for c in moved:
                share = format_percent(c.new_share) if c.new_share is not None else "no longer a party"
                lines.append(
                    f"    {c.code} {c.name} ({share}): expected {_was_now(d, c.old_value, c.new_value)}; "
                    f"on account {_was_now(d, c.old_on_account, c.new_on_account)}"
                )
        lines += _section("findings introduced", d.introduced)
        lines += _section("findings resolved", d.resolved)
    lines.append("")
    lines.append(_summary(run))
    return "\n".join(lines) + "\n"


def _summary(run: DiffRun) -> str:
    shown = [d for d in run.schemes if d.has_changes]
    introduced = sum(len(d.introduced) for d in shown)
    resolved = sum(len(d.resolved) for d in shown)
    return f"{len(shown)} scheme{'s' if len(shown) != 1 else ''} changed; {introduced} finding{'s' if introduced != 1 else ''} introduced, {resolved} resolved"


# ---------------------------------------------------------------------------


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def to_markdown(run: DiffRun) -> str:
    lines = [f"## cquin diff: {run.base} → {run.head}", ""]
    shown = [d for d in run.schemes if d.has_changes]
    if not shown:
        lines += ["No scheme changed.", ""]
    for d in shown:
        lines += [f"### {_cell(d.title)} — `{_where(d)}` ({_heading(d)})", ""]
        for note in d.notes:
            lines += [f"> {note}", ""]
        change = f" (**{_signed(d.expected_change)}**)" if d.expected_change is not None else ""
        lines += [f"**Expected value:** {_m(d.old_expected, d.old)} → {_m(d.new_expected, d.new)}{change}", ""]
        terms = list(d.terms) + list(d.goals)
        if terms:
            lines += ["**Terms changed**", ""]
            lines += _table(["term", "was", "now"], [[t.what, t.old or "—", t.new or "—"] for t in terms])
            lines.append("")
        if d.changed_indicators:
            lines += ["**Indicators**", ""]
            rows = []
            for i in d.changed_indicators:
                what = "; ".join(_arrow(t) for t in i.terms) or "value only (its goal or the pot changed)"
                if i.status in ("added", "removed"):
                    what = i.status
                rows.append([f"{i.number} {i.name}", str(i.goal), what, _m(i.old_value), _m(i.new_value), _signed(i.change)])
            lines += _table(
                ["indicator", "goal", "what changed", "was", "now", "change"], rows, ["---", "---", "---", "---:", "---:", "---:"]
            )
            lines.append("")
            paid = [i for i in d.changed_indicators if i.change and i.commissioners]
            if paid:
                codes = [c.code for c in paid[0].commissioners]
                lines += ["**Each commissioner's share of each change**", ""]
                rows = [[f"{i.number} {i.name}", *(_signed(c.change) for c in i.commissioners), _signed(i.change)] for i in paid]
                lines += _table(["indicator", *codes, "total"], rows, ["---", *(["---:"] * (len(codes) + 1))])
                lines.append("")
        if d.commissioners and (
            d.expected_change or any(c.change or c.on_account_change or c.old_share != c.new_share for c in d.commissioners)
        ):
            lines += ["**Commissioners**", ""]
            rows = [
                [
                    f"{c.code} {c.name}",
                    format_percent(c.new_share) if c.new_share is not None else "—",
                    _m(c.old_value),
                    _m(c.new_value),
                    _signed(c.change),
                    _signed(c.on_account_change),
                ]
                for c in d.commissioners
            ]
            lines += _table(
                ["commissioner", "share", "expected was", "expected now", "change", "on account change"],
                rows,
                ["---", "---:", "---:", "---:", "---:", "---:"],
            )
            lines.append("")
        for label, found in (("Findings introduced", d.introduced), ("Findings resolved", d.resolved)):
            if found:
                lines += [f"**{label}**", ""]
                lines += _table(
                    ["where", "code", "finding"], [[f"{x.location}", f"{x.severity.value} {x.code}", x.message] for x in found]
                )
                lines.append("")
    lines += [f"_{_summary(run)}. Figures are cquin's pricing of each version at its planned contract value._", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------


def _term_json(t: TermChange) -> dict:
    return {"what": t.what, "old": t.old, "new": t.new}


def to_json(run: DiffRun) -> str:
    from cquin_cli import __version__

    schemes = []
    for d in run.schemes:
        if not d.has_changes:
            continue
        schemes.append(
            {
                "title": d.title,
                "status": d.status,
                "old_path": d.old.path,
                "new_path": d.new.path,
                "notes": list(d.notes),
                "priced": {
                    "old": d.old.not_priced is None,
                    "new": d.new.not_priced is None,
                    "old_errors": list(d.old.errors),
                    "new_errors": list(d.new.errors),
                },
                "expected_value": {"old": _mt(d.old_expected), "new": _mt(d.new_expected), "change": _mt(d.expected_change)},
                "terms": [_term_json(t) for t in d.terms],
                "goals": [_term_json(t) for t in d.goals],
                "indicators": [
                    {
                        "number": i.number,
                        "name": i.name,
                        "goal": i.goal,
                        "status": i.status,
                        "old_value": _mt(i.old_value),
                        "new_value": _mt(i.new_value),
                        "change": _mt(i.change),
                        "terms": [_term_json(t) for t in i.terms],
                        "by_commissioner": [
                            {"code": c.code, "old": money_text(c.old), "new": money_text(c.new), "change": money_text(c.change)}
                            for c in i.commissioners
                        ],
                    }
                    for i in d.changed_indicators
                ],
                "commissioners": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "old_share": None if c.old_share is None else format_percent(c.old_share),
                        "new_share": None if c.new_share is None else format_percent(c.new_share),
                        "old_value": _mt(c.old_value),
                        "new_value": _mt(c.new_value),
                        "change": _mt(c.change),
                        "old_on_account": _mt(c.old_on_account),
                        "new_on_account": _mt(c.new_on_account),
                        "on_account_change": _mt(c.on_account_change),
                    }
                    for c in d.commissioners
                ],
                "findings_introduced": [x.as_dict() for x in d.introduced],
                "findings_resolved": [x.as_dict() for x in d.resolved],
            }
        )
    document = {"tool": "cquin", "version": __version__, "base": run.base, "head": run.head, "schemes": schemes}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(name: str, run: DiffRun) -> str:
    return {"text": to_text, "markdown": to_markdown, "json": to_json}[name](run)
