"""A repository's local rulebook: years' facts no public source confirmed for cquin, each with its source.

DOMAIN.md §7: a fact cquin's rulebook does not ship (the 2011/12 rate, the 2017-19
total) is added by the repository that knows it, with where it is written. The
configuration that governs a scheme (``.cquin.toml``, or ``[tool.cquin]`` in
``pyproject.toml``, found as :mod:`cquin_cli.check.config` finds it) names the file::

    rulebook = "rulebook.yaml"          # relative to the configuration's folder

and the file (YAML; JSON is YAML too) holds facts by year, in the shape of cquin's own::

    years:
      2011/12:
        rate:
          value: 1.5%
          source: The Operating Framework for the NHS in England 2011/12, paragraph 4.31

A fact given here adds to or overrides cquin's for that year, for every scheme the
configuration governs. Every entry is checked: an unknown year or fact, a value of the
wrong kind, or a fact without its ``source`` is error E506 at the entry's line and
column, and the entry is not used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cquin_cli.diagnostics import Diagnostic, Location, make
from cquin_cli.rulebook import FACTS, Fact, fact_problem, is_financial_year

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

CODE = "E506"
TOP = ("years",)
FACT_KEYS = ("value", "source")


@dataclass(frozen=True, slots=True)
class LocalRulebook:
    file: str
    years: dict[str, dict[str, Fact]]
    problems: tuple[Diagnostic, ...] = ()


def _shown(path: str) -> str:
    """The file as a user names it: relative to the working folder when it is under it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _did_you_mean(word: str, known: list[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(word, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Reader:
    def __init__(self, file: str, values: Any, name: str) -> None:
        self.file = file
        self.values = values
        self.name = name
        self.problems: list[Diagnostic] = []

    def problem(self, message: str, path: tuple[Any, ...]) -> None:
        from cquin_cli.load.locator import locate

        line, column = locate(self.values, path)
        self.problems.append(make(CODE, message, Location(_shown(self.file), line, column, path), source="DOMAIN.md §7"))

    def read(self) -> dict[str, dict[str, Fact]]:
        values = self.values
        if not isinstance(values, dict):
            self.problem("a local rulebook is a mapping with `years`: facts by financial year", ())
            return {}
        for key in values:
            if key not in TOP:
                self.problem(
                    f"unknown key {key!r} in the local rulebook; it holds `years`{_did_you_mean(str(key), list(TOP))}", (key,)
                )
        years = values.get("years")
        if years is None:
            self.problem("the local rulebook has no `years`: facts by financial year, e.g. years: {2011/12: {rate: ...}}", ())
            return {}
        if not isinstance(years, dict):
            self.problem("`years` is a mapping of financial years (2011/12) to their facts", ("years",))
            return {}
        out: dict[str, dict[str, Fact]] = {}
        origin = f"local rulebook {self.name}"
        for name, facts in years.items():
            where: tuple[Any, ...] = ("years", name)
            if not (isinstance(name, str) and is_financial_year(name)):
                self.problem(f"{name!r} is not a financial year; write it like 2011/12", where)
                continue
            if not isinstance(facts, dict):
                self.problem(f"the facts of {name} are a mapping of fact names, e.g. rate: {{value: 1.5%, source: ...}}", where)
                continue
            for fact_name, fact in facts.items():
                read = self.fact(str(fact_name), fact, (*where, fact_name), origin)
                if read is not None:
                    out.setdefault(name, {})[str(fact_name)] = read
        return out

    def fact(self, name: str, fact: Any, where: tuple[Any, ...], origin: str) -> Fact | None:
        if name not in FACTS:
            self.problem(
                f"unknown fact {name!r}{_did_you_mean(name, list(FACTS))} (the facts: {', '.join(FACTS)})",
                where,
            )
            return None
        if not isinstance(fact, dict):
            self.problem(f"the fact {name} is written with its value and its source: {name}: {{value: ..., source: ...}}", where)
            return None
        bad = False
        for key in fact:
            if key not in FACT_KEYS:
                self.problem(f"unknown key {key!r} in the fact {name}; a fact has `value` and `source`", (*where, key))
                bad = True
        source = fact.get("source")
        if not (isinstance(source, str) and source.strip()):
            self.problem(
                f"the fact {name} has no `source`: say where it is written (the document, its address or paragraph)",
                (*where, "source") if "source" in fact else where,
            )
            bad = True
        if "value" not in fact:
            self.problem(f"the fact {name} has no `value`", where)
            return None
        value = fact["value"]
        if FACTS[name].kind == "money" and not isinstance(value, (bool, float)):
            value = str(value)
        why = fact_problem(name, value)
        if why is not None:
            shown = value if isinstance(value, str) else json_text(value)
            self.problem(f"the value of {name} is {shown}; {name} is {why}", (*where, "value"))
            return None
        if bad:
            return None
        return Fact(value, str(source).strip(), origin)


def json_text(value: Any) -> str:
    """A YAML value as it reads (``1.5``, ``true``, ``[6, 9]``), not as Python shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    if value is None:
        return "null"
    return str(value)


def read_local_rulebook(file: str, name: str | None = None) -> LocalRulebook:
    """Read and check one local rulebook file; its problems are located diagnostics.
    ``name``: the file as the configuration names it, which is how its facts cite it."""
    from cquin_cli.load.yaml_reader import read_yaml

    loaded = read_yaml(file)
    problems = [make(w.code, w.message, Location(file, w.line, w.column)) for w in loaded.warnings]
    if loaded.error is not None:
        e = loaded.error
        problems.append(make(e.code, e.message, Location(file, e.line, e.column)))
        return LocalRulebook(file, {}, tuple(problems))
    reader = _Reader(file, loaded.value, name or _shown(file))
    years = reader.read()
    return LocalRulebook(file, years, tuple(problems + reader.problems))


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


# Read once per run, and again only when a file changes (tests run many commands in one process).
_by_folder: dict[str, str | None] = {}
_by_config: dict[str, tuple[Any, LocalRulebook | None]] = {}


def _local_rulebook_of_config(config_file: str) -> LocalRulebook | None:
    from cquin_cli.check.config import load_config

    config = load_config(config_file)
    if config.rulebook is None:
        return None
    path = os.path.join(config.folder, config.rulebook)
    if not os.path.isfile(path):
        missing = make(
            CODE,
            f"the local rulebook {config.rulebook!r} named here does not exist"
            + ("" if _shown(path) == config.rulebook else f" (looked for {_shown(path)})"),
            Location(_shown(config_file), config.rulebook_line, 1),
            source="DOMAIN.md §7",
        )
        return LocalRulebook(path, {}, (missing,))
    return read_local_rulebook(path, config.rulebook)


def local_rulebook_for(file: str) -> LocalRulebook | None:
    """The local rulebook that governs ``file`` (a scheme), read once per configuration; None if there is none."""
    folder = os.path.dirname(os.path.abspath(file))
    if folder not in _by_folder:
        from cquin_cli.check.config import find_config_file

        _by_folder[folder] = find_config_file(folder)
    config_file = _by_folder[folder]
    if config_file is None:
        return None
    cached = _by_config.get(config_file)
    if cached is not None:
        stamps, local = cached
        if stamps == (_stamp(config_file), _stamp(local.file) if local is not None else None):
            return local
    local = _local_rulebook_of_config(config_file)
    _by_config[config_file] = ((_stamp(config_file), _stamp(local.file) if local is not None else None), local)
    return local


def local_rulebook_problems(files: list[str] | tuple[str, ...]) -> list[Diagnostic]:
    """The problems of every local rulebook governing ``files``, each rulebook's once."""
    seen: set[str] = set()
    out: list[Diagnostic] = []
    for file in files:
        local = local_rulebook_for(file)
        if local is not None and local.file not in seen:
            seen.add(local.file)
            out.extend(local.problems)
    return out
