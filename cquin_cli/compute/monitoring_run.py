"""``cquin monitor FOLDER``'s library side: many schemes monitored, in a pool of worker processes when there are many.

Each scheme takes the steps ``cquin monitor`` takes for one: its file checked as
``cquin validate`` checks it (:func:`cquin_cli.check.pipeline.check_scheme_file`); its
achievement data found, checked and built
(:func:`cquin_cli.compute.checkpoint.checked_achievement`); the month (the one asked
for, else the latest with data); and :func:`cquin_cli.compute.monitoring.monitor`, with no
forecast (a table across schemes shows none). What comes back of a scheme is its
findings and a :class:`~cquin_cli.compute.monitoring.MonitorSummary`, or why it was not
monitored, so the pool's workers send back a few hundred bytes a scheme.

:func:`monitor_files` runs the steps through :func:`cquin_cli.pool.map_chunks`
(the one pool, which ``cquin validate`` uses): results in the order of the files, the same as a
serial run's (``tests/test_monitor_parallel.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from cquin_cli.compute.monitoring import MonitorSummary, latest_month, monitor
from cquin_cli.diagnostics import Diagnostic, Severity
from cquin_cli.load.scheme import Scheme

CHUNK = 16  # schemes a worker takes at a time: about 0.1 s of work, so the two cores finish together


@dataclass(frozen=True, slots=True)
class Monitored:
    """One scheme of a run: the scheme's findings, then its summary or why it was not monitored."""

    file: str
    scheme_diagnostics: tuple[Diagnostic, ...]
    data_diagnostics: tuple[Diagnostic, ...] = ()  # the achievement data's findings, when it was refused for them
    summary: MonitorSummary | None = None
    not_monitored: str = ""  # why not, in words ("" when monitored, or when the scheme itself has errors)
    data_errors: bool = False  # refused for its achievement data's own errors (the run exits 1)

    @property
    def scheme_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.scheme_diagnostics)


def monitor_one(file: str, month: int | None, shift_run: int, trend_run: int) -> Monitored:
    from cquin_cli.check.pipeline import check_scheme_file
    from cquin_cli.compute.checkpoint import checked_achievement

    checked = check_scheme_file(file)
    scheme = checked.scheme
    if not isinstance(scheme, Scheme) or any(d.severity is Severity.ERROR for d in checked.diagnostics):
        return Monitored(file, tuple(checked.diagnostics))
    loaded = checked_achievement(scheme, month or 0)
    if loaded.refusal is not None:
        return Monitored(
            file,
            tuple(checked.diagnostics),
            () if loaded.could_not_run else tuple(loaded.errors or loaded.diagnostics),
            not_monitored=f"{scheme.file}: {loaded.refusal}",
            data_errors=not loaded.could_not_run,
        )
    at = month or latest_month(loaded.achievement)
    if at is None:
        why = f"nothing measured yet in {loaded.achievement_file}; name a month with --month"
        return Monitored(file, tuple(checked.diagnostics), not_monitored=f"{scheme.file}: {why}")
    report = monitor(scheme, loaded.achievement, at, shift_run=shift_run, trend_run=trend_run, with_forecast=False)
    return Monitored(file, tuple(checked.diagnostics), summary=report.summary())


def monitor_chunk(files: list[str], month: int | None, shift_run: int, trend_run: int) -> list[Monitored]:
    return [monitor_one(f, month, shift_run, trend_run) for f in files]


def monitor_files(files: list[str], month: int | None, *, shift_run: int = 7, trend_run: int = 7) -> list[Monitored]:
    """Every scheme of ``files`` monitored at ``month`` (None: each at its latest month with data), in order."""
    from cquin_cli.pool import map_chunks

    return map_chunks(monitor_chunk, list(files), month, shift_run, trend_run, chunk=CHUNK)
