"""The checking pipeline: load -> schema -> scheme records -> rules -> located diagnostics.

``check_scheme_file`` is a pure function of one file (it reads it, and nothing else),
so files can be checked in any order or in parallel; ``check_paths`` runs it over
everything found, then the portfolio rules across all schemes, and returns a
:class:`Run` that reporters turn into text, JSON, SARIF or annotations.

Rules report document paths; this module is the only place that turns them into
lines and columns (through :func:`cquin_cli.load.locator.locate`). A rule that raises
becomes diagnostic E009 and the other rules still run (STYLE.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cquin_cli.check.registry import PORTFOLIO, SCHEME, Finding, bound_check, rules_in
from cquin_cli.check.registry import rule as registered_rule
from cquin_cli.check.rules.e111_fill_in import MARKER as STUB_MARKER
from cquin_cli.check.rules.e111_fill_in import describe_stub, find_stubs
from cquin_cli.check.schema import ACHIEVEMENT, SCHEMES, check_schema
from cquin_cli.diagnostics import Diagnostic, Location, cannot_read, exit_code, make, sort_diagnostics
from cquin_cli.load.discovery import discover
from cquin_cli.load.locator import character_column, locate
from cquin_cli.load.scheme import IndicatorSummary, Scheme, build_scheme
from cquin_cli.load.yaml_reader import Loaded, parse_yaml, read_bytes, read_yaml
from cquin_cli.pool import collector_paused, map_chunks

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Callable, Iterable
    from decimal import Decimal
    from typing import Any

    from cquin_cli.check.config import ConfigFinder, Settings
    from cquin_cli.check.registry import Rule
    from cquin_cli.check.suppressions import Suppression
    from cquin_cli.load.scheme import Commissioner, Provider
    from cquin_cli.vocabulary import Route


@dataclass(frozen=True, slots=True)
class SchemeSummary:
    """What the portfolio rules ``cquin validate`` runs read of a scheme: E203 its key and file.

    A 5,000-scheme ``cquin validate`` kept every scheme record in the parent process
    (about 43 KB each, 215 MB in all, and 0.2-0.4 ms each to receive from a worker);
    ``check_paths(keep_schemes=False)`` keeps this instead. A rule reading anything else
    would crash into E009: tests/test_validate_lean.py runs every such rule on both.
    """

    file: str
    key: tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class PortfolioSummary:
    """What every portfolio rule reads of a scheme, the design ones of ``cquin lint`` included
    (E203 its key; W413 its coordinating commissioner, year and stretch; W414 its provider,
    route and indicators), and what a report filters by: kept for each scheme of a large run
    with ``keep_schemes=False`` and ``lint`` instead of the whole record, so ``cquin lint``,
    ``report`` and ``export`` hold a few KB a scheme, not 40 (tests/test_lint.py runs
    every portfolio rule on both and compares).
    """

    file: str
    key: tuple[str, str, str]
    financial_year: str
    provider: Provider
    commissioning_route: Route
    coordinating_commissioner: Commissioner
    commissioners: tuple[Commissioner, ...]
    stretch: Decimal | None
    indicators: tuple[IndicatorSummary, ...]

    @classmethod
    def of(cls, scheme: Scheme) -> PortfolioSummary:
        return cls(
            scheme.file,
            scheme.key,
            scheme.financial_year,
            scheme.provider,
            scheme.commissioning_route,
            scheme.coordinating_commissioner,
            scheme.commissioners,
            scheme.stretch,
            tuple(IndicatorSummary(i.number, i.name, i.national_indicator, i.path) for i in scheme.indicators),
        )


@dataclass(frozen=True, slots=True)
class FileResult:
    file: str
    diagnostics: tuple[Diagnostic, ...]
    scheme: Scheme | SchemeSummary | PortfolioSummary | None = None  # a summary only when asked (keep_schemes=False)
    values: Any = field(default=None, compare=False, repr=False)
    skipped: bool = False  # found in a folder and no scheme at all (I001): not counted as checked
    suppressions: tuple[Suppression, ...] = ()  # `# cquin: allow` comments in its text (linting only)
    # achievement data checked against its scheme: the records built for the checks, so a
    # caller that goes on to reconcile or monitor does not build them again
    achievement: Any = field(default=None, compare=False, repr=False)
    # the document passed the format, and its checks ran (its values may since have been
    # dropped, ``keep_values=False``: they are read again where a finding needs them)
    usable: bool = False
    # what a command made of the scheme where it was checked (``check_paths(derive=...)``)
    derived: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Run:
    files: tuple[str, ...]
    results: tuple[FileResult, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def schemes(self) -> list[Scheme | SchemeSummary | PortfolioSummary]:
        """The schemes checked: whole records, or summaries when only summaries were kept."""
        return [r.scheme for r in self.results if r.scheme is not None]

    @property
    def records(self) -> list[Scheme]:
        """The whole scheme records checked (none when only summaries were kept)."""
        return [r.scheme for r in self.results if isinstance(r.scheme, Scheme)]

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity.value == severity)

    @property
    def could_not_run(self) -> bool:
        """A path could not be read at all (E001), or nothing was found to check."""
        return not self.files or cannot_read(self.diagnostics)

    def exit_code(self, *, strict: bool = False) -> int:
        return exit_code(self.diagnostics, could_not_run=not self.files, strict=strict)


def _source(code: str) -> str:
    found = registered_rule(code)
    return found.source if found else ""


def locate_finding(
    values: Any,
    file: str,
    code: str,
    message: str,
    path: tuple,
    related: Iterable[Location] = (),
    *,
    offset: int | None = None,
    text: str = "",
) -> Diagnostic:
    """A finding at its line:column; with ``offset``, at that character of the value in ``text``."""
    line, column = locate(values, path)
    if offset is not None and text:
        column = character_column(text, line, column, offset, path[-1] if path else None) or column
    return make(code, message, Location(file, line, column, tuple(path)), related=list(related), source=_source(code))


def load_diagnostics(loaded: Loaded) -> list[Diagnostic]:
    """The reader's verdict on a file as diagnostics: its one error, and any warnings."""
    out = [make(w.code, w.message, Location(loaded.path, w.line, w.column), source=_source(w.code)) for w in loaded.warnings]
    if loaded.error is not None:
        e = loaded.error
        out.append(make(e.code, e.message, Location(loaded.path, e.line, e.column), source=_source(e.code)))
    return out


