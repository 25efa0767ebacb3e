"""cquin: CQUIN pay-for-quality schemes as code.

The package is a pipeline of pure stages (STYLE.md §1):

* ``load``    - files to values that remember their lines, then to frozen scheme records;
* ``check``   - the JSON Schema and the framework's rules, as diagnostics;
* ``compute`` - money: pricing and reconciliation, exact to the penny;
* ``report`` / ``render`` - text, JSON, SARIF, GitHub annotations, Excel.

Only ``cli`` touches the terminal; only the reporters and renderers write files.
"""

# The one home of the version: pyproject.toml reads it from here (CHANGELOG.md).
__version__ = "0.2.0"
