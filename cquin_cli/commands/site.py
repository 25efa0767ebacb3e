"""``cquin site PATH... -o DIR``: the portfolio published as a static site (DOMAIN.md §10)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from cquin_cli.commands.output import exclude_option

    @app.command()
    def site(
        paths: list[str] = typer.Argument(
            ..., help="Scheme files and folders (searched recursively); achievement data beside each scheme is included."
        ),
        out: str = typer.Option(
            ..., "--output", "-o", help="The folder to write the site into: a new or empty folder, or a previous site."
        ),
        exclude: list[str] = exclude_option(),
    ) -> None:
        """Publish schemes as a static site: an index, a page per scheme, comparisons, search and CSV downloads.

        The site works opened from its files (file://), with no server and nothing from
        the network. Each folder below a folder named is a region. Files that cannot be
        loaded are reported on stderr and left out. Exit 0: clean. Exit 1: written, but
        some files had errors. Exit 2: nothing to publish, or the folder cannot be
        written (it is never replaced unless a previous `cquin site` wrote it or it is
        empty).
        """
        import os
        import sys

        from cquin_cli.commands import CommandError
        from cquin_cli.commands.output import emit
        from cquin_cli.commands.report import report_diagnostics
        from cquin_cli.diagnostics import cannot_read, exit_code
        from cquin_cli.site.build import build_site, check_site_destination

        check_site_destination(out)  # before any work: a file, a device, a folder of someone else's...
        result = build_site(paths, out, exclude=exclude)
        report_diagnostics(result.diagnostics, command="site")
        if result.notes:
            emit("".join(f"cquin site: {note}\n" for note in result.notes), stream=sys.stderr)
        if not result.schemes:
            why = (
                "no scheme under the paths given could be published"
                if result.files
                else "no scheme files found under the paths given"
            )
            raise CommandError(f"{why}; nothing to publish", [d for d in result.diagnostics if cannot_read([d])])
        emit(f"wrote {os.path.join(out, 'index.html')}: {result.schemes} schemes, {result.pages} pages\n")
        raise typer.Exit(exit_code(result.diagnostics))
