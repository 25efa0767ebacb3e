"""The lint stage: validate's run, plus the design-quality rules, configuration and suppressions.

``lint_paths`` is a pure function of the files it is given (and the configuration found
beside them):

1. ``check_paths`` - everything ``cquin validate`` reports;
2. the design-quality rules (``LINT_ONLY``, DOMAIN.md §6) on each scheme, with the
   options configured for that file (``check.config``), then the portfolio ones across
   all schemes, with the options of the run's configuration (the one governing the
   first scheme file, or ``--config``);
3. configuration: rules disabled for a file are dropped, severities changed;
4. suppressions written in the files (``check.suppressions``) move findings aside, each
   with its reason; problems with configuration and suppressions are diagnostics too.

It returns a :class:`LintRun`; reporters count the suppressed findings in every format.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from cquin_cli.check.config import Config, ConfigFinder, Settings
from cquin_cli.check.pipeline import Run, check_paths, locate_finding, run_rule
from cquin_cli.check.registry import PORTFOLIO, SCHEME, bound_check, rules_in
from cquin_cli.check.suppressions import Suppressed, apply, scan
from cquin_cli.diagnostics import Diagnostic, Location, make, sort_diagnostics
from cquin_cli.load.locator import locate
from dataclasses import dataclass, replace


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
        if self.run.could_not_run or self.config_broken:
            return 2
        if self.count("error") or (self.strict and self.count("warning")):
            return 1
        return 0


CONFIG_CODES = ("E501", "E502", "E503", "E504", "E505")


def _lint_rules(scope: str):
    return [r for r in rules_in(scope, lint=True) if r.lint_only]


def _scheme_lint(result, settings: Settings) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in _lint_rules(SCHEME):
        if rule.code in settings.disable:
            continue
        findings, crash = run_rule(bound_check(rule, settings.options.get(rule.code)), result.scheme, rule.code)
        if crash:
            out.append(make("E009", crash, Location(result.file)))
        for f in findings:
            out.append(locate_finding(result.values, f.file or result.file, f.code, f.message, f.path))
    return out


def _portfolio_lint(results, settings: Settings) -> list[Diagnostic]:
    schemes = [r.scheme for r in results if r.scheme is not None]
    if not schemes:
        return []
    values_by_file = {r.file: r.values for r in results}
    out: list[Diagnostic] = []
    for rule in _lint_rules(PORTFOLIO):
        if rule.code in settings.disable:
            continue
        findings, crash = run_rule(bound_check(rule, settings.options.get(rule.code)), schemes, rule.code)
        if crash:
            out.append(make("E009", crash, Location(schemes[0].file)))
        for f in findings:
            file = f.file or schemes[0].file
            related = []
            for other_file, other_path in f.related:
                line, column = locate(values_by_file.get(other_file), other_path)
                related.append(Location(other_file, line, column, tuple(other_path)))
            d = locate_finding(values_by_file.get(file), file, f.code, f.message, f.path)
            out.append(replace(d, related=tuple(related)))
    return out


def _configured(diagnostics: list[Diagnostic], settings_for) -> list[Diagnostic]:
    """Drop what a file's configuration disables; apply its severity overrides."""
    out = []
    for d in diagnostics:
        settings = settings_for(d.location.file)
        if d.code in settings.disable:
            continue
        severity = settings.severity.get(d.code)
        out.append(d if severity is None or severity is d.severity else replace(d, severity=severity))
    return out


def _read_text(file: str) -> str | None:
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # the reader has already reported it


def lint_paths(paths: list[str] | tuple[str, ...], *, config_file: str | None = None, strict: bool = False) -> LintRun:
    """Lint every scheme (and achievement file) under ``paths``."""
    run = check_paths(paths)
    finder = ConfigFinder(config_file)
    settings_cache: dict[str, Settings] = {}

    def settings_for(file: str) -> Settings:
        if file not in settings_cache:
            settings_cache[file] = finder.for_file(file).settings_for(file)
        return settings_cache[file]

    found: list[Diagnostic] = list(run.diagnostics)
    for result in run.results:
        if result.scheme is not None:
            found.extend(_scheme_lint(result, settings_for(result.file)))
    scheme_files = [r.file for r in run.results if r.scheme is not None]
    run_config: Config = finder.for_file(scheme_files[0]) if scheme_files else (finder.explicit or Config())
    found.extend(_portfolio_lint(list(run.results), settings_for(scheme_files[0]) if scheme_files else run_config.base))
    found = _configured(found, settings_for)

    suppressions = []
    for file in run.files:
        text = _read_text(file)
        if text is None:
            continue
        written, problems = scan(file, text)
        suppressions.extend(written)
        found.extend(problems)
    values_by_file: dict[str, Any] = {r.file: r.values for r in run.results}
    kept, suppressed, unused = apply(found, suppressions, values_by_file)
    kept.extend(_configured(unused, settings_for))

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
