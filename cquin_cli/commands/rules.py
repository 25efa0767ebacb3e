"""``cquin rules``, ``cquin explain CODE`` and ``cquin schema``: the documentation, from the code."""

from __future__ import annotations

import typer

from cquin_cli.commands.output import emit


def register(app: typer.Typer) -> None:
    @app.command()
    def rules() -> None:
        """List every rule: code, severity, title and the guidance it enforces."""
        from cquin_cli.report.rules_doc import rules_table

        emit(rules_table())

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
