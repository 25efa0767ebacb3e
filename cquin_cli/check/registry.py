"""The explicit rule registry (STYLE.md §5; yamllint ``rules/__init__.py``, cfn-lint ``_rule.py``).

Every code cquin can report is a :class:`Rule` here, including the ones whose check
lives elsewhere (the YAML reader, the JSON Schema), so that ``cquin rules`` and
``cquin explain`` cover everything a user can see. A rule module holds one rule: its
docstring is its documentation, ``PASSING`` and ``FAILING`` are examples (changes to the
worked example that the tests run through the rule: :mod:`cquin_cli.check.examples`), and its
``check`` yields :class:`Finding` values with a document path; the pipeline locates them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from cquin_cli.diagnostics import Severity, severity_of

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

# Scopes: where a rule's check runs.
FILE = "file"  # the YAML reader (cannot parse)
SCHEMA = "schema"  # the JSON Schema
SCHEME = "scheme"  # one scheme
PORTFOLIO = "portfolio"  # all schemes checked together
ACHIEVEMENT = "achievement"  # achievement data against its scheme
CONFIG = "config"  # configuration and suppressions


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: a code, a message and a document path (never a position)."""

    code: str
    message: str
    path: tuple[Any, ...] = ()
    file: str | None = None  # for portfolio rules: which file; defaults to the scheme's
    related: tuple[tuple[str, tuple[Any, ...]], ...] = ()  # (file, path) of the other place(s)
    offset: int | None = None  # a character of the value at ``path``: the finding points at it


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    title: str
    source: str
    scope: str
    doc: str
    passing: str = ""
    failing: str = ""
    check: Callable[..., Iterable[Finding]] | None = None
    lint_only: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return severity_of(self.code)


# One module per rule under cquin_cli/check/rules/, listed here explicitly: first the
# rules `cquin validate` runs or reports, then `cquin lint`'s own (LINT_RULE_MODULES),
# which are imported only when linting or listing every rule.
VALIDATE_RULE_MODULES = (
    "e0_cannot_read",
    "e1_scheme_format",
    "e111_fill_in",
    "e201_four_domains",
    "e202_weightings",
    "e203_one_scheme_per_provider",
    "e204_national_rate",
    "w205_rate_reason",
    "e206_commissioner_shares",
    "e207_quality_improvement_plan",
    "e208_payment_arrangement",
    "w209_agreement_date",
    "e210_indicator_specification",
    "e211_milestones",
    "e212_threshold_order",
    "e213_unique_numbers",
    "e214_rulebook_year",
    "e215_positive_base",
    "w216_invisible_character",
    "e217_lineage",
    "e218_year_in_force",
    "w219_suspended_paid_in_full",
    "e220_rate_source",
    "e221_indicator_limit",
    "e222_equal_weighting",
    "e223_contract_size",
    "e224_national_indicator_id",
    "e225_required_national_goals",
    "e226_national_minimum_value",
    "e227_base_kind",
    "e228_paid_in_advance",
    # achievement data against its scheme (`cquin validate`, `cquin reconcile`)
    "e301_achievement_scheme",
    "e302_measurement_kind",
    "e303_unknown_indicator",
    "e304_checkpoint_month",
    "e305_measured_twice",
    "e306_achievement_scheme_key",
    "e307_adjustment_order",
    "e308_adjustment_sums",
    "e309_held_back_outcome",
    "e310_separate_incentive_outcome",
    # a local rulebook (`cquin validate`, `cquin lint`, `cquin price`)
    "e506_local_rulebook",
)
LINT_RULE_MODULES = (
    # design quality (DOMAIN.md §6): `cquin lint` only
    "w401_all_or_nothing",
    "w402_not_stretching",
    "w403_too_many_indicators",
    "w404_indicator_value",
    "w405_process_outcome_link",
    "w406_established_indicator",
    "w407_patient_reported",
    "w408_under_reporting",
    "w409_clinical_agreement",
    "w410_equality",
    "w411_innovation_adoption",
    "w412_contractual_requirement",
    "w413_unequal_stretch",
    "w414_paid_twice",
    "w415_four_domains",
    # configuration and suppressions (`cquin lint`)
    "e5_configuration",
)
RULE_MODULES = VALIDATE_RULE_MODULES + LINT_RULE_MODULES