def read_document(file: str, schema_name: str, *, skip_foreign: bool = False) -> tuple[Any, list[Diagnostic]]:
    """Read (the one bounded reader) and schema-check one file; see :func:`document_of`."""
    return document_of(read_yaml(file), schema_name, skip_foreign=skip_foreign)


def document_of(loaded: Loaded, schema_name: str, *, skip_foreign: bool = False) -> tuple[Any, list[Diagnostic]]:
    """Schema-check one file as read; values are ``None`` when the file cannot be used.

    With ``skip_foreign`` (a file found in a folder, not named), a mapping that shares no
    top-level key with the schema is not a scheme at all: one note (I001), no findings.
    """
    file = loaded.path
    diagnostics = load_diagnostics(loaded)
    if loaded.error is not None:
        return None, diagnostics
    values = loaded.value
    if skip_foreign and isinstance(values, dict) and values and not set(values) & _top_level_keys(schema_name):
        keys = ", ".join(sorted(map(str, values))[:4])
        diagnostics.append(
            make(
                "I001",
                f"not a scheme (its keys {keys} are none of a scheme's); skipped. Name the file to check it as a scheme",
                Location(file, 1, 1),
                source=_source("I001"),
            )
        )
        return None, diagnostics
    if not isinstance(values, dict):
        kind = "a list" if isinstance(values, list) else "a single value"
        diagnostics.append(
            make("E110", f"the file holds {kind}, not a mapping of scheme keys", Location(file, 1, 1), source=_source("E110"))
        )
        return None, diagnostics
    findings = check_schema(values, schema_name)
    # A cheap look at the text first: most files hold no stub. Only a backslash escape
    # ("\x54ODO", a line break escaped in the middle) can make one the text does not show.
    if STUB_MARKER in loaded.text or "\\" in loaded.text:
        findings = _with_stubs(values, findings)
    diagnostics.extend(locate_finding(values, file, f.code, f.message, f.path) for f in findings)
    return (None if findings else values), diagnostics


