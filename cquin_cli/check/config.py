"""``cquin lint`` configuration: ``.cquin.toml`` or ``[tool.cquin]`` in ``pyproject.toml``.

Found by walking up from each linted file's folder: in each folder ``.cquin.toml``
first (its top-level keys are the configuration), then a ``pyproject.toml`` that has
a ``[tool.cquin]`` table (one without it is passed over, as ruff and black do). The walk
stops at the first configuration found, or after the folder that holds ``.git`` (the
repository root), or at the file-system root. ``--config FILE`` replaces the search.

The keys (docs/lint.md)::

    strict = true                       # warnings fail, as --strict
    rulebook = "rulebook.yaml"          # a local rulebook: years' facts with their sources
    disable = ["W403"]                  # rules not run
    [severity]  W409 = "error"          # error | warning | info
    [options.W404]  minimum_value = "7500.00"
    [per-path."community/*.yaml"]       # glob, relative to the configuration's folder
    disable = ["W406"]                  # (disable, severity and options, as above)

Every key is checked: an unknown key or rule code, a value of the wrong type, or an
attempt to switch off a framework error becomes a diagnostic (E501-E505) located in
the configuration file, never an exception. Values are read with ``parse_float=Decimal``
so a threshold such as ``max_ratio = 1.5`` is the exact decimal written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cquin_cli.diagnostics import Diagnostic, Location, Severity, make
from cquin_cli.money import ungroup_thousands

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: the local rulebook is looked up on every validate
    from collections.abc import Mapping
    from typing import Any

CONFIG_NAMES = (".cquin.toml", "pyproject.toml")
SEVERITIES = {s.value: s for s in Severity}
TOP_KEYS = ("strict", "rulebook", "disable", "severity", "options", "per-path")
PATH_KEYS = ("disable", "severity", "options")


@dataclass(frozen=True, slots=True)
class Settings:
    """What applies to one file: rules switched off, severities changed, rule options."""

    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def merged(self, other: Settings) -> Settings:
        """``other`` on top of these settings (a per-path block over the base)."""
        options = {code: dict(values) for code, values in self.options.items()}
        for code, values in other.options.items():
            options.setdefault(code, {}).update(values)
        return Settings(self.disable | other.disable, {**self.severity, **other.severity}, options)


@dataclass(frozen=True, slots=True)
class PathSettings:
    pattern: str
    regex: re.Pattern
    settings: Settings


@dataclass(frozen=True, slots=True)
class Config:
    file: str | None = None  # None: no configuration found, the defaults
    base: Settings = Settings()
    per_path: tuple[PathSettings, ...] = ()
    strict: bool = False
    problems: tuple[Diagnostic, ...] = ()
    rulebook: str | None = None  # the local rulebook's path, from the configuration's folder
    rulebook_line: int = 1  # where ``rulebook = ...`` is written

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.file)) if self.file else os.getcwd()

    def settings_for(self, file: str) -> Settings:
        """The base settings with every matching per-path block applied, in the order written."""
        settings = self.base
        relative = os.path.relpath(os.path.abspath(file), self.folder).replace(os.sep, "/")
        for block in self.per_path:
            if block.regex.fullmatch(relative):
                settings = settings.merged(block.settings)
        return settings


DEFAULT = Config()


def glob_regex(pattern: str) -> re.Pattern:
    """A path glob: ``*`` and ``?`` stay inside one folder, ``**`` spans folders.

    A pattern with no ``/`` matches a file name in any folder (as in ``.gitignore``);
    a folder name alone matches everything under it.
    """
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?")


# --- finding a configuration ----------------------------------------------------------


def _has_tool_cquin(text: str) -> bool:
    return (
        re.search(r"^\s*\[\s*tool\s*\.\s*cquin\s*[\].]", text, re.M) is not None
        or re.search(r"^\s*tool\s*\.\s*cquin\s*[.=]", text, re.M) is not None
    )


def find_config_file(start: str) -> str | None:
    """The nearest configuration above ``start`` (a file or a folder), or None."""
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for here in (folder, *folder.parents):
        candidate = here / ".cquin.toml"
        if candidate.is_file():
            return str(candidate)
        candidate = here / "pyproject.toml"
        if candidate.is_file():
            try:
                if _has_tool_cquin(candidate.read_text(encoding="utf-8")):
                    return str(candidate)
            except (OSError, UnicodeDecodeError):
                return str(candidate)  # unreadable: load_config reports it
        if (here / ".git").exists():
            return None
    return None


# --- reading and checking one ---------------------------------------------------------


class _Checker:
    """Turns the TOML tables into :class:`Config`, collecting problems located by line."""

    def __init__(self, file: str, text: str, prefix: tuple[str, ...]) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.prefix = prefix
        self.problems: list[Diagnostic] = []

    # Where a key is written: TOML gives no positions, so look for the key's table
    # header, then the key inside it (or a dotted key). Good enough to point at it.
    def line_of(self, table: tuple[str, ...], key: str | None = None) -> int:
        full = self.prefix + table
        start = 0
        if full:
            header = re.compile(r"^\s*\[\[?\s*" + r"\s*\.\s*".join(_key_pattern(k) for k in full) + r"\s*\]\]?\s*(#.*)?$")
            for n, line in enumerate(self.lines):
                if header.match(line):
                    start = n
                    break
            else:
                # the table may be written inline or as dotted keys under its parent
                if len(full) > 1:
                    return self.line_of(table[:-1], table[-1]) if table else 1
        if key is None:
            return start + 1
        pattern = re.compile(r"^\s*(?:[\w\"'.-]+\s*\.\s*)*" + _key_pattern(key) + r"\s*[=.]")
        inline = re.compile(r"[{,]\s*" + _key_pattern(key) + r"\s*=")
        for n in range(start, len(self.lines)):
            line = self.lines[n]
            if n > start and full and re.match(r"^\s*\[", line):
                break
            if pattern.match(line) or inline.search(line):
                return n + 1
        return start + 1

    def problem(self, code: str, message: str, table: tuple[str, ...], key: str | None = None) -> None:
        self.problems.append(make(code, message, Location(self.file, self.line_of(table, key), 1)))

    def where(self, table: tuple[str, ...], key: str | None = None) -> str:
        name = ".".join((*self.prefix, *table))
        if key is None:
            return f"[{name}]" if name else "the configuration"
        return f"`{key}` in [{name}]" if name else f"`{key}`"

    # --- the keys ---

    def rule_code(self, code: Any, table: tuple[str, ...], key: str | None) -> str | None:
        from cquin_cli.check.registry import all_rules

        text = str(code).strip().upper()
        if text not in all_rules():
            self.problem("E503", f"unknown rule code {code!r} in {self.where(table)}; `cquin rules` lists the codes", table, key)
            return None
        return text

    def settings(self, raw: Mapping[str, Any], table: tuple[str, ...], allowed: tuple[str, ...]) -> Settings:
        from cquin_cli.check.registry import all_rules

        for key in raw:
            if key not in allowed:
                self.problem("E502", f"unknown key {key!r} in {self.where(table)}; the keys are {', '.join(allowed)}", table, key)
        disable: set[str] = set()
        raw_disable = raw.get("disable", [])
        if not isinstance(raw_disable, list):
            self.problem("E504", f'{self.where(table, "disable")} must be a list of rule codes, e.g. ["W403"]', table, "disable")
            raw_disable = []
        for code in raw_disable:
            found = self.rule_code(code, table, "disable")
            if found is None:
                continue
            if not _may_lower(found):
                self.problem("E505", f"{found} is {_why_fixed(found)} and cannot be disabled", table, "disable")
                continue
            disable.add(found)
        severity: dict[str, Severity] = {}
        raw_severity = raw.get("severity", {})
        if not isinstance(raw_severity, dict):
            self.problem(
                "E504",
                f'{self.where(table, "severity")} must be a table of rule code = "error" | "warning" | "info"',
                table,
                "severity",
            )
            raw_severity = {}
        for code, level in raw_severity.items():
            found = self.rule_code(code, table + ("severity",), code)
            if found is None:
                continue
            if not isinstance(level, str) or level.lower() not in SEVERITIES:
                self.problem(
                    "E504", f"severity {level!r} for {found}: choose error, warning or info", table + ("severity",), code
                )
                continue
            chosen = SEVERITIES[level.lower()]
            if chosen.rank > all_rules()[found].severity.rank and not _may_lower(found):
                self.problem(
                    "E505", f"{found} is {_why_fixed(found)} and cannot be lowered to {chosen.value}", table + ("severity",), code
                )
                continue
            severity[found] = chosen
        options: dict[str, dict[str, Any]] = {}
        raw_options = raw.get("options", {})
        if not isinstance(raw_options, dict):
            self.problem(
                "E504", f"{self.where(table, 'options')} must be a table of rule code = {{option = value}}", table, "options"
            )
            raw_options = {}
        for code, values in raw_options.items():
            found = self.rule_code(code, table + ("options",), code)
            if found is None:
                continue
            defaults = all_rules()[found].options
            if not isinstance(values, dict):
                self.problem("E504", f"options for {found} must be a table, e.g. [options.{found}]", table + ("options",), code)
                continue
            for name, value in values.items():
                otable = table + ("options", code)
                if name not in defaults:
                    known = ", ".join(defaults) if defaults else "none"
                    self.problem("E502", f"{found} has no option {name!r}; its options: {known}", otable, name)
                    continue
                checked = _option_value(defaults[name], value)
                if isinstance(checked, _Bad):
                    self.problem("E504", f"option {name} of {found}: {checked.reason}", otable, name)
                    continue
                options.setdefault(found, {})[name] = checked
        return Settings(frozenset(disable), severity, options)

    def config(self, raw: Mapping[str, Any]) -> Config:
        base = self.settings(raw, (), TOP_KEYS)
        strict = raw.get("strict", False)
        if not isinstance(strict, bool):
            self.problem("E504", f"{self.where((), 'strict')} must be true or false", (), "strict")
            strict = False
        rulebook = raw.get("rulebook")
        if rulebook is not None and not (isinstance(rulebook, str) and rulebook.strip()):
            self.problem(
                "E504", f'{self.where((), "rulebook")} must be the path of a local rulebook, e.g. "rulebook.yaml"', (), "rulebook"
            )
            rulebook = None
        per_path = []
        raw_paths = raw.get("per-path", {})
        if not isinstance(raw_paths, dict):
            self.problem("E504", f'{self.where((), "per-path")} must be a table of "glob" = {{settings}}', (), "per-path")
            raw_paths = {}
        for pattern, block in raw_paths.items():
            table = ("per-path", pattern)
            if not isinstance(block, dict):
                self.problem("E504", f"the settings for path {pattern!r} must be a table", ("per-path",), pattern)
                continue
            per_path.append(PathSettings(pattern, glob_regex(pattern), self.settings(block, table, PATH_KEYS)))
        return Config(
            self.file,
            base,
            tuple(per_path),
            strict,
            tuple(self.problems),
            rulebook=rulebook.strip() if rulebook else None,
            rulebook_line=self.line_of((), "rulebook") if rulebook else 1,
        )


def _key_pattern(key: str) -> str:
    return r"(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key) + r"')"


def _may_lower(code: str) -> bool:
    """Warnings and information may be disabled or lowered; errors may not (DOMAIN.md §1: CI stops them)."""
    return code[0] in "WI"


def _why_fixed(code: str) -> str:
    return "an error (errors stop a merge: they are fixed, not configured away)"


@dataclass(frozen=True, slots=True)
class _Bad:
    reason: str


def _option_value(default: Any, value: Any) -> Any:
    """A configured option value, of its default's type, or :class:`_Bad`."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else _Bad(f"expected true or false, not {value!r}")
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return _Bad(f"expected a whole number, not {value!r}")
        return value if value >= 0 else _Bad(f"expected a number of 0 or more, not {value}")
    if isinstance(default, Decimal):
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
            return _Bad(f"expected a number (write money as a whole number or a quoted decimal), not {value!r}")
        try:
            number = Decimal(ungroup_thousands(str(value).strip().lstrip("£")))
        except InvalidOperation:
            return _Bad(f"{value!r} is not a number")
        if not number.is_finite() or number < 0:
            return _Bad(f"expected a number of 0 or more, not {value!r}")
        exponent = number.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if default.as_tuple().exponent == -2 and places > 2:
            return _Bad(f"{value!r} has more than two decimal places; money is to the penny")
        return number
    if isinstance(default, str):
        return value if isinstance(value, str) else _Bad(f"expected text, not {value!r}")
    return value


