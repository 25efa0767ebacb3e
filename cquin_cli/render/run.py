"""``cquin render``'s library side: which workbooks to write, from which schemes, and whether it is safe.

The stages: find the schemes under the paths; check each (``check_scheme_file``) and
refuse one with errors unless forced; price it; with a month, reconcile it when the
month is a checkpoint and monitor it (any month, as ``cquin monitor`` does); render its
workbook to bytes; write the bytes atomically. Those stages run scheme by scheme in a
pool of processes (:func:`render_chunk`), which send back only what the run reports and,
for ``--portfolio``, each scheme's row: a portfolio streams. Before
anything is written every output path is planned and checked, so a refusal (an output
that would overwrite an input, two schemes that would share one output name) leaves
the disk untouched.

Output names come from the input file's name and folder, never from the scheme's
content, so a hostile provider name cannot steer a write.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from cquin_cli.diagnostics import Diagnostic, Severity, cannot_read
from cquin_cli.load.scheme import Scheme

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from cquin_cli.render.portfolio import PortfolioRow
    from cquin_cli.render.version import SchemeVersion

WORKBOOK_SUFFIX = ".xlsx"


class RenderRefused(Exception):
    """The command cannot run as asked (exit 2); nothing has been written."""


@dataclass(frozen=True, slots=True)
class Planned:
    scheme_file: str
    output: str | None  # None: only part of the portfolio


@dataclass(slots=True)
class RenderRun:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # schemes not rendered because of errors
    could_not_run: bool = False

    @property
    def exit_code(self) -> int:
        if self.could_not_run or cannot_read(self.diagnostics):
            return 2
        return 1 if self.refused else 0


def _stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def plan(paths: list[str], output: str | None, scheme_files: list[str]) -> list[Planned]:
    """Where each scheme's workbook goes: ``-o FILE.xlsx`` for one scheme file, else ``-o FOLDER``.

    In a folder the input's own layout is kept (``sample/x.yaml`` -> ``OUT/sample/x.xlsx``)
    so two schemes of the same name in different folders never collide.
    """
    if output is None:
        return [Planned(f, None) for f in scheme_files]
    # not os.path.isfile: a broken link named alone is still one file (its E001 says why)
    single_file = len(paths) == 1 and not os.path.isdir(paths[0]) and len(scheme_files) == 1
    if single_file and not (os.path.isdir(output) or output.endswith(("/", os.sep))):
        if not output.lower().endswith(WORKBOOK_SUFFIX):
            raise RenderRefused(f"-o {output}: a workbook is written to a file ending in {WORKBOOK_SUFFIX}")
        return [Planned(scheme_files[0], output)]
    if output.lower().endswith(WORKBOOK_SUFFIX) and not os.path.isdir(output):
        raise RenderRefused(f"-o {output}: several schemes make one workbook each, so -o must name a folder")
    planned = []
    roots = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    for f in scheme_files:
        absolute = os.path.abspath(f)
        relative_folder = ""
        for root in roots:
            if absolute.startswith(root.rstrip(os.sep) + os.sep):
                relative_folder = os.path.dirname(os.path.relpath(absolute, root))
                break
        planned.append(Planned(f, os.path.join(output, relative_folder, _stem(f) + WORKBOOK_SUFFIX)))
    seen: dict[str, str] = {}
    for p in planned:
        key = _real(p.output or "")
        if key in seen:
            raise RenderRefused(f"{seen[key]} and {p.scheme_file} would both be written to {p.output}; render them separately")
        seen[key] = p.scheme_file
    return planned


def check_outputs(output: str | None, outputs: list[str], inputs: list[str]) -> None:
    """Refuse (``CannotWrite``) every output that cannot be written, before any work
    (:func:`cquin_cli.atomic.check_destination`): never an input (a scheme, an achievement
    file, any file named on the command line), never a device, a pipe or a folder, and only
    into folders that exist: a mistyped -o must not create a tree somewhere else. ``-o
    FOLDER`` itself, and the subfolders that mirror the input's layout, are created."""
    from cquin_cli.atomic import check_destination

    for out in outputs:
        if out.lower().endswith((".yaml", ".yml")):
            raise RenderRefused(f"{out}: cquin render writes workbooks, never YAML files")
    folder = output if output is not None and outputs[:1] != [output] else None
    if folder is not None:
        check_destination(folder.rstrip("/" + os.sep) or folder, folder=True)
    # Each input's real path once, not once an output: -o FOLDER of 5,000 schemes has
    # 10,000 inputs (the schemes and their achievement files) and 5,000 outputs.
    real_inputs = {_real(i): i for i in inputs}
    for out in outputs:
        mirrored = folder is not None and out.startswith(os.path.join(folder, ""))
        same = real_inputs.get(_real(out))  # check_destination refuses it, as one of the inputs
        check_destination(out, new_folders=mirrored, inputs=() if same is None else (same,))