def _top_level_keys(schema_name: str) -> frozenset[str]:
    from cquin_cli.check.schema import schema_document

    return frozenset(schema_document(schema_name).get("properties", {}))


def _with_stubs(values: Any, findings: list) -> list:
    """E111: stubs of `cquin new` left to fill in; a stub is reported as itself, not as a wrong value."""
    stubs = [Finding(s.code, describe_stub(values, s), s.path) for s in find_stubs(values)]
    if not stubs:
        return findings
    at_stub = {tuple(s.path) for s in stubs}
    return stubs + [f for f in findings if tuple(f.path) not in at_stub]


def run_rules(
    rules: Iterable[Rule],
    subject: Any,
    file: str,
    values_of: Callable[[str], Any],
    settings: Settings | None = None,
    text: str = "",
) -> list[Diagnostic]:
    """The one rule runner, for every scope (a scheme, achievement data, the portfolio).

    Each rule runs with its options (``settings``: ``cquin lint``'s configuration for the
    file; a rule it disables does not run). A rule that raises becomes E009 at ``file``
    and the others still run (STYLE.md §6). Each finding is located in its file's values
    (``values_of(file)``; a portfolio finding names its file, else it is ``file``'s), and
    so is each related place. A finding with an ``offset`` points at that character of its
    value in ``text`` (the file's text; W216).
    """
    out: list[Diagnostic] = []
    for rule in rules:
        if settings is not None and rule.code in settings.disable:
            continue
        check = bound_check(rule, settings.options.get(rule.code) if settings is not None else None)
        try:
            findings = list(check(subject))
        except Exception as exc:  # a crashing rule must not hide the others (STYLE.md §6)
            out.append(
                make("E009", f"rule {rule.code} crashed: {type(exc).__name__}: {exc}", Location(file), source=_source("E009"))
            )
            continue
        for f in findings:
            where = f.file or file
            related = [Location(other, *locate(values_of(other), path), tuple(path)) for other, path in f.related]
            own_text = text if where == file else ""
            out.append(
                locate_finding(values_of(where), where, f.code, f.message, f.path, related, offset=f.offset, text=own_text)
            )
    return out


def check_text(raw: bytes | str, path: str, *, lint: Settings | None = None, found_in_folder: bool = False) -> FileResult:
    """Check one scheme held as bytes (or text), named ``path``: the whole check of a scheme file.

    Nothing is read from disk: ``cquin diff`` checks a version from git as it is, and
    :func:`check_scheme_file` is this on the file's bytes. With ``lint`` (the file's
    settings) the design-quality rules run too, in the same pass, with their configured
    options, and the `# cquin: allow` suppressions written in the text are collected.
    """
    return _checked(parse_yaml(raw, path), lint, found_in_folder)


def check_scheme_file(file: str, *, lint: Settings | None = None, found_in_folder: bool = False) -> FileResult:
    """Read a scheme file (the one bounded reader) and check it: :func:`check_text`."""
    raw, error = read_bytes(file)
    if error is not None:
        return _checked(Loaded(file, error=error), lint, found_in_folder)
    assert raw is not None
    return check_text(raw, file, lint=lint, found_in_folder=found_in_folder)


def _suppressions(loaded: Loaded, diagnostics: list[Diagnostic]) -> tuple[Suppression, ...]:
    """The suppressions written in a file's text; problems with them join its diagnostics."""
    if not loaded.text:
        return ()
    from cquin_cli.check.suppressions import scan

    written, problems = scan(loaded.path, loaded.text)
    diagnostics.extend(problems)
    return tuple(written)


