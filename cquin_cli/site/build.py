"""Build the whole site: find the schemes, work on each, write the portfolio's pages, swap the folder in.

Steps, and the invariants each keeps:

1. :func:`~cquin_cli.load.discovery.discover` finds the scheme and achievement files
   as every command does (git's view of a work tree, ``--exclude``);
2. each scheme file is worked on by :func:`~cquin_cli.site.scheme_page.scheme_work`, in
   worker processes when there are many (as ``cquin validate`` checks them), each
   writing its page and CSV files into a folder of its own; only small entries come back;
3. the portfolio rules (E203: two files for one scheme) run over the schemes' keys; as
   ``cquin export`` does, the first file of a scheme id (by scheme id, then file) is
   published and any other is left out and named;
4. the index, lists and comparisons (:mod:`.pages`), the search index, the stylesheet,
   the script and the portfolio's CSV files (the rows of every scheme's export tables,
   in the export's order: the same bytes as ``cquin export --format csv``) are written;
5. the new site is built in a fresh folder beside the destination and renamed into
   place, so a reader never sees half a site; a folder is only ever replaced when a
   previous ``cquin site`` wrote it (a marker file says so) or it is empty.

Nothing depends on the order workers finish, the clock or the machine: the same input
gives the same bytes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from dataclasses import dataclass
from importlib import resources

from cquin_cli.atomic import CannotWrite, cannot_write, check_destination
from cquin_cli.diagnostics import Diagnostic, sort_diagnostics
from cquin_cli.site.scheme_page import Fragments, SchemeEntry, Worked, scheme_work

MARKER = ".cquin-site"
# A write that failed (a full disk, a read-only folder...): said and stopped, never retried serially.
_WRITE_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM}
CHUNK = 16
PARALLEL_FROM = 64


@dataclass(frozen=True, slots=True)
class SiteResult:
    out: str
    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...]  # schemes left out, and why; measurements not exported
    schemes: int
    pages: int
    files: tuple[str, ...]  # every input file read


def region_of(file: str, paths: list[str] | tuple[str, ...]) -> str:
    """The region of a scheme: its folder below the folder named (``sample_schemes/bristol/x.yaml`` -> ``bristol``);
    a scheme at the top of the folder named, or a file named itself, takes the name of the folder it is in."""
    for path in paths:
        if os.path.isdir(path):
            rel = os.path.relpath(file, path)
            if not rel.startswith(os.pardir + os.sep) and rel != os.pardir:
                folder = os.path.dirname(rel)
                if folder:
                    return folder.replace(os.sep, "/")
                return os.path.basename(os.path.abspath(path)) or "."
    return os.path.basename(os.path.dirname(os.path.abspath(file))) or "."


def check_site_destination(out: str, inputs: list[str] | tuple[str, ...] = ()) -> None:
    """Refuse (:class:`CannotWrite`) a destination the site cannot replace, before any work."""
    check_destination(out, folder=True, inputs=inputs)
    real = os.path.realpath(out)
    for i in inputs:
        inside = os.path.realpath(i)
        if inside == real or inside.startswith(real.rstrip(os.sep) + os.sep):
            raise CannotWrite(out, f"it holds an input file ({i}); name a folder of its own for the site")
    if os.path.isdir(out) and os.listdir(out) and not os.path.isfile(os.path.join(out, MARKER)):
        raise CannotWrite(out, "it is a folder that cquin site did not write; name a new or empty folder, or a previous site")


def _work_chunk(jobs: list[tuple[int, str, str | None, str, bool]], stage: str) -> list[Worked]:
    out: list[Worked] = []
    if not jobs:
        return out
    fragments = Fragments(os.path.join(stage, ".parts", f"rows-{jobs[0][0]:06d}"))
    try:
        for index, file, achievement, region, found_in_folder in jobs:
            spare = os.path.join(stage, ".parts", f"{index:06d}")
            out.append(scheme_work(file, achievement, region, stage, fragments, spare, found_in_folder=found_in_folder))
    finally:
        fragments.close()
    return out


def _work_all(jobs: list[tuple[int, str, str | None, str, bool]], stage: str) -> list[Worked]:
    """Every scheme worked on, in the one process pool of cquin (``cquin_cli.pool``), in the order of ``jobs``."""
    from cquin_cli.pool import map_chunks

    return map_chunks(_work_chunk, jobs, stage, chunk=CHUNK, parallel_from=PARALLEL_FROM)


def build_site(paths: list[str] | tuple[str, ...], out: str, *, exclude: tuple[str, ...] | list[str] = ()) -> SiteResult:
    """Publish the schemes under ``paths`` as a static site in the folder ``out``."""
    import tempfile

    from cquin_cli.check.pipeline import FileResult, SchemeSummary, check_achievement_file, portfolio_diagnostics
    from cquin_cli.load.discovery import achievement_file_for, discover

    found = discover(paths, exclude)
    inputs = (*found.schemes, *found.achievements)
    check_site_destination(out, inputs)
    achievements = {os.path.normpath(a): a for a in found.achievements}
    scheme_files = {os.path.normpath(s) for s in found.schemes}
    jobs = []
    for index, file in enumerate(found.schemes):
        beside = achievements.get(os.path.normpath(achievement_file_for(file)))
        jobs.append((index, file, beside, region_of(file, paths), file not in found.named))
    parent = os.path.dirname(os.path.abspath(out))
    try:
        stage = tempfile.mkdtemp(prefix=".cquin-site-", dir=parent)
    except OSError as exc:
        raise cannot_write(out, exc) from None
    try:
        os.mkdir(os.path.join(stage, "schemes"))
        worked = _work_all(jobs, stage)
        diagnostics = list(found.diagnostics)
        for w in worked:
            diagnostics.extend(w.diagnostics)
        # achievement data with no scheme beside it: its own findings (E301)
        for norm, file in sorted(achievements.items()):
            if not any(os.path.normpath(achievement_file_for(s)) == norm for s in scheme_files):
                diagnostics.extend(check_achievement_file(file, {}).diagnostics)
        summaries = [FileResult(w.file, (), SchemeSummary(w.file, w.key), usable=True) for w in worked if w.key is not None]
        diagnostics.extend(portfolio_diagnostics(summaries))
        notes: list[str] = []
        published: list[SchemeEntry] = []
        others: list[SchemeEntry] = []
        taken: dict[str, str] = {}
        for w in sorted(worked, key=lambda w: (w.entry.figures.scheme_id if w.entry else "", w.file)):
            if w.left_out is not None:
                notes.append(f"{w.file}: left out, {w.left_out}")
                continue
            if w.entry is None:
                continue
            sid = w.entry.figures.scheme_id
            if sid in taken:
                notes.append(
                    f"{w.file}: left out, scheme {sid} is already published from {taken[sid]} (one scheme per provider, year and route, E203)"
                )
                others.append(w.entry)
                continue
            taken[sid] = w.file
            notes.extend(w.notes)
            published.append(w.entry)
        if not published:  # nothing to publish: the destination is left as it was
            shutil.rmtree(stage, ignore_errors=True)
            return SiteResult(out, tuple(sort_diagnostics(diagnostics)), tuple(notes), 0, 0, inputs)
        _place(published, others, stage)
        pages = _write_portfolio(published, stage, notes)
        _write_data(published, stage)
        shutil.rmtree(os.path.join(stage, ".parts"), ignore_errors=True)
        _write_assets(stage)
        with open(os.path.join(stage, MARKER), "w", encoding="utf-8") as handle:
            handle.write("This folder was written by cquin site; cquin site replaces it whole.\n")
        _swap(stage, out)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if isinstance(exc, OSError):  # the inputs are read by the checker, which reports its own: a write failed
            raise cannot_write(out, exc) from None
        raise
    return SiteResult(out, tuple(sort_diagnostics(diagnostics)), tuple(notes), len(published), pages + len(published), inputs)


def _place(published: list[SchemeEntry], others: list[SchemeEntry], stage: str) -> None:
    """Make the published file of each scheme id the one in the site's schemes/ folder.

    The first worker to get there wrote its files in place (``claimed``); when that was
    not the file published (two files for one scheme: E203), they change places."""
    schemes = os.path.join(stage, "schemes")
    claimed = {e.slug for e in others if e.claimed}
    for e in published:
        if e.claimed:
            continue
        if e.slug in claimed:
            os.remove(os.path.join(schemes, f"{e.slug}.html"))
            shutil.rmtree(os.path.join(schemes, e.slug))
        os.replace(os.path.join(e.staged, f"{e.slug}.html"), os.path.join(schemes, f"{e.slug}.html"))
        os.replace(os.path.join(e.staged, e.slug), os.path.join(schemes, e.slug))


def _write(stage: str, path: str, text: str) -> None:
    target = os.path.join(stage, *path.split("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


_PORTFOLIO: tuple = ()  # (jobs, stage) for the page workers, inherited through fork


def _run_page_jobs(indices: list[int]) -> tuple[int, dict[int, list[dict[str, str]]]]:
    """Run some of the portfolio's page jobs; the pages written and each job's search entries."""
    from cquin_cli.site.pages import Site

    jobs, stage = _PORTFOLIO
    written = 0
    search: dict[int, list[dict[str, str]]] = {}
    for i in indices:
        site = Site(lambda path, text: _write(stage, path, text))
        jobs[i](site)
        written += site.written
        search[i] = site.search
    return written, search


def _write_portfolio(published: list[SchemeEntry], stage: str, notes: list[str]) -> int:
    """The index, lists and comparison pages and their CSV files, and the search index."""
    global _PORTFOLIO
    from cquin_cli.site.pages import page_jobs

    jobs = page_jobs(published, notes)
    _PORTFOLIO = (jobs, stage)
    from cquin_cli.pool import workers as cores

    workers = cores() if len(published) >= PARALLEL_FROM else 1
    shares = [list(range(k, len(jobs), workers)) for k in range(workers)]
    results = None
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            context = multiprocessing.get_context("fork")
            # this process does the first share itself: one copy of the entries fewer in memory
            with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
                others = [pool.submit(_run_page_jobs, share) for share in shares[1:]]
                results = [_run_page_jobs(shares[0]), *(f.result() for f in others)]
        except (OSError, RuntimeError, ValueError) as exc:  # pragma: no cover - no process pool here
            if isinstance(exc, CannotWrite) or getattr(exc, "errno", None) in _WRITE_ERRORS:
                raise
            results = None
    if results is None:
        results = [_run_page_jobs(list(range(len(jobs))))]
    _PORTFOLIO = ()
    pages = sum(written for written, _ in results)
    by_job: dict[int, list[dict[str, str]]] = {}
    for _, search in results:
        by_job.update(search)
    entries = [entry for i in sorted(by_job) for entry in by_job[i]]
    index = {"format": "cquin-site-search", "version": 1, "entries": entries}
    document = json.dumps(index, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    _write(stage, "search-index.json", document + "\n")
    # The same JSON as a script, because a page opened from file:// may not fetch a file.
    _write(stage, "search-index.js", f"window.cquinSearchIndex = {document};\n")
    return pages


def _write_data(published: list[SchemeEntry], stage: str) -> None:
    """data/TABLE.csv: every published scheme's rows of each export table, in the export's order
    (by scheme id, then file): the bytes ``cquin export --format csv`` writes."""
    from cquin_cli.portfolio.export_tables import TABLES, Export, Table
    from cquin_cli.report.export import table_csv

    folder = os.path.join(stage, "data")
    os.makedirs(folder, exist_ok=True)
    empty = Export(tuple(Table(spec, ()) for spec in TABLES), ())
    ordered = sorted(published, key=lambda e: (e.figures.scheme_id, e.file))
    sources: dict[str, object] = {}
    try:
        for position, spec in enumerate(TABLES):
            with open(os.path.join(folder, f"{spec.name}.csv"), "wb") as out:
                out.write(table_csv(empty, spec.name).encode("utf-8"))  # the header line
                for e in ordered:
                    path, offset, length = e.fragments[position]
                    if not length:
                        continue
                    source = sources.get(path)
                    if source is None:
                        source = sources[path] = open(path, "rb")  # noqa: SIM115
                    source.seek(offset)  # type: ignore[attr-defined]
                    out.write(source.read(length))  # type: ignore[attr-defined]
    finally:
        for source in sources.values():
            source.close()  # type: ignore[attr-defined]


def _write_assets(stage: str) -> None:
    folder = os.path.join(stage, "assets")
    os.makedirs(folder, exist_ok=True)
    static = resources.files("cquin_cli.site").joinpath("static")
    for name in ("site.css", "search.js"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(static.joinpath(name).read_bytes())


def _swap(stage: str, out: str) -> None:
    """Rename the finished site into place; an old site (or an empty folder) there is removed."""
    try:
        os.chmod(stage, 0o777 & ~_umask())
        if os.path.isdir(out):
            check_site_destination(out)  # it may have changed while the site was built
            old = stage + ".old"
            os.rename(out, old)
            os.rename(stage, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(stage, out)
    except OSError as exc:
        raise cannot_write(out, exc) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
