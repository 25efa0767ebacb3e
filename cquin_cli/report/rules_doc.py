"""The rules' documentation as text: ``cquin rules`` and ``cquin explain`` (and ``docs/rules.md``)."""

from __future__ import annotations

import textwrap

from cquin_cli.check.registry import Rule, all_rules, rule


def rules_table() -> str:
    rows = [("CODE", "SEVERITY", "TITLE", "SOURCE")]
    for r in all_rules().values():
        rows.append((r.code, r.severity.value, r.title, r.source))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() + "\n" for a, b, c, d in rows)


def _indent(text: str) -> str:
    return textwrap.indent(text.rstrip("\n"), "    ") + "\n"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'


def explain_rule(code: str) -> str | None:
    r = rule(code)
    if r is None:
        return None
    parts = [f"{r.code} ({r.severity.value}): {r.title}", f"Source: {r.source}", "", r.doc.strip(), ""]
    if r.options:
        # Written as they are configured (docs/lint.md): money and ratios as quoted decimals.
        parts.append(
            f"Options (defaults; configure under [options.{r.code}] in .cquin.toml or [tool.cquin.options.{r.code}] in pyproject.toml):"
        )
        parts.extend(f"  {name} = {_toml(value)}" for name, value in r.options.items())
        parts.append("")
    parts += ["Passes:", "", _indent(r.passing), "Fails:", "", _indent(r.failing)]
    return "\n".join(parts)


def rules_markdown() -> str:
    """docs/rules.md, generated from the registry."""
    out = ["# cquin rules", "", "Generated from the code by `cquin rules` / `cquin explain`; do not edit by hand.", ""]
    out += ["| code | severity | title | source |", "|---|---|---|---|"]
    out += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.title} | {r.source} |" for r in all_rules().values()]
    for r in all_rules().values():
        out += ["", f"## {r.code}", "", rule_markdown(r)]
    return "\n".join(out) + "\n"


def rule_markdown(r: Rule) -> str:
    """One rule's documentation in Markdown: its section of docs/rules.md, and SARIF's ``help.markdown``."""
    out = [f"**{r.title}** ({r.severity.value}; {r.source})", "", r.doc.strip(), ""]
    out += ["Passes:", "", "```yaml", r.passing.rstrip("\n"), "```", "", "Fails:", "", "```yaml", r.failing.rstrip("\n"), "```"]
    return "\n".join(out)
