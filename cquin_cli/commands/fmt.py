"""``cquin fmt PATH...``: one canonical layout for every scheme, comments kept."""

from __future__ import annotations

import typer

from cquin_cli.commands.output import emit, emit_diagnostic_text, emit_note, exclude_option


def register(app: typer.Typer) -> None:
    @app.command()
    def fmt(
        paths: list[str] = typer.Argument(..., help="Scheme files and folders (searched recursively)."),
        check: bool = typer.Option(
            False, "--check", help="Change nothing; show a unified diff of each file that would change and exit 1."
        ),
        exclude: list[str] = exclude_option(),
    ) -> None:
        """Lay out schemes canonically: schema key order, 2-space indent, comments kept.

        Only scheme and achievement files (a mapping with `financial_year`) are touched;
        other YAML found in the folders is skipped.

        Exit 0: every file is (now) formatted. Exit 1: with --check, a file would change;
        or a file cannot be parsed (it is reported and left untouched). Exit 2: a path
        could not be read, or a file could not be written (a full disk, ...).
        """
        from cquin_cli.format.files import apply, plan

        planned = plan(paths, exclude)
        out: list[str] = []
        if check:
            for f in planned.changed:
                out.append(f.unified_diff())
        if not check:
            apply(planned)
        for f in planned.changed:
            out.append(f"would reformat {f.file}\n" if check else f"reformatted {f.file}\n")
        if out:
            (emit if check else emit_note)("".join(out))
        if planned.diagnostics:
            emit_diagnostic_text("".join(f"{d}\n" for d in planned.diagnostics))
        total = len(planned.files)
        changed = len(planned.changed)
        unreadable = sum(1 for f in planned.files if f.formatted is None or f.formatted.error is not None)
        verb = "would be reformatted" if check else "reformatted"
        summary = f"{changed} of {total} file{'s' if total != 1 else ''} {verb}"
        skipped = [f.file for f in planned.files if f.formatted is not None and f.formatted.not_a_scheme]
        if skipped:
            summary += f", {len(skipped)} skipped (not a scheme: no `financial_year`)"
        if unreadable:
            summary += f", {unreadable} left untouched (see the errors above)"
        emit_note(summary + "\n")
        if planned.could_not_run:
            raise typer.Exit(2)
        if unreadable or (check and changed):
            raise typer.Exit(1)
        raise typer.Exit(0)
