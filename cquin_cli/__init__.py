"""cquin: CQUIN pay-for-quality schemes as code.

The package is a pipeline of pure stages in layers (docs/architecture.md). A layer
imports only the layers below it, never one above; imports inside functions count.
``tests/test_layers.py`` runs this contract (``[tool.importlinter]`` in pyproject.toml)
in ``make test``, and checks that this list and the contract say the same:

1. ``cli``       - the typer app; every outcome becomes an exit code here;
2. ``commands``  - one thin module per command: options in, one library call, a reporter;
3. ``site``      - the portfolio published as a static site (HTML through Jinja2, CSV, search);
4. ``render`` | ``compare`` | ``importer`` - Excel workbooks; ``cquin diff`` between schemes and
   commits; Word and Excel schemes read into the format (``cquin import``);
5. ``report`` | ``format`` - text, JSON, SARIF, CSV, SQLite; YAML written back (fmt, new, --record);
6. ``portfolio`` - the regional view: figures across many schemes, and the export's tables;
7. ``compute``   - money for one scheme: pricing, reconciliation, checkpoints, SPC, forecast;
8. ``check``     - the JSON Schema and the framework's rules, as diagnostics;
9. ``load`` | ``rulebook`` - files to values that remember their lines, then to frozen
   scheme records; the framework's facts for each year;
10. ``partial_achievement`` - the rules for partial achievement, one module each: fields,
   assessment, contract wording, validity;
11. ground: ``money`` | ``diagnostics`` | ``atomic`` | ``schema_files`` | ``vocabulary`` | ``pool`` | ``spool``
   - exact money arithmetic, findings and exit codes, atomic file writes, the schema
   files, the format's closed vocabularies (domain, direction, sector, route, scheme kind), the
   one process pool (many files on every core), and what its workers put aside on disk.

``a | b``: neither imports the other. Writers sit above what they write; only ``cli``
touches the terminal.
"""

# The one home of the version: pyproject.toml reads it from here (CHANGELOG.md).
__version__ = "0.2.0"
