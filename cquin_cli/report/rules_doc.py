"""The rules' documentation as text: ``cquin rules`` and ``cquin explain`` (and ``docs/rules.md``).

Rule docstrings are written with reStructuredText literals (````key````) for the people
who read the code; a user reads them through :func:`plain` (a terminal, SARIF's text)
or :func:`markdown_text` (docs/rules.md, SARIF's markdown), never with the markup.
"""

from __future__ import annotations

import re
import textwrap

from cquin_cli.check.examples import DESCRIBED_ONLY, KIND_WORDS, example_kind
from cquin_cli.check.registry import Rule, all_rules, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cquin_cli.rulebook import Year

WORKED_EXAMPLE_NOTE = (
    "The examples change the worked example, sample_schemes/worked-example/northfield-acute-2009-10.yaml:\n"
    "each key is a path into it (goals[0] is goal 1), a mapping changes only the keys it names, ~ removes;\n"
    "docs/rules.md explains the format. The tests run every example through the rule."
)

# docs/rules.md's introduction to the examples: the format of cquin_cli/check/examples.py.
EXAMPLES_INTRO = """\
## Reading the examples

Every rule has an example that passes and one that fails, and the tests run each of
them through the rule, so what is written here is what cquin does. An example is a
change to the worked example (`sample_schemes/worked-example/`, the scheme of docs/money.md
and its achievement data), written as YAML:

```yaml
rate: 1%                                   # a top-level key: set to 1%
goals[0].weighting: 30%                    # goal 1's weighting (positions count from 0)
goals[1].indicators[0]:                    # goal 2's first indicator (E1):
  direction: lower                         #   these keys changed, the others kept
  baseline: ~                              #   ~ removes a key
agreement.signatories:                     # a list is replaced whole
  - {name: Dr A. Moss, organisation: Northfield Hospitals NHS Trust, clinical_lead: true}
```

- Each top-level key is a path into the worked example: keys joined by dots, list items
  by their position counted from 0. A plain key (`rate`) is a key of the file itself.
- A mapping changes only the keys it names (recursively); any other value, a list
  included, replaces what was there. `~` removes a key or a list item; a position one past
  the end of a list adds an item. A value that is not a mapping (a list) replaces the file.
- A mapping with `copy_of: PATH` starts from a copy of what is at PATH, then changes the
  keys it names: `goals[0].indicators[1]: {copy_of: "goals[0].indicators[0]", number: S2}`
  adds an indicator S2 made from S1.
- A `# cquin:` comment is carried to the line it changes (to show suppressions); other
  comments are for you. A rule with options runs with their defaults.
- An example of several files (rules across schemes, E203, W413, W414) is several
  documents separated by `---`, each starting `# file: NAME`: a new name is a copy of the
  worked example with the change applied (`NAME.achievement.yaml`: of its achievement
  data). The worked example's own files are always there beside them. The achievement
  rules (E3xx) change the achievement data.

Rules about the file itself (E0xx, W001, I001) show a whole file, since no change to
the worked example can hold a tab or a duplicate key; the configuration rules (E50x)
show a whole `pyproject.toml` placed beside the worked example, and any file it names as a
further `# file: NAME` document. A few examples describe a situation instead, because no
file can produce it:
"""

