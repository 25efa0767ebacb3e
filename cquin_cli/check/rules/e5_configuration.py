"""Codes for ``cquin lint`` configuration and in-file suppressions (docs/lint.md).

Configuration problems (``E501``-``E505``) are located in the configuration file; the
lint still runs with the rest of the configuration, but the command exits 2, because
it could not do exactly what it was configured to do. Suppression problems (``E511``-
``E514``, ``W515``, ``I516``) are located at the ``# cquin:`` comment in the scheme file; they
are findings like any other (a broken suppression never hides anything).
"""

from cquin_cli.check.registry import CONFIG, Rule

_CONFIG_GOOD = '[tool.cquin]\ndisable = ["W403"]\n\n[tool.cquin.options.W404]\nminimum_value = "7500.00"\n'
# Suppressions are shown on the worked example: its indicator X1 (goal 3) is paid all or nothing.
_X1_RULE = "goals[2].indicators[0].partial_achievement.rule: all_or_nothing"
_SUPPRESS_GOOD = f"{_X1_RULE}  # cquin: allow W401 -- agreed at the 12 February clinical quality review\n"

RULES = [
    Rule(
        "E501",
        "Configuration file cannot be read",
        "docs/lint.md",
        CONFIG,
        "The configuration file (`.cquin.toml`, the `[tool.cquin]` table of `pyproject.toml`, or the file given to "
        "`--config`) does not exist, is not UTF-8, or is not valid TOML. The diagnostic points at the line TOML "
        "stopped at; the command exits 2.",
        _CONFIG_GOOD,
        '[tool.cquin]\ndisable = ["W403"\n',
    ),
    Rule(
        "E502",
        "Unknown configuration key",
        "docs/lint.md",
        CONFIG,
        "The configuration names a key cquin does not know: a misspelt table (`severities` for `severity`), or an "
        "option a rule does not have. It is named, with the keys that are allowed, so a typo never silently does "
        "nothing. The command exits 2.",
        _CONFIG_GOOD,
        '[tool.cquin]\ndisabel = ["W403"]\n',
    ),
    Rule(
        "E503",
        "Unknown rule code in configuration",
        "docs/lint.md",
        CONFIG,
        "The configuration names a rule code that does not exist (`cquin rules` lists them). The command exits 2.",
        _CONFIG_GOOD,
        '[tool.cquin]\ndisable = ["W499"]\n',
    ),
    Rule(
        "E504",
        "Bad configuration value",
        "docs/lint.md",
        CONFIG,
        "A configuration value has the wrong type or is out of range: a severity other than error, warning or info; "
        "a list where a table belongs; an option of the wrong type (money as a float, a count as text). Money "
        "options are written as whole numbers or quoted decimals. The command exits 2.",
        _CONFIG_GOOD,
        '[tool.cquin.severity]\nW401 = "fatal"\n',
    ),
    Rule(
        "E505",
        "Framework rule cannot be disabled or lowered",
        "docs/lint.md (configuration)",
        CONFIG,
        "A configuration tries to disable, or to lower the severity of, an error of the framework's own rules "
        "(E0xx-E3xx) or a configuration or suppression code. Those are what CI exists to stop: a scheme that breaks "
        "the framework cannot be merged. Warnings can be disabled and any rule can be raised to an error. The "
        "command exits 2.",
        '[tool.cquin.severity]\nW209 = "error"\n',
        '[tool.cquin]\ndisable = ["E202"]\n',
    ),
    Rule(
        "E511",
        "Suppression names an unknown code",
        "docs/lint.md (suppressions)",
        CONFIG,
        "A `# cquin: allow CODE -- reason` comment names a code that is not a rule (`cquin rules` lists them). "
        "Nothing is suppressed by that code.",
        _SUPPRESS_GOOD,
        f"{_X1_RULE}  # cquin: allow W499 -- typo for W401\n",
    ),
    Rule(
        "E512",
        "Suppression without a reason",
        "docs/lint.md (suppressions)",
        CONFIG,
        "A suppression must say why, after ` -- `: in a negotiation record the reason is the point. A suppression "
        "without one is not applied, so the finding it meant to hide is still reported.",
        _SUPPRESS_GOOD,
        f"{_X1_RULE}  # cquin: allow W401\n",
    ),
    Rule(
        "E513",
        "Code cannot be suppressed",
        "docs/lint.md (configuration)",
        CONFIG,
        "A suppression names an error of the framework's rules (E0xx-E3xx) or a configuration or suppression code. "
        "Framework errors are fixed, not suppressed; the finding is still reported.",
        _SUPPRESS_GOOD,
        "goals[0].weighting: 35%   # cquin: allow E202 -- we know\n",
    ),
    Rule(
        "E514",
        "Malformed cquin comment",
        "docs/lint.md (suppressions)",
        CONFIG,
        "A comment starting `# cquin:` is not `allow CODE[, CODE...] -- reason`: an unknown word instead of "
        "`allow`, or no code at all.",
        _SUPPRESS_GOOD,
        f"{_X1_RULE}  # cquin: ignore W401 -- agreed\n",
    ),
    Rule(
        "W515",
        "Suppression matches no finding",
        "docs/lint.md (suppressions)",
        CONFIG,
        "A suppression names a code that is not reported on the line it annotates (or on a node below it). The "
        "finding has been fixed or moved: remove the comment, or move it beside the node the finding is at.",
        _SUPPRESS_GOOD,
        "goals[2].weighting: 20%   # cquin: allow W401 -- W401 is reported at partial_achievement.rule, not here\n",
    ),
    Rule(
        "I516",
        "Design checks skipped, suppressions not checked",
        "docs/lint.md",
        CONFIG,
        "The file could not be parsed, or does not match the format, so the design-quality checks never ran on it "
        "and its suppressions could not be matched against their findings. Rather than call each suppression "
        "unused (W515), `cquin lint` says once, at the first suppression, that the checks were skipped and why "
        "(the first error's code and line). Fix the errors and lint again.",
        _SUPPRESS_GOOD,
        "rate: 0.005   # not a percentage (E106): the W401 suppression of X1 cannot be checked\n",
    ),
]
