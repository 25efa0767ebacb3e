"""Codes for files that cannot be read or parsed (DOMAIN.md §8), and for a crashed rule.

Every such file gets exactly one diagnostic, at the line and column where reading
stopped, and the run goes on with the other files. ``E001`` (the file or folder
cannot be read at all) makes the command exit 2; the others are findings (exit 1).
"""

from cquin_cli.check.registry import FILE, Rule

_BAD = "financial_year: 2009/10\nprovider:\n\tcode: RNF   # a tab: YAML indents with spaces\n"
_GOOD = "financial_year: 2009/10\nprovider:\n  code: RNF\n"

RULES = [
    Rule(
        "E001",
        "The file cannot be read",
        "docs/bad-input.md",
        FILE,
        "The path does not exist, is unreadable, is a folder loop, or is larger than a scheme can be (5 MB). "
        "cquin reports it, validates every other file, and exits 2 because it could not do all it was asked.",
        _GOOD,
        "# a path that does not exist:\n#   cquin validate sample_schemes/missing.yaml",
    ),
    Rule(
        "E002",
        "YAML syntax error",
        "docs/bad-input.md",
        FILE,
        "The file is not well-formed YAML: a bad indent, a tab used for indentation, an unclosed bracket or quote. "
        "The diagnostic points at the place the parser stopped.",
        _GOOD,
        _BAD,
    ),
    Rule(
        "E003",
        "Duplicate key",
        "docs/bad-input.md",
        FILE,
        "A mapping names the same key twice. YAML would silently keep only one of the two values, so a "
        "negotiated figure could vanish; cquin refuses the file and names both lines.",
        "rate: 0.5%\n",
        "rate: 0.5%\nrate: 1.5%   # which one was agreed?\n",
    ),
    Rule(
        "E004",
        "Unsupported or unsafe YAML",
        "docs/bad-input.md",
        FILE,
        "The file uses YAML that has no place in a scheme: a tag other than the core ones (nothing is ever "
        "constructed from a tag), more than 250,000 values (a scheme has about 1,000), whether written out or "
        "repeated by aliases (an 'alias bomb'), nesting deeper than 64 levels, more than one document, or a "
        "list or mapping as a key.",
        "financial_year: 2009/10\nprovider:\n  name: Northfield Hospitals NHS Trust\n",
        "financial_year: 2009/10\nprovider:\n  name: !!python/object/apply:os.system [echo hi]\n",
    ),
    Rule(
        "E005",
        "Not UTF-8 text",
        "docs/bad-input.md",
        FILE,
        "The file is binary, UTF-16, or contains bytes that are not UTF-8. Save schemes as UTF-8.",
        _GOOD,
        "# a spreadsheet saved with a .yaml name, or a file saved as UTF-16\n",
    ),
    Rule(
        "E006",
        "Empty file",
        "docs/bad-input.md",
        FILE,
        "The file holds no YAML document at all.",
        _GOOD,
        "# nothing but this comment\n",
    ),
    Rule(
        "W001",
        "Byte-order mark",
        "docs/bad-input.md",
        FILE,
        "The file starts with a UTF-8 byte-order mark. It is read correctly, but some tools show it as "
        "stray characters; `cquin fmt` removes it.",
        _GOOD,
        "\ufefffinancial_year: 2009/10\n",
    ),
    Rule(
        "I001",
        "Not a scheme: skipped",
        "docs/format.md (files cquin looks at)",
        FILE,
        "A YAML file found while searching a folder shares no top-level key with a scheme (a CI workflow, a "
        "site configuration...). It is not checked as a scheme, so a repository's other YAML does not fail "
        "`cquin validate .`; the note says it was skipped. A file named on the command line is always checked "
        "as a scheme, and a file with any scheme key (say `provider` or `goals`) is checked, so a scheme "
        "missing its `financial_year` still fails.",
        _GOOD,
        "# mkdocs.yml, found by `cquin validate .`:\nsite_name: Our CQUIN schemes\nnav: [index.md]\n",
    ),
    Rule(
        "E008",
        "The formatter left the file as it was",
        "docs/format.md",
        FILE,
        "`cquin fmt` re-reads every file it lays out and refuses to write when the new text would mean "
        "something different from the old (a value or its type changed) or would lose or move a comment. "
        "The file is left untouched. This guards against a bug in the formatter, never in the scheme: "
        "please report the file that triggers it.",
        _GOOD,
        "# any file whose layout the formatter cannot change without changing its meaning\n",
    ),
    Rule(
        "E009",
        "A rule crashed",
        "docs/bad-input.md",
        FILE,
        "A rule raised an unexpected error on this file. This is a bug in cquin, reported as a diagnostic "
        "instead of a traceback so that the other rules and files are still checked. Please report it with "
        "the file that triggers it.",
        _GOOD,
        "# any input that makes a rule fail\n",
    ),
]