def _checked(loaded: Loaded, lint: Settings | None, found_in_folder: bool) -> FileResult:
    file = loaded.path
    values, diagnostics = document_of(loaded, SCHEMES, skip_foreign=found_in_folder)
    skipped = values is None and any(d.code == "I001" for d in diagnostics)
    suppressions = _suppressions(loaded, diagnostics) if lint is not None and not skipped else ()
    if values is None:
        return FileResult(file, tuple(diagnostics), skipped=skipped, suppressions=suppressions)
    scheme = build_scheme(values, file)
    for problem in scheme.problems:
        diagnostics.append(locate_finding(values, file, problem.code, problem.message, problem.path))
    diagnostics.extend(run_rules(rules_in(SCHEME, lint=lint is not None), scheme, file, lambda _: values, lint, loaded.text))
    return FileResult(file, tuple(diagnostics), scheme, values, suppressions=suppressions, usable=True)


def achievement_of(data: FileResult | None) -> tuple[Any, int]:
    """An achievement file's result as the money reads it: its records (None when there is
    no data or it failed the format) and the number of errors found in it."""
    if data is None:
        return None, 0
    errors = sum(1 for d in data.diagnostics if d.severity.value == "error")
    if data.achievement is not None:
        return data.achievement, errors
    if isinstance(data.values, dict):
        from cquin_cli.load.achievement import build_achievement

        return build_achievement(data.values, data.file), errors
    return None, errors


def scheme_file_of(achievement_file: str) -> str:
    """The scheme an achievement file belongs to, by the convention of ``achievement_file_for``."""
    from cquin_cli.load.discovery import ACHIEVEMENT_SUFFIXES, achievement_file_for

    for suffix in ACHIEVEMENT_SUFFIXES:
        if achievement_file.endswith(suffix):
            for ext in (".yaml", ".yml"):
                candidate = achievement_file[: -len(suffix)] + ext
                if achievement_file_for(candidate) == achievement_file:
                    return candidate
    return ""


def check_achievement_file(
    file: str, schemes_by_file: dict[str, Scheme], *, scheme: Scheme | None = None, lint: bool = False
) -> FileResult:
    """Schema-check achievement data, then check it against its scheme (rules E3xx).

    The scheme is the one beside the file by convention (``NAME.achievement.yaml`` belongs
    to ``NAME.yaml``): taken from ``schemes_by_file`` when it was checked in the same run,
    else read here. No scheme file beside it is E301; a scheme that cannot be built has
    its own diagnostics, and the achievement checks are skipped. ``scheme`` names the
    scheme outright (``cquin reconcile --achievement FILE``), whatever the file is called.
    With ``lint`` the `# cquin: allow` suppressions written in it are collected.
    """
    loaded = read_yaml(file)
    values, diagnostics = document_of(loaded, ACHIEVEMENT)
    suppressions = _suppressions(loaded, diagnostics) if lint else ()
    if values is None:
        return FileResult(file, tuple(diagnostics), None, values, suppressions=suppressions)
    result = _achievement_checked(file, values, diagnostics, schemes_by_file, scheme)
    return replace(result, suppressions=suppressions) if suppressions else result


def _achievement_checked(
    file: str, values: Any, diagnostics: list[Diagnostic], schemes_by_file: dict[str, Scheme], scheme: Scheme | None
) -> FileResult:
    import os

    from cquin_cli.load.achievement import SchemeAchievement, build_achievement

    achievement = build_achievement(values, file)
    for problem in achievement.problems:
        diagnostics.append(locate_finding(values, file, problem.code, problem.message, problem.path))
    if scheme is not None:
        return _check_against(file, values, diagnostics, SchemeAchievement(achievement, scheme))
    scheme_file = scheme_file_of(file)
    by_path = {os.path.normpath(f): s for f, s in schemes_by_file.items()}
    scheme = by_path.get(os.path.normpath(scheme_file)) if scheme_file else None
    if scheme is None and scheme_file and os.path.isfile(scheme_file) and os.path.normpath(scheme_file) not in by_path:
        found = check_scheme_file(scheme_file).scheme  # a whole record: check_scheme_file keeps it
        scheme = found if isinstance(found, Scheme) else None
    if scheme is None:
        if not (scheme_file and os.path.isfile(scheme_file)):
            expected = os.path.basename(scheme_file) if scheme_file else "NAME.yaml for NAME.achievement.yaml"
            diagnostics.append(
                locate_finding(values, file, "E301", f"no scheme beside this achievement data: expected {expected}", ())
            )
        return FileResult(file, tuple(diagnostics), None, values, usable=True)
    return _check_against(file, values, diagnostics, SchemeAchievement(achievement, scheme))