def load_config(file: str) -> Config:
    """Read and check one configuration file; problems are diagnostics in ``Config.problems``."""
    import tomllib

    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(file, problems=(make("E501", "the configuration file does not exist", Location(file)),))
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        return Config(file, problems=(make("E501", f"the configuration file cannot be read: {reason}", Location(file)),))
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        return Config(
            file, problems=(make("E501", f"the configuration is not valid TOML: {message}", Location(file, line, column)),)
        )
    if os.path.basename(file) == "pyproject.toml":
        raw = document.get("tool", {}).get("cquin", {})
        prefix: tuple[str, ...] = ("tool", "cquin")
        if not isinstance(raw, dict):
            return Config(file, problems=(make("E504", "[tool.cquin] must be a table", Location(file)),))
    else:
        raw, prefix = document, ()
    return _Checker(file, text, prefix).config(raw)


class ConfigFinder:
    """The configuration for each file: ``--config`` if given, else the nearest one, read once."""

    def __init__(self, explicit: str | None = None) -> None:
        self.explicit = load_config(explicit) if explicit else None
        self._by_folder: dict[str, Config] = {}
        self._by_file: dict[str, Config] = {}
        self._settings: dict[str, Settings] = {}

    def settings_for(self, file: str) -> Settings:
        """The settings that govern ``file``: its configuration, with any per-path block applied."""
        settings = self._settings.get(file)
        if settings is None:
            settings = self._settings[file] = self.for_file(file).settings_for(file)
        return settings

    def for_file(self, file: str) -> Config:
        if self.explicit is not None:
            return self.explicit
        folder = os.path.dirname(os.path.abspath(file))
        if folder not in self._by_folder:
            found = find_config_file(folder)
            if found is None:
                self._by_folder[folder] = DEFAULT
            else:
                if found not in self._by_file:
                    self._by_file[found] = load_config(found)
                self._by_folder[folder] = self._by_file[found]
        return self._by_folder[folder]

    @property
    def loaded(self) -> list[Config]:
        """Every configuration read, each once (for their problems), in a stable order."""
        configs = [self.explicit] if self.explicit is not None else [self._by_file[f] for f in sorted(self._by_file)]
        return [c for c in configs if c is not None]
