"""The rulebook by financial year (DOMAIN.md §7), as data shipped in the package.

``rulebook.json`` holds one entry per year, 2009/10 to 2024/25, and each entry holds
only the facts a public source confirms, each ``{"value": ..., "source": [...]}``; a
source is an id of the file's ``sources`` table (``"S45"``, ``"guidance ¶38"``) with any
detail after it. A fact no source confirms (the 2011/12 rate, the 2017-19 total) is
absent, never guessed: a scheme records it with its own source (``rate`` with
``rate_source``), or a repository adds it in a local rulebook
(:mod:`cquin_cli.check.year_rules`), and every fact remembers where it came from.

What a year changes is data read by named mechanics, never ``if year == ...``: the
facts a rule reads are listed in :data:`FACTS` with their kind, and a rule asks a
:class:`Year` for a fact by name (``max_national_indicators``, ``status``...).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from cquin_cli.money import money, percentage

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

SHIPPED = "cquin's rulebook"

# The statuses of a year (DOMAIN.md §7): CQUIN in force, suspended (2020/21), no
# scheme at all (2021/22), or a pause proposed and not confirmed (2024/25).
STATUSES = {
    "in_force": "in force",
    "suspended": "suspended",
    "no_scheme": "no scheme",
    "pause_proposed": "a pause proposed (not confirmed)",
}


# How the year pays (DOMAIN.md §7): on account and reconciled at checkpoints (guidance ¶65-66),
# or the whole value in advance with under-achievement deducted or clawed back (2022/23,
# 2023/24). A year names its mode in the fact ``payment_mode``; each mode is a named
# mechanic that pricing, reconciliation and the workbook read, never the year itself.
@dataclass(frozen=True, slots=True)
class PaymentMode:
    name: str
    words: str  # what the mode is, as ``cquin rules --year`` says it
    in_advance: bool  # the whole expected value is paid in monthly instalments, as if fully achieved
    heading: str  # what the instalments are called: "On account", "Paid in advance"
    paid_label: str  # what was paid by them to date: "Paid on account", "Paid in advance"
    repayment: str  # how under-achievement comes back to the commissioners, in a finance officer's words
    achievement_decides: bool = True  # False: paid in full whatever the achievement (2020/21, non-NHS providers)

    @property
    def repayment_only(self) -> bool:
        """The adjustment at a checkpoint can only be a repayment: nothing more than the whole value was due."""
        return self.in_advance


ON_ACCOUNT = "on_account"
PAID_IN_FULL = "paid_in_full"
PAYMENT_MODES = {
    mode.name: mode
    for mode in (
        PaymentMode(
            ON_ACCOUNT,
            "on account, reconciled at checkpoints",
            False,
            "On account",
            "Paid on account",
            "Provider repays commissioners",
        ),
        PaymentMode(
            "in_advance",
            "paid in advance in monthly instalments, under-achievement deducted",
            True,
            "Paid in advance",
            "Paid in advance",
            "Deducted from the provider through the variable element of the API payment",
        ),
        PaymentMode(
            "in_advance_with_clawback",
            "funded up front as if fully achieved, under-achievement clawed back",
            True,
            "Funded up front",
            "Funded up front",
            "Clawed back from the provider",
        ),
        # 2020/21: CQUIN suspended, and non-NHS providers paid their CQUIN in full (S44, S45).
        # Not named by a year's ``payment_mode``: a suspended year with ``non_nhs_paid_in_full``
        # pays a non-NHS provider's scheme so (:func:`cquin_cli.check.year_rules.payment_mode`).
        PaymentMode(
            PAID_IN_FULL,
            "paid in full while CQUIN was suspended, whatever the achievement",
            False,
            "On account",
            "Paid on account",
            "Provider repays commissioners",
            achievement_decides=False,
        ),
    )
}


# The parts held back (DOMAIN.md §7): 2017/18 and 2018/19 tied 1% of the contract to the
# sustainability and transformation partnerships, 0.5% for engagement and 0.5% held as a
# risk reserve against the system control total (S32-S36). A year names each part's rate in
# the fact of the same name; each part is priced as its own line, apart from the goals' pot
# and not paid on account, and is paid only when the achievement data records its outcome.
@dataclass(frozen=True, slots=True)
class HeldBackKind:
    name: str  # the fact that holds its rate, and the ``part`` an achievement record names
    label: str  # in a finance officer's words
    named: str  # as a sentence names it: "the risk reserve"
    paid_outcome: str  # the outcome that pays it: "earned" or "released"; "withheld" pays nothing


WITHHELD = "withheld"
HELD_BACK_KINDS = {
    kind.name: kind
    for kind in (
        HeldBackKind("stp_engagement", "STP engagement", "the STP engagement part", "earned"),
        HeldBackKind("risk_reserve", "Risk reserve", "the risk reserve", "released"),
    )
}


@dataclass(frozen=True, slots=True)
class HeldBackPart:
    """A part a year holds back, with its rate and where the rate came from."""

    kind: HeldBackKind
    rate: Decimal
    source: str

    @property
    def outcomes(self) -> tuple[str, ...]:
        """What an achievement record may say of this part."""
        return (self.kind.paid_outcome, WITHHELD)


# The kinds of base the rate applies to, era by era (DOMAIN.md §7), each with its definition
# as the sources give it; a year names its kind in the fact ``base_kind``, a scheme in ``base_kind``.
BASE_KINDS = {
    "contract_value": "contract value: tariff income including the Market Forces Factor, plus non-tariff income, "
    "less income not financed by the English NHS",
    "actual_outturn_value": "actual outturn value: the value of the contract at the year's outturn",
    "actual_annual_value": "actual annual value (AAV): all payments under the contract in the year, excluding CQUIN "
    "and other incentive payments, after deductions and withholdings",
    "fixed_api_element": "the fixed element of the aligned payment and incentive (API) payment",
    "fixed_contract_value": "fixed contract value",
}
SECTORS = ("acute", "community", "mental_health", "ambulance", "specialised", "independent_sector")


@dataclass(frozen=True, slots=True)
class FactKind:
    """A fact a year may hold: how its value is written and what it means."""

    kind: str  # status | payment_mode | base_kind | percent | money | count | flag | text | sectors | months | month_day
    label: str


# Every fact a rulebook (shipped or local) may hold, in the order `cquin rules --year` prints them.
FACTS: dict[str, FactKind] = {
    "status": FactKind("status", "status"),
    "rate": FactKind("percent", "national rate"),
    "maximum_rate": FactKind("percent", "rate at most"),
    "base": FactKind("text", "base the rate applies to"),
    "base_kind": FactKind("base_kind", "kind of base"),
    "national_goals": FactKind("text", "national goals"),
    "max_national_indicators": FactKind("count", "national indicators at most"),
    "max_indicators": FactKind("count", "indicators at most"),
    "equally_weighted_indicators": FactKind("flag", "indicators equally weighted"),
    "four_domains_required": FactKind("flag", "every quality domain required"),
    "contract_value_above": FactKind("money", "eligible: contract value above"),
    "contract_value_at_least": FactKind("money", "eligible: contract value at least"),
    "eligible_within_ics": FactKind("flag", "eligible whatever its value: a contract within an ICS"),
    "stp_engagement": FactKind("percent", "STP engagement part"),
    "risk_reserve": FactKind("percent", "risk reserve held back"),
    "payment_mode": FactKind("payment_mode", "payment mode"),
    "payment": FactKind("text", "payment"),
    "on_account_share": FactKind("percent", "on-account share"),
    "instalments": FactKind("count", "monthly instalments"),
    "checkpoints": FactKind("months", "reconciliation checkpoints"),
    "non_nhs_paid_in_full": FactKind("flag", "non-NHS providers paid in full"),
    "quality_improvement_plan_sectors": FactKind("sectors", "a quality improvement plan may stand in for"),
    "separate_specialised_schemes": FactKind("flag", "specialised commissioning groups agree separate schemes"),
    "agreement_deadline": FactKind("month_day", "agreed by (month-day, before the year)"),
    "coverage": FactKind("text", "coverage"),
}


@dataclass(frozen=True, slots=True)
class Fact:
    value: Any
    source: str  # the source in words: addresses and paragraphs
    origin: str = SHIPPED  # cquin's rulebook, or the local rulebook file it came from

    @property
    def cited(self) -> str:
        """The source with where it was written down, for a message: ``source`` alone for cquin's own."""
        return self.source if self.origin == SHIPPED else f"{self.origin}: {self.source}"


