"""The lint stage: validate's run, plus the design-quality rules, configuration and suppressions.

``lint_paths`` is a pure function of the files it is given (and the configuration found
beside them):

1. ``check_paths(lint=...)``, one pass: everything ``cquin validate`` reports, and the
   design-quality rules (``LINT_ONLY``, DOMAIN.md §6) on each scheme, through the same
   rule runner, with the options configured for that file (``check.config``), then the
   portfolio ones across all schemes, with the options of the run's configuration (the
   one governing the first scheme file, or ``--config``); the suppressions written in
   each file's text are collected as it is checked;
2. configuration: rules disabled for a file are dropped, severities changed;
3. suppressions (``check.suppressions``) move findings aside, each with its reason;
   problems with configuration and suppressions are diagnostics too.

It returns a :class:`LintRun`; reporters count the suppressed findings in every format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from cquin_cli.check.config import ConfigFinder, Settings
from cquin_cli.check.pipeline import FileResult, Run, ValuesByFile, check_paths
from cquin_cli.check.suppressions import Suppressed, apply
from cquin_cli.diagnostics import Diagnostic, Severity, exit_code, make, sort_diagnostics

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True, slots=True)
class LintRun:
    run: Run  # what validate found, with the files and their values
    diagnostics: tuple[Diagnostic, ...]  # reported, in order
    suppressed: tuple[Suppressed, ...]
    configs: tuple[str, ...]  # the configuration files used
    strict: bool  # --strict, or `strict = true` in a configuration

    @property
    def files(self) -> tuple[str, ...]:
        return self.run.files

    @property
    def config_broken(self) -> bool:
        return any(d.code in CONFIG_CODES for d in self.diagnostics)

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity.value == severity)

    def exit_code(self) -> int:
        """2 could not run (a path or the configuration is unusable); 1 errors, or warnings with strict; else 0."""
        return exit_code(self.diagnostics, could_not_run=self.run.could_not_run or self.config_broken, strict=self.strict)


CONFIG_CODES = ("E501", "E502", "E503", "E504", "E505")


def _configured(diagnostics: Iterable[Diagnostic], settings_for: Callable[[str], Settings]) -> list[Diagnostic]:
    """Drop what a file's configuration disables; apply its severity overrides."""
    out = []
    for d in diagnostics:
        settings = settings_for(d.location.file)
        if d.code in settings.disable:
            continue
        severity = settings.severity.get(d.code)
        out.append(d if severity is None or severity is d.severity else replace(d, severity=severity))
    return out


def lint_findings(
    diagnostics: Iterable[Diagnostic], results: Iterable[FileResult], settings_for: Callable[[str], Settings]
) -> tuple[list[Diagnostic], list[Suppressed]]:
    """What ``cquin lint`` reports of checked files (``check_paths(lint=...)``, ``check_text(lint=...)``).

    Each file's configuration is applied (rules disabled, severities changed), then the
    suppressions written in the files move findings aside; one that matches nothing is
    W515. A file the design checks never ran on (it could not be parsed, or failed the
    format) has no W515: one I516 says the checks were skipped, and why.
    Returns the findings reported and the ones suppressed.
    """
    checked = [r for r in results if not r.skipped]
    for r in checked:
        settings_for(r.file)  # every file's configuration is read, for its own problems (E50x)
    found = _configured(diagnostics, settings_for)
    usable = [r for r in checked if r.usable]
    # a file's values (dropped by a large run) are read again only where a suppression may match
    kept, suppressed, unused = apply(found, [s for r in usable for s in r.suppressions], ValuesByFile(usable))
    kept.extend(_configured(unused, settings_for))
    kept.extend(_checks_skipped(r) for r in checked if not r.usable and r.suppressions)
    return kept, suppressed


def _checks_skipped(result: FileResult) -> Diagnostic:
    """I516: the suppressions of a file whose checks never ran were not checked, and why."""
    from cquin_cli.load.discovery import is_achievement_file

    errors = sort_diagnostics(d for d in result.diagnostics if d.severity is Severity.ERROR)
    achievement = is_achievement_file(result.file)
    if not errors:  # pragma: no cover - a file without values always has an error
        why = "could not be checked"
    else:
        first = errors[0]
        at = f"{first.code} at line {first.location.line}"
        why = (
            f"could not be parsed ({at})"
            if first.code.startswith("E0")
            else f"does not match the {'achievement data' if achievement else 'scheme'} format ({at})"
        )
    written = [f"{code} at line {s.line}" for s in result.suppressions for code in s.codes]
    listed = written[0] if len(written) == 1 else ", ".join(written[:-1]) + " and " + written[-1]
    first_comment = result.suppressions[0]
    checks = "achievement checks" if achievement else "design checks"
    return make(
        "I516",
        f"the {checks} did not run on this file: it {why}, so its suppression{'s' if len(written) != 1 else ''} of {listed} "
        f"{'was' if len(written) == 1 else 'were'} not checked; fix the errors and run cquin lint again",
        first_comment.location,
    )


def lint_paths(
    paths: list[str] | tuple[str, ...],
    *,
    config_file: str | None = None,
    strict: bool = False,
    exclude: tuple[str, ...] | list[str] = (),
    derive: Callable[[FileResult, FileResult | None], Any] | None = None,
) -> LintRun:
    """Lint every scheme (and achievement file) under ``paths``: validate's check and the
    design-quality rules in one pass (:func:`check_paths` with ``lint``), then :func:`lint_findings`.

    The run streams: it keeps a :class:`~cquin_cli.check.pipeline.PortfolioSummary` of
    each scheme, not its records or values; ``derive`` (``cquin report``) makes what a
    command needs of each scheme where it is checked (:func:`check_paths`)."""
    finder = ConfigFinder(config_file)
    run = check_paths(paths, lint=finder, exclude=exclude, keep_values=False, keep_schemes=False, derive=derive)
    kept, suppressed = lint_findings(run.diagnostics, run.results, finder.settings_for)
    configs = finder.loaded
    for config in configs:
        kept.extend(config.problems)
    return LintRun(
        run=run,
        diagnostics=tuple(sort_diagnostics(kept)),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.diagnostic.sort_key)),
        configs=tuple(c.file for c in configs if c.file),
        strict=strict or any(c.strict for c in configs),
    )
