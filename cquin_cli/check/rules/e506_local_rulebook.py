"""A local rulebook's entry is well formed and says where its fact comes from.

The rulebook (docs/rulebook.md): a fact no source cquin ships confirms (the 2011/12 rate, whether CQUIN
ran in 2024/25) is added by the repository in a local rulebook, named in its
configuration (``rulebook = "path"`` in ``.cquin.toml``, or under ``[tool.cquin]`` in
``pyproject.toml``; the path is from the configuration's folder). The file is YAML (or
JSON) holding ``years``, each year's facts by name, each fact its ``value`` and its
``source``; a fact adds to or overrides cquin's for that year, and cquin names its
source (and the file) wherever it uses it. An unknown year or fact name (with the
nearest name), a value of the wrong kind, a fact without a ``source``, or a rulebook
file that does not exist is this error, located in the rulebook file (or at the
``rulebook`` line of the configuration); the entry is not used. ``cquin validate``,
``cquin lint`` and ``cquin price`` report each local rulebook's problems once per run.
The facts and their kinds: ``cquin rules --year YEAR`` shows a year's.
"""

from cquin_cli.check.registry import CONFIG

CODE = "E506"
TITLE = "Local rulebook entry"
SOURCE = "docs/rulebook.md"
SCOPE = CONFIG

PASSING = """
# file: pyproject.toml
[tool.cquin]
rulebook = "rulebook.yaml"
---
# file: rulebook.yaml
years:
  2011/12:
    rate:
      value: 1.5%
      source: The Operating Framework for the NHS in England 2011/12, paragraph 4.31
"""
FAILING = """
# file: pyproject.toml
[tool.cquin]
rulebook = "rulebook.yaml"
---
# file: rulebook.yaml
years:
  2011/12:
    rate:
      value: 1.5%       # no source: E506
"""
