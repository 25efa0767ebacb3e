"""``cquin rules``, ``cquin explain CODE`` and ``cquin schema``: the documentation, from the code."""

from __future__ import annotations

import typer

from cquin_cli.commands.output import emit


def register(app: typer.Typer) -> None:
    @app.command()
    def rules(
        year: str = typer.Option(
            None, "--year", help="A financial year, e.g. 2016/17: print the rulebook's facts for it, each with its source."
        ),
    ) -> None:
        """List every rule: code, severity, title and the guidance it enforces.

        With --year, print that year's facts instead (cquin's rulebook, with the local
        rulebook of the configuration found from the current folder over it).
        """
        if year is None:
            from cquin_cli.report.rules_doc import rules_table

            emit(rules_table())
            return
        import os
        import sys

        from cquin_cli.check.local_rulebook import local_rulebook_for
        from cquin_cli.check.year_rules import rules_of_year
        from cquin_cli.commands import CommandError
        from cquin_cli.report.rules_doc import year_facts_text
        from cquin_cli.rulebook import rulebook

        here = os.path.join(os.getcwd(), "scheme.yaml")
        found = rules_of_year(year.strip(), here)
        if found is None:
            known = list(rulebook())
            raise CommandError(
                f"the rulebook has no entry for {year!r} (written like 2016/17); cquin's rulebook holds {known[0]} to {known[-1]}"
            )
        local = local_rulebook_for(here)
        if local is not None and local.problems:  # its bad entries are not used: say so
            from cquin_cli.report.diagnostics import text_lines

            for line in text_lines(list(local.problems)):
                sys.stderr.write(line + "\n")
        uses_local = local is not None and any(f.origin != "cquin's rulebook" for f in found.facts.values())
        emit(year_facts_text(found, os.path.relpath(local.file) if uses_local and local is not None else None))

    @app.command()
    def explain(code: str = typer.Argument(..., help="A rule code, e.g. E202.")) -> None:
        """Print a rule's documentation with a passing and a failing example."""
        from cquin_cli.commands import CommandError
        from cquin_cli.report.rules_doc import explain_rule

        text = explain_rule(code)
        if text is None:
            raise CommandError(f"there is no rule {code!r}; `cquin rules` lists them")
        emit(text)

    @app.command()
    def schema(
        kind: str = typer.Argument("scheme", help="scheme or achievement."),
    ) -> None:
        """Print the JSON Schema of the scheme format (or of achievement data)."""
        from cquin_cli.commands import CommandError
        from cquin_cli.schema_files import schema_text

        if kind not in ("scheme", "achievement"):
            raise CommandError("choose `scheme` or `achievement`")
        emit(schema_text(kind))