def _check_against(file: str, values: Any, diagnostics: list[Diagnostic], subject: Any) -> FileResult:
    from cquin_cli.check.registry import ACHIEVEMENT as ACHIEVEMENT_SCOPE

    diagnostics.extend(run_rules(rules_in(ACHIEVEMENT_SCOPE), subject, file, lambda _: values))
    return FileResult(file, tuple(diagnostics), None, values, achievement=subject.achievement, usable=True)


class ValuesByFile(dict):
    """File -> parsed document; a document not kept (``keep_values=False``) is read again on demand."""

    def __init__(self, results: list[FileResult]):
        super().__init__((r.file, r.values) for r in results)
        self._reread = {r.file for r in results if r.values is None and r.usable}

    def get(self, file: Any, default: Any = None) -> Any:
        if file in self._reread:
            self._reread.discard(file)
            self[file] = read_yaml(file).value
        return super().get(file, default)


def portfolio_diagnostics(results: list[FileResult], *, lint: ConfigFinder | None = None) -> list[Diagnostic]:
    """The portfolio rules across every scheme checked; with ``lint``, the design ones too,
    with the settings of the run's configuration (the one governing the first scheme)."""
    schemes = [r.scheme for r in results if r.scheme is not None]
    if not schemes:
        return []
    first = schemes[0].file
    settings = lint.settings_for(first) if lint is not None else None
    return run_rules(rules_in(PORTFOLIO, lint=lint is not None), schemes, first, ValuesByFile(results).get, settings)


# Below this many files a run is serial (the pool: cquin_cli/pool.py, read at call time so tests can lower them).
PARALLEL_FROM = 64
CHUNK = 32


# A scheme file to check, and the achievement data beside it when the run has it.
Job = tuple[str, "str | None"]


def _lean(result: FileResult, keep_values: bool, keep_schemes: bool, lint: bool) -> FileResult:
    """``result`` as kept by the run: without its values, and with a summary for its scheme, when asked."""
    if keep_values and keep_schemes:
        return result
    scheme = result.scheme
    if not keep_schemes and isinstance(scheme, Scheme):
        scheme = PortfolioSummary.of(scheme) if lint else SchemeSummary(scheme.file, scheme.key)
    values = result.values if keep_values else None
    return replace(result, scheme=scheme, values=values, achievement=result.achievement if keep_values else None)


def _check_chunk(
    jobs: list[Job],
    lint: ConfigFinder | None,
    keep_values: bool,
    keep_schemes: bool = True,
    named: frozenset | None = None,
    derive: Callable[[FileResult, FileResult | None], Any] | None = None,
) -> list[tuple[FileResult, FileResult | None]]:
    """Each scheme file checked, and the achievement data beside it against it, in one process;
    ``derive`` (a function of the two results, importable by name) runs while the scheme's
    record is at hand, and what it returns is kept as the scheme result's ``derived``."""
    out = []
    with collector_paused():
        for file, beside in jobs:
            settings = lint.settings_for(file) if lint is not None else None
            result = check_scheme_file(file, lint=settings, found_in_folder=named is not None and file not in named)
            data = None
            if beside is not None:
                record = {file: result.scheme} if isinstance(result.scheme, Scheme) else {}
                data = check_achievement_file(beside, record, lint=lint is not None)
            if derive is not None and isinstance(result.scheme, Scheme):
                result = replace(result, derived=derive(result, data))
            lean = _lean(result, keep_values, keep_schemes, lint is not None)
            out.append((lean, None if data is None else _lean(data, keep_values, True, False)))
    return out