def _errors(diagnostics) -> int:
    return sum(1 for d in diagnostics if d.severity is Severity.ERROR)


def render_paths(
    paths: list[str],
    *,
    output: str | None,
    portfolio: str | None = None,
    month: int | None = None,
    achievement: str | None = None,
    force: bool = False,
    exclude: list[str] | tuple[str, ...] = (),
) -> RenderRun:
    from cquin_cli.load.discovery import achievement_file_for, discover

    run = RenderRun()
    if output is None and portfolio is None:
        raise RenderRefused("say where to write: -o FILE.xlsx (one scheme), -o FOLDER (several), or --portfolio FILE.xlsx")
    found = discover(paths, exclude)
    run.diagnostics.extend(found.diagnostics)
    if cannot_read(found.diagnostics) or not found.schemes:
        run.could_not_run = True
        if not found.schemes and not found.diagnostics:
            run.messages.append("no scheme files found")
        return run
    if achievement is not None and len(found.schemes) != 1:
        raise RenderRefused("--achievement names the data of one scheme; give one scheme file with it")
    if month is not None and not 1 <= month <= 12:
        raise RenderRefused(f"--month {month} is not a month of the financial year: 1 (April) to 12 (March)")

    schemes = list(found.schemes)
    planned = plan(paths, output, schemes)
    inputs = [*paths, *found.schemes, *found.achievements, *([achievement] if achievement else [])]
    inputs += [achievement_file_for(f) for f in schemes]
    outputs = [p.output for p in planned if p.output] + ([portfolio] if portfolio else [])
    if portfolio is not None and not portfolio.lower().endswith(WORKBOOK_SUFFIX):
        raise RenderRefused(f"--portfolio {portfolio}: a workbook is written to a file ending in {WORKBOOK_SUFFIX}")
    check_outputs(output, outputs, inputs)
    if portfolio is not None and _real(portfolio) in {_real(o) for o in outputs[:-1]}:
        raise RenderRefused(f"--portfolio {portfolio} is also a scheme's workbook")

    from cquin_cli.atomic import atomic_write_bytes
    from cquin_cli.pool import map_chunks
    from cquin_cli.render.version import scheme_versions

    # Each scheme is checked, priced and its workbook written in a pool of processes
    # (every output was planned and checked above), and only what the run reports comes
    # back: at 5,000 schemes the run never holds a scheme record, nor a price. The
    # versions are asked of git once per folder, here (a 337-scheme portfolio: 3.0 s and
    # 2.1 s when done one by one), and each scheme's goes with it to its worker.
    versions = scheme_versions([item.scheme_file for item in planned])
    # openpyxl and the sheets are imported once, here, before the workers fork from this process.
    if any(item.output is not None for item in planned):
        import cquin_cli.render.contract  # noqa: F401
    if portfolio is not None:
        from cquin_cli.render.portfolio import portfolio_workbook
    rendered = map_chunks(
        render_chunk,
        [(item, versions[item.scheme_file], item.scheme_file not in found.named) for item in planned],
        month,
        achievement,
        force,
        portfolio is not None,
    )
    rows: list[PortfolioRow] = []
    for done in rendered:
        run.diagnostics.extend(done.diagnostics)
        run.messages.extend(done.messages)
        if done.refused:
            run.refused.append(done.scheme_file)
        if done.could_not_run:
            run.could_not_run = True
        if done.written is not None:
            run.written.append(done.written)
        if done.row is not None:
            rows.append(done.row)
    if portfolio is not None and rows:
        atomic_write_bytes(portfolio, portfolio_workbook(rows))
        run.written.append(portfolio)
    return run


@dataclass(frozen=True, slots=True)
class Rendered:
    """What one planned scheme adds to the run, made in a worker process: its diagnostics
    and messages, whether it was refused, the workbook written, and its portfolio row."""

    scheme_file: str
    diagnostics: tuple[Diagnostic, ...]
    messages: tuple[str, ...]
    refused: bool
    could_not_run: bool
    written: str | None
    row: PortfolioRow | None


def render_chunk(
    items: list[tuple[Planned, SchemeVersion, bool]],
    month: int | None,
    achievement: str | None,
    force: bool,
    portfolio: bool,
) -> list[Rendered]:
    """Check, price and render each planned scheme in a worker process
    (:func:`cquin_cli.pool.map_chunks`), in the order given; with ``portfolio``, each
    rendered scheme's :class:`~cquin_cli.render.portfolio.PortfolioRow` too. Each item:
    the plan, the scheme's version, and whether it was found in a folder (not named on the
    command line: then YAML that is no scheme is skipped, I001)."""
    return [
        _render_one(item, version, found_in_folder, month, achievement, force, portfolio)
        for item, version, found_in_folder in items
    ]