@dataclass(frozen=True, slots=True)
class Year:
    year: str
    facts: dict[str, Fact]

    def get(self, name: str, default: Any = None) -> Any:
        fact = self.facts.get(name)
        return default if fact is None else fact.value

    def has(self, name: str) -> bool:
        return name in self.facts

    def source(self, name: str) -> str:
        """Where the fact came from, in words (with the local rulebook's file, if it came from one)."""
        fact = self.facts.get(name)
        return "" if fact is None else fact.cited

    @property
    def status(self) -> str:
        """The year's status; a year whose status no source confirms is not known to be in force."""
        return str(self.get("status", ""))

    @property
    def in_force(self) -> bool:
        return self.status == "in_force"

    @property
    def suspended(self) -> bool:
        return self.status == "suspended"

    @property
    def rate(self) -> Decimal | None:
        text = self.get("rate")
        return None if text is None else percentage(text)

    @property
    def maximum_rate(self) -> Decimal | None:
        text = self.get("maximum_rate")
        return None if text is None else percentage(text)

    @property
    def payment_mode(self) -> PaymentMode:
        """How the year pays; on account (guidance ¶65) unless a source says otherwise."""
        return PAYMENT_MODES.get(str(self.get("payment_mode", ON_ACCOUNT)), PAYMENT_MODES[ON_ACCOUNT])

    @property
    def on_account_share(self) -> Decimal:
        """The share paid in instalments: 90% on account (guidance ¶65), the whole value in a year paid in advance."""
        return percentage(self.get("on_account_share", "100%" if self.payment_mode.in_advance else "90%"))

    @property
    def checkpoints(self) -> tuple[int, ...]:
        return tuple(self.get("checkpoints", (6, 9, 12)))

    @property
    def base_kind(self) -> str:
        """The kind of base the year's rate applies to (:data:`BASE_KINDS`), or "" where no source confirms one."""
        return str(self.get("base_kind", "") or "")

    @property
    def held_back(self) -> tuple[HeldBackPart, ...]:
        """The parts the year holds back (:data:`HELD_BACK_KINDS`), in that order; none in most years."""
        return tuple(
            HeldBackPart(kind, percentage(self.get(name)), self.source(name))
            for name, kind in HELD_BACK_KINDS.items()
            if self.has(name)
        )

    def money(self, name: str) -> Decimal | None:
        text = self.get(name)
        return None if text is None else money(text)

    def with_facts(self, facts: dict[str, Fact]) -> Year:
        """This year with ``facts`` added or put in place of its own."""
        return Year(self.year, {**self.facts, **facts})