_LITERAL = re.compile(r"``(.+?)``", re.S)
_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|ref):`~?([^`]+)`")
_STRONG = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*", re.S)


def plain(text: str) -> str:
    """Documentation text as a user reads it in a terminal: literals and roles without their markup."""
    return _STRONG.sub(r"\1", _LITERAL.sub(r"\1", _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)))


def markdown_text(text: str) -> str:
    """Documentation text as Markdown: a reStructuredText literal becomes a code span."""
    return _LITERAL.sub(r"`\1`", _ROLE.sub(lambda m: "`" + m.group(1).rsplit(".", 1)[-1] + "`", text))


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


def suppressible(code: str) -> bool:
    """Warnings and notes of the checks can be suppressed; errors and configuration findings cannot."""
    return code[0] != "E" and not code[1:].startswith("5")


def how_to_fix(r: Rule) -> str:
    if r.code.startswith("E0") or r.code.startswith("W0"):
        return "Correct the file at the line and column the finding names, then run the command again."
    if r.code.startswith(("E5", "W5")):
        return "Correct the configuration or the cquin comment the finding names (the passing fragment shows the form)."
    return "Change the file at the place the finding names so that it reads like the passing fragment above."


def how_to_suppress(r: Rule) -> str:
    if not suppressible(r.code):
        if r.code[0] == "E":
            return "It cannot be suppressed: an error is fixed, not hidden."
        return "It cannot be suppressed: findings about configuration and suppressions are never hidden."
    return (
        f"When the scheme is right as it is, say why beside the line the finding names:\n"
        f"    ...  # cquin: allow {r.code} -- the reason, e.g. agreed at the clinical quality review\n"
        f"A suppression without a reason after -- is not applied (E512); one that matches nothing is reported (W515)."
    )


def explain_rule(code: str) -> str | None:
    """``cquin explain CODE``: plain text, what the rule checks, why, a failing and a passing fragment, the fix."""
    r = rule(code.upper())
    if r is None:
        return None
    parts = [f"{r.code} ({r.severity.value}): {r.title}", "", "What it checks:", "", _indent(plain(r.doc.strip()))]
    parts += [f"Why: {r.source}", ""]
    if r.options:
        # Written as they are configured (docs/lint.md): money and ratios as quoted decimals.
        parts.append(
            f"Options (defaults; configure under [options.{r.code}] in .cquin.toml or [tool.cquin.options.{r.code}] in pyproject.toml):"
        )
        parts.extend(f"  {name} = {_toml(value)}" for name, value in r.options.items())
        parts.append("")
    passes, fails = _headings(r)
    parts += [passes, "", _indent(r.passing), fails, "", _indent(r.failing)]
    if example_kind(r) == "patch":
        parts += [WORKED_EXAMPLE_NOTE, ""]
    parts += ["How to fix:", "", _indent(how_to_fix(r)), "How to suppress:", "", _indent(how_to_suppress(r))]
    return "\n".join(parts)


def _headings(r: Rule) -> tuple[str, str]:
    """ "Passes (the worked example, changed as below):" and "Fails (...):" for a rule's examples."""
    words = KIND_WORDS[example_kind(r)]
    described = DESCRIBED_ONLY.get(r.code)
    return f"Passes ({words}):", f"Fails (described, not run: {described}):" if described else f"Fails ({words}):"


def rules_markdown() -> str:
    """docs/rules.md, generated from the registry."""
    from cquin_cli.check.schema_rules import CARRIED, WHOLE

    out = ["# cquin rules", "", "Generated from the code by `cquin rules` / `cquin explain`; do not edit by hand.", ""]
    out += [RULES_SCHEMA_NOTE, ""]
    out += ["| code | severity | title | source | rules schema |", "|---|---|---|---|---|"]
    out += [
        f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.title} | {r.source} | {_carried(r.code, CARRIED, WHOLE)} |"
        for r in all_rules().values()
    ]
    out += ["", EXAMPLES_INTRO.rstrip("\n"), ""]
    out += [f"- {code}: {why}." for code, why in DESCRIBED_ONLY.items()]
    for r in all_rules().values():
        out += ["", f"## {r.code}", "", rule_markdown(r)]
        if r.code in CARRIED:
            how, what = CARRIED[r.code]
            out += ["", f"In the rules schema ({'whole' if how == WHOLE else 'in part'}): {what}."]
    return "\n".join(out) + "\n"


# docs/rules.md: what the table's last column means (cquin_cli/check/schema_rules.py's CARRIED).
RULES_SCHEMA_NOTE = (
    "The last column marks the rules that `schemas/scheme-rules.schema.json` carries, for an editor or an "
    "independent validator such as check-jsonschema (docs/format.md, the rules schema): *yes*, it rejects exactly "
    "the schemes cquin flags with the rule; *in part*, only some of them, as the rule's section says. Both schemas "
    "hold the scheme format (E101-E110, with checks of money, percentages and dates no schema can make) and the "
    "four domains of 2009/10 (E201)."
)


def _carried(code: str, carried: dict[str, tuple[str, str]], whole: str) -> str:
    if code not in carried:
        return ""
    return "yes" if carried[code][0] == whole else "in part"


def rule_markdown(r: Rule) -> str:
    """One rule's documentation in Markdown: its section of docs/rules.md, and SARIF's ``help.markdown``."""
    out = [f"**{r.title}** ({r.severity.value}; {r.source})", "", markdown_text(r.doc.strip()), ""]
    passes, fails = _headings(r)
    fence = "```toml" if example_kind(r) == "config" else "```yaml"
    out += [passes, "", fence, r.passing.rstrip("\n"), "```", "", fails, "", fence, r.failing.rstrip("\n"), "```"]
    out += ["", f"How to fix: {how_to_fix(r)}", ""]
    if suppressible(r.code):
        out += [
            f"How to suppress: when the scheme is right as it is, write `# cquin: allow {r.code} -- reason` beside the line"
            " the finding names; a suppression without a reason is not applied (E512)."
        ]
    else:
        out += [f"How to suppress: {how_to_suppress(r)}"]
    return "\n".join(out)