def _render_one(
    item: Planned,
    version: SchemeVersion,
    found_in_folder: bool,
    month: int | None,
    achievement: str | None,
    force: bool,
    portfolio: bool,
) -> Rendered:
    from cquin_cli.check.pipeline import check_scheme_file
    from cquin_cli.pool import collector_paused

    with collector_paused():  # as check_paths checks; not while rendering, whose workbooks are cyclic
        result = check_scheme_file(item.scheme_file, found_in_folder=found_in_folder)
    part = RenderRun(diagnostics=list(result.diagnostics))  # this scheme's share of the run

    def done(written: str | None = None, row: PortfolioRow | None = None) -> Rendered:
        return Rendered(
            item.scheme_file, tuple(part.diagnostics), tuple(part.messages), bool(part.refused), part.could_not_run, written, row
        )

    errors = _errors(result.diagnostics)
    if result.skipped:  # YAML found in the folder that is no scheme (I001)
        return done()
    if not isinstance(result.scheme, Scheme):  # None when unreadable
        part.refused.append(item.scheme_file)
        part.messages.append(f"{item.scheme_file}: not rendered: the file cannot be read as a scheme")
        return done()
    why = result.scheme.unusable_for_money  # a value stood in for (E103-E107): never signed, --force or not
    if why is not None:
        part.refused.append(item.scheme_file)
        part.messages.append(f"{item.scheme_file}: not rendered, even with --force: {why}")
        return done()
    if errors and not force:
        part.refused.append(item.scheme_file)
        part.messages.append(
            f"{item.scheme_file}: not rendered: {errors} error{'s' if errors != 1 else ''} (fix them, or --force to render anyway)"
        )
        return done()
    reconciliation = achievement_data = None
    if month is not None and item.output is not None:
        loaded = _reconcile(part, item.scheme_file, result.scheme, achievement, month, force)
        if loaded is None:
            return done()
        reconciliation, achievement_data = loaded
    try:
        from cquin_cli.compute.pricing import price

        priced = price(result.scheme)
        if item.output is not None:
            from cquin_cli.render.contract import scheme_workbook

            monitoring = None
            if month is not None and achievement_data is not None:
                from cquin_cli.compute.monitoring import monitor

                monitoring = monitor(result.scheme, achievement_data, month)  # what `cquin monitor --month` shows
            data = scheme_workbook(
                result.scheme,
                version,
                os.path.basename(item.scheme_file),
                reconciliation=reconciliation,
                achievement=achievement_data,
                monitoring=monitoring,
            )
    except Exception as exc:
        if not errors:
            raise  # a valid scheme that cannot be rendered is a bug: the CLI reports it
        part.refused.append(item.scheme_file)
        part.messages.append(f"{item.scheme_file}: not rendered: the scheme is too broken to price ({type(exc).__name__}: {exc})")
        return done()
    written = None
    if item.output is not None:
        from cquin_cli.atomic import atomic_write_bytes, make_folder

        make_folder(os.path.dirname(os.path.abspath(item.output)), parents=True)
        atomic_write_bytes(item.output, data)
        written = item.output
        if errors:
            part.messages.append(f"{item.scheme_file}: rendered despite {errors} error{'s' if errors != 1 else ''} (--force)")
    row = None
    if portfolio:
        from cquin_cli.render.portfolio import portfolio_row

        row = portfolio_row(item.scheme_file, priced, version)
    return done(written, row)


def _reconcile(run: RenderRun, scheme_file, scheme, achievement_file, month, force):
    """The scheme's reconciliation at ``month`` (None when it is not a checkpoint) and its data; or None, the reason recorded in ``run``.

    The same steps as ``cquin reconcile`` at a checkpoint
    (:func:`cquin_cli.compute.checkpoint.reconcile_checkpoint`), as ``cquin monitor`` at
    any other month (:func:`cquin_cli.compute.checkpoint.checked_achievement`).
    """
    from cquin_cli.compute.checkpoint import checked_achievement, reconcile_checkpoint

    if month in scheme.payment.checkpoints:
        done = reconcile_checkpoint(scheme, month, achievement_file, force=force)
    else:
        done = checked_achievement(scheme, month, achievement_file, force=force)
    run.diagnostics.extend(done.diagnostics)
    if done.refusal is None:
        return done.reconciliation, done.achievement
    if done.could_not_run:
        run.could_not_run = True
    else:
        run.refused.append(scheme_file)
    run.messages.append(f"{scheme_file}: not rendered: {done.refusal}" + ("" if done.could_not_run or force else " (or --force)"))
    return None