def _rulebook_text() -> str:
    """The JSON beside this module, read as a plain file: ``importlib.resources`` costs
    about 9 ms to import, a tenth of a 1-file ``cquin validate``. A package that is not
    a folder of files (a zip) is read through ``importlib.resources``."""
    try:
        with open(os.path.join(os.path.dirname(__file__), "rulebook.json"), encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        from importlib import resources

        return resources.files(__package__).joinpath("rulebook.json").read_text(encoding="utf-8")


def cite(items: list[str] | str, sources: dict[str, str]) -> str:
    """A fact's source list in words: each id of ``sources`` replaced by what it names."""
    if isinstance(items, str):
        items = [items]
    words = []
    for item in items:
        key, _, detail = item.partition(" ")
        named = sources.get(key.rstrip(":"))
        if named is not None:
            item = f"{named}{key[len(key.rstrip(':')) :]} {detail}".rstrip()
        words.append(item)
    return "; ".join(words)


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return json.loads(_rulebook_text())


def version() -> str:
    return str(_document().get("version", ""))


def sources() -> dict[str, str]:
    """The shipped rulebook's sources by id."""
    return dict(_document()["sources"])


@lru_cache(maxsize=1)
def rulebook() -> dict[str, Year]:
    """cquin's own rulebook, by year in order."""
    raw = _document()
    table = raw["sources"]
    return {
        year: Year(year, {name: Fact(f["value"], cite(f["source"], table)) for name, f in facts.items()})
        for year, facts in raw["years"].items()
    }


def year(name: str) -> Year | None:
    """cquin's own entry for a year (no local rulebook: :func:`cquin_cli.check.year_rules.rules_for`)."""
    return rulebook().get(name)


def is_financial_year(text: str) -> bool:
    """``2009/10``: four digits, a slash, the next year's last two digits."""
    first, _, second = text.partition("/")
    return len(first) == 4 and first.isdigit() and second.isdigit() and f"{(int(first) + 1) % 100:02d}" == second


def fact_problem(name: str, value: Any) -> str | None:
    """What the fact ``name`` must be (its kind, :data:`FACTS`) when ``value`` cannot be it, or None when it can."""
    kind = FACTS[name].kind
    if kind == "status":
        return None if value in STATUSES else "one of " + ", ".join(STATUSES)
    if kind == "payment_mode":
        return None if value in PAYMENT_MODES else "one of " + ", ".join(PAYMENT_MODES)
    if kind == "base_kind":
        return None if value in BASE_KINDS else "one of " + ", ".join(BASE_KINDS)
    if kind == "percent":
        try:
            if 0 <= percentage(value) <= 100:
                return None
        except ValueError:
            pass
        return "a percentage with a % sign, e.g. 1.5%"
    if kind == "money":
        try:
            if isinstance(value, str) and money(value) >= 0:
                return None
        except ValueError:
            pass
        return 'an amount in pounds with at most two decimal places, e.g. "10000000.00"'
    if kind == "count":
        return None if isinstance(value, int) and not isinstance(value, bool) and value > 0 else "a whole number above 0"
    if kind == "flag":
        return None if isinstance(value, bool) else "true or false"
    if kind == "text":
        return None if isinstance(value, str) and value.strip() else "text"
    if kind == "sectors":
        if isinstance(value, list) and all(isinstance(s, str) and s in SECTORS for s in value):
            return None
        return "a list of sectors, each one of " + ", ".join(SECTORS)
    if kind == "months":
        if (
            isinstance(value, list)
            and value
            and all(isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value)
        ):
            return None
        return "a list of months 1-12, e.g. [6, 9, 12]"
    if kind == "month_day":
        month, _, day = str(value).partition("-")
        if isinstance(value, str) and month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return None
        return 'a month and day written "MM-DD", e.g. "03-31"'
    return None  # pragma: no cover - every kind is handled above


def words(name: str, value: Any) -> str:
    """A fact's value as a reader says it (``cquin rules --year``)."""
    kind = FACTS[name].kind if name in FACTS else "text"
    if kind == "status":
        return STATUSES.get(value, str(value))
    if kind == "payment_mode":
        return PAYMENT_MODES[value].words if value in PAYMENT_MODES else str(value)
    if kind == "base_kind":
        return BASE_KINDS.get(value, str(value))
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "money":
        from cquin_cli.money import format_money

        return format_money(money(value))
    if kind == "sectors":
        return ", ".join(str(s).replace("_", " ") for s in value) if value else "none (every contract has a full scheme)"
    if kind == "months":
        return ", ".join(str(m) for m in value)
    return str(value)