# Modules added by later capabilities (lint, achievement data, configuration) register here.
EXTRA_RULE_MODULES: list[str] = []


def _dedent(text: str) -> str:
    """``textwrap.dedent`` for the space-indented texts of rule modules (textwrap costs a
    one-file run 1 ms to import): the common indent of the lines that hold text is cut,
    and lines of only spaces become empty."""
    lines = text.split("\n")
    margin = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return "\n".join(line[margin:] if line.strip() else "" for line in lines)


def _rules_of(module: Any) -> list[Rule]:
    rules = getattr(module, "RULES", None)
    if rules is not None:
        return list(rules)
    doc = _dedent(module.__doc__ or "").strip()
    return [
        Rule(
            code=module.CODE,
            title=module.TITLE,
            source=module.SOURCE,
            scope=module.SCOPE,
            doc=doc,
            passing=_dedent(getattr(module, "PASSING", "")).strip("\n"),
            failing=_dedent(getattr(module, "FAILING", "")).strip("\n"),
            check=getattr(module, "check", None),
            lint_only=getattr(module, "LINT_ONLY", False),
            options=dict(getattr(module, "OPTIONS", {})),
        )
    ]


# The rules of the modules imported so far, by code in code order. It is one dict that
# grows: `cquin validate` imports only VALIDATE_RULE_MODULES (the lint modules cost a
# 1-file run about 10 ms), and whoever needs every rule gets the same dict, complete.
_registry: dict[str, Rule] = {}
_imported: set[str] = set()


def _registered(names: tuple[str, ...]) -> dict[str, Rule]:
    missing = [name for name in names if name not in _imported]
    if missing:
        for name in missing:
            module = importlib.import_module(f"cquin_cli.check.rules.{name}")
            for rule in _rules_of(module):
                if rule.code in _registry:
                    raise RuntimeError(f"rule code {rule.code} is registered twice")
                _registry[rule.code] = rule
            _imported.add(name)
        ordered = sorted(_registry.items(), key=lambda kv: (kv[0][1:], kv[0]))
        _registry.clear()
        _registry.update(ordered)
    return _registry


def all_rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    return _registered((*RULE_MODULES, *EXTRA_RULE_MODULES))


def validate_rules() -> dict[str, Rule]:
    """At least every rule ``cquin validate`` runs or reports (all of them once something
    has asked for every rule), by code in code order."""
    return _registered((*VALIDATE_RULE_MODULES, *EXTRA_RULE_MODULES))


def rule(code: str) -> Rule | None:
    code = code.upper()
    found = validate_rules().get(code)
    return found if found is not None else all_rules().get(code)


def rules_in(scope: str, *, lint: bool = False) -> list[Rule]:
    rules = all_rules() if lint else validate_rules()
    return [r for r in rules.values() if r.scope == scope and r.check is not None and (lint or not r.lint_only)]


def bound_check(rule: Rule, options: Mapping[str, Any] | None = None) -> Callable[[Any], Iterable[Finding]]:
    """The rule's check with its options: the module's ``OPTIONS`` defaults, overridden by ``options``.

    A rule with options is written ``check(subject, options=OPTIONS)``, so the pipeline's
    one-argument call runs it with its defaults; ``cquin lint`` binds configured values here.
    Only rules with a check are run (:func:`rules_in`).
    """
    check = rule.check
    if check is None:
        raise ValueError(f"rule {rule.code} has no check to run")
    if not rule.options:
        return check
    merged = {**rule.options, **(options or {})}
    return lambda subject: check(subject, merged)