def _check_jobs(
    jobs: list[Job],
    lint: ConfigFinder | None,
    keep_values: bool,
    keep_schemes: bool,
    named: frozenset[str] | None,
    derive: Callable[[FileResult, FileResult | None], Any] | None = None,
) -> list[tuple[FileResult, FileResult | None]]:
    """:func:`_check_chunk` over every job, in a pool of processes when there are many.

    Results come back in the order of ``jobs`` whatever the pool does (deterministic
    output). Without values kept a run saves about 90 KB a scheme (450 MB for 5,000);
    findings that need them read the few files they point at. A pool that cannot start
    (no ``fork``, a sandbox without semaphores) falls back to the serial path. ``named``
    (from discovery): the files named on the command line; any other file was found in
    a folder, and is skipped (I001) if it is no scheme at all.
    """
    return map_chunks(
        _check_chunk, jobs, lint, keep_values, keep_schemes, named, derive, chunk=CHUNK, parallel_from=PARALLEL_FROM
    )


def _beside(schemes: Iterable[str], achievements: Iterable[str]) -> list[Job]:
    """Each scheme file with the achievement file of the run that belongs to it (:func:`scheme_file_of`)."""
    import os

    belongs = {os.path.normpath(scheme_file_of(a)): a for a in achievements}
    return [(f, belongs.get(os.path.normpath(f))) for f in schemes]


def check_paths(
    paths: list[str] | tuple[str, ...],
    *,
    lint: ConfigFinder | None = None,
    keep_values: bool = True,
    keep_schemes: bool = True,
    exclude: tuple[str, ...] | list[str] = (),
    derive: Callable[[FileResult, FileResult | None], Any] | None = None,
) -> Run:
    """Check every scheme and achievement file under ``paths``.

    ``lint`` (``cquin lint``: where each file's configuration is found) runs the
    design-quality rules too, in the same pass, each file with its own settings.
    Achievement data is checked against its scheme where the scheme was checked.

    ``keep_values=False`` lets a large run forget each parsed document once it is
    checked; ``FileResult.values`` (and an achievement file's records) are then ``None``,
    and a finding that needs them reads the file again. ``keep_schemes=False`` keeps a
    :class:`SchemeSummary` of each scheme rather than its records (``cquin validate``,
    ``export``), or with ``lint`` a :class:`PortfolioSummary` (``cquin lint``, ``report``).
    ``derive(scheme_result, achievement_result)`` runs in the worker while the records are
    at hand (a module-level function, or a ``functools.partial`` of one: it is sent to the
    workers by name), and its result is the scheme result's ``derived``: a command keeps
    only what it prints (docs/architecture.md, "A portfolio streams").
    """
    found = discover(paths, exclude)
    pairs = _check_jobs(_beside(found.schemes, found.achievements), lint, keep_values, keep_schemes, found.named, derive)
    results = [r for r, _ in pairs]
    checked = {data.file: data for _, data in pairs if data is not None}
    # achievement data with no scheme of the run beside it: checked against the one on disk, or E301
    results += [checked.get(f) or check_achievement_file(f, {}, lint=lint is not None) for f in found.achievements]
    from cquin_cli.check.local_rulebook import local_rulebook_problems

    diagnostics = list(found.diagnostics) + local_rulebook_problems(found.schemes)  # each local rulebook's once
    for r in results:
        diagnostics.extend(r.diagnostics)
    diagnostics.extend(portfolio_diagnostics(results, lint=lint))
    skipped = {r.file for r in results if r.skipped}
    return Run(
        files=tuple(f for f in found.schemes + found.achievements if f not in skipped),
        results=tuple(results),
        diagnostics=tuple(sort_diagnostics(diagnostics)),
    )
