"""The rules' documentation as text: ``cquin rules`` and ``cquin explain`` (and ``docs/rules.md``)."""

from __future__ import annotations

import textwrap

from cquin_cli.check.registry import Rule, all_rules, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cquin_cli.rulebook import Year


def rules_table() -> str:
    rows = [("CODE", "SEVERITY", "TITLE", "SOURCE")]
    for r in all_rules().values():
        rows.append((r.code, r.severity.value, r.title, r.source))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() + "\n" for a, b, c, d in rows)


def year_facts_text(year: Year, local_file: str | None = None) -> str:
    """``cquin rules --year``: the year's facts, each with its value and its source."""
    from cquin_cli.money import format_percent
    from cquin_cli.rulebook import FACTS, SHIPPED, STATUSES, version, words

    status = STATUSES.get(year.status, "not confirmed by any source cquin ships")
    out = [f"CQUIN {year.year}: {status}", ""]
    out.append(
        f"Facts of cquin's rulebook (version {version()})"
        + (f" and of the local rulebook {local_file}" if local_file else "")
        + ", each with its source:"
    )
    names = [n for n in FACTS if n in year.facts] + sorted(n for n in year.facts if n not in FACTS)
    for name in names:
        fact = year.facts[name]
        label = FACTS[name].label if name in FACTS else name
        out += ["", f"{label}: {words(name, fact.value)}"]
        out.append(f"  source: {fact.source}" if fact.origin == SHIPPED else f"  source ({fact.origin}): {fact.source}")
    from cquin_cli.load.scheme import SECTOR_WORDS
    from cquin_cli.rulebook.national import of_year

    entries = of_year(year.year)
    if entries:
        out += ["", f"National indicators of {year.year} (name one in an indicator's `national_indicator`):"]
        for entry in entries:
            facts = entry.years[year.year]
            notes = []
            if facts.required_for:
                notes.append("required of " + ", ".join(SECTOR_WORDS.get(s, s) for s in facts.required_for) + " schemes")
            if facts.minimum_value is not None:
                notes.append(f"at least {format_percent(facts.minimum_value)} of the base")
            out.append(f"  {entry.id}: {entry.name}" + (f" ({'; '.join(notes)})" if notes else ""))
            out.append(f"    source: {facts.source}")
    out += [
        "",
        "A fact not listed is not confirmed by any source cquin ships, and cquin does not guess it: a scheme",
        "records it with its own source (`rate` with `rate_source`), or a local rulebook adds it with its",
        'source (`rulebook = "path"` under [tool.cquin] in pyproject.toml, or in .cquin.toml).',
    ]
    return "\n".join(out) + "\n"


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
