"""The rules of a scheme's year, and where each fact came from.

The year's facts are cquin's rulebook (:mod:`cquin_cli.rulebook`) with, on top, the
repository's local rulebook when its configuration names one (:mod:`cquin_cli.check.local_rulebook`).
Every rule and every output asks here, never the shipped rulebook alone, so a fact a
repository supplies (with its source) is used everywhere, and named where it is used.
"""

from __future__ import annotations

from cquin_cli.money import format_percent
from cquin_cli.rulebook import BASE_KINDS, ON_ACCOUNT, PAID_IN_FULL, PAYMENT_MODES, HeldBackPart, PaymentMode, Year, year

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from cquin_cli.load.scheme import Scheme

# Sectors whose providers are not NHS bodies (2020/21: paid in full while CQUIN was suspended).
NON_NHS_SECTORS = frozenset({"independent_sector"})

# How an output names a rate the scheme sources itself (``rate_source``); cquin import reads it back.
OWN_SOURCE = "the scheme's own source: "

HOW_TO_SUPPLY = (
    'a local rulebook (`rulebook = "path"` under [tool.cquin] in pyproject.toml, or in .cquin.toml), '
    "each fact as its `value` with its `source`"
)


def rules_for(scheme: Scheme) -> Year | None:
    """The facts of the scheme's year: cquin's rulebook with the local rulebook over it."""
    return rules_of_year(scheme.financial_year, scheme.file)


def rules_of_year(financial_year: str, file: str) -> Year | None:
    """The facts of ``financial_year`` for a scheme at ``file`` (any path in its folder):
    cquin's rulebook with the local rulebook that governs the file over it."""
    from cquin_cli.check.local_rulebook import local_rulebook_for

    shipped = year(financial_year)
    local = local_rulebook_for(file)
    added = local.years.get(financial_year) if local is not None else None
    if not added:
        return shipped
    return (shipped or Year(financial_year, {})).with_facts(added)


def payment_mode(scheme: Scheme) -> PaymentMode:
    """How the scheme's year pays (:data:`cquin_cli.rulebook.PAYMENT_MODES`): on account unless its rules say otherwise."""
    rules = rules_for(scheme)
    if rules is None:
        return PAYMENT_MODES[ON_ACCOUNT]
    if paid_in_full(scheme, rules):
        return PAYMENT_MODES[PAID_IN_FULL]
    return rules.payment_mode


def paid_in_full(scheme: Scheme, rules: Year | None = None) -> bool:
    """A non-NHS provider's scheme in a suspended year whose providers were paid in full (2020/21)."""
    rules = rules if rules is not None else rules_for(scheme)
    return rules is not None and rules.suspended and bool(rules.get("non_nhs_paid_in_full")) and not is_nhs_provider(scheme)


def payment_origin(scheme: Scheme) -> str:
    """Where the scheme's payment mode came from: the year's fact with its source, else the 2009/10 guidance."""
    rules = rules_for(scheme)
    if rules is not None and paid_in_full(scheme, rules):
        return rules.source("non_nhs_paid_in_full")
    if rules is None or not rules.has("payment_mode"):
        return "guidance ¶65"
    return rules.source("payment_mode")


def held_back_parts(scheme: Scheme) -> tuple[HeldBackPart, ...]:
    """The parts the scheme's year holds back (2017/18, 2018/19: STP engagement and the risk reserve)."""
    rules = rules_for(scheme)
    return () if rules is None else rules.held_back


def is_nhs_provider(scheme: Scheme) -> bool:
    return scheme.provider.sector not in NON_NHS_SECTORS


def rate_origin(scheme: Scheme) -> str:
    """Where the scheme's rate came from, in words: the year's rule and its source, the
    agreed reason for another rate, or the scheme's own ``rate_source``."""
    rules = rules_for(scheme)
    rate = format_percent(scheme.rate)
    if rules is not None and rules.rate is not None:
        if scheme.rate == rules.rate:
            return f"the national rate for {scheme.financial_year} ({rules.source('rate')})"
        if scheme.rate_reason.strip():
            return f"agreed locally instead of the national {format_percent(rules.rate)}: {scheme.rate_reason.strip()}"
    if rules is not None and rules.maximum_rate is not None and scheme.rate <= rules.maximum_rate:
        return (
            f"within the {scheme.financial_year} rate of at most {format_percent(rules.maximum_rate)} "
            f"({rules.source('maximum_rate')})"
        )
    if scheme.rate_source.strip():
        return f"{OWN_SOURCE}{scheme.rate_source.strip()}"
    if scheme.rate_reason.strip():
        return f"agreed locally: {scheme.rate_reason.strip()}"
    return f"{rate} as written in the scheme (no source confirms the {scheme.financial_year} rate)"


def base_origin(scheme: Scheme) -> str:
    """The base the scheme's rate applies to, with its definition and where it came from:
    the kind the scheme names (``base_kind``), else the year's own; "" when neither names one."""
    rules = rules_for(scheme)
    year_kind = "" if rules is None else rules.base_kind
    kind = scheme.base_kind or year_kind
    if not kind:
        return ""
    definition = BASE_KINDS.get(kind, kind)
    if kind == year_kind:
        return f"{definition}, the base of {scheme.financial_year} ({rules.source('base_kind') if rules else ''})"
    return f"{definition}, as the scheme says"
