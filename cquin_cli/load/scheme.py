"""Frozen scheme records, built from values that passed the JSON Schema (STYLE.md §2).

Every record keeps its document ``path`` so that any later stage can point a user at
the exact line through :func:`cquin_cli.load.locator.locate`. Money and percentages are
exact :class:`~decimal.Decimal`; a value the JSON Schema cannot judge (three decimal
places in a YAML number, an impossible date) becomes a :class:`Problem`, not an
exception: the builder always returns a scheme.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from cquin_cli.load.values import Path, Problem, ValueReader
from cquin_cli.money import HUNDRED
from cquin_cli.partial_achievement import Band, PartialAchievement, Unknown, UnknownRule, rule_named
from cquin_cli.vocabulary import Direction, Domain, Route, SchemeKind, Sector

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is never imported at run time: docs/performance.md
    from typing import Any

DOMAINS = tuple(Domain)
DOMAIN_TITLES: dict[str, str] = {d.value: d.label for d in Domain}
# The format's provider sectors (schemas/scheme.schema.json), in its order, with the
# words a contract uses for each ("a mental health contract"). The one definition:
# tallies, the scaffold, the rendered workbook and rule E207 all read it.
SECTOR_WORDS: dict[str, str] = {s.value: s.words for s in Sector}
STRETCH_PRECISION = 40  # digits of the exact stretch before it is rounded for a report
DEFAULT_ON_ACCOUNT_SHARE = Decimal(90)
DEFAULT_INSTALMENTS = 12
DEFAULT_CHECKPOINTS = (6, 9, 12)

__all__ = ["Band", "PartialAchievement", "Path", "Problem"]  # re-exported: records elsewhere carry problems of the same kind


@dataclass(frozen=True, slots=True)
class Commissioner:
    code: str
    name: str
    share: Decimal  # percentage points
    coordinating: bool
    path: Path


@dataclass(frozen=True, slots=True)
class Provider:
    code: str
    name: str
    sector: Sector
    foundation_trust: bool


@dataclass(frozen=True, slots=True)
class ContractValue:
    tariff_income: Decimal
    non_tariff_income: Decimal
    excluded_income: Decimal

    @property
    def base(self) -> Decimal:
        """B = tariff income (incl. MFF) + non-tariff income - excluded income (guidance ¶39-40)."""
        return self.tariff_income + self.non_tariff_income - self.excluded_income


@dataclass(frozen=True, slots=True)
class Payment:
    on_account_share: Decimal
    instalments: int
    checkpoints: tuple[int, ...]
    agreed_by: tuple[str, ...]
    stated: bool  # False when the scheme relies on the default arrangement
    path: Path = ("payment",)

    @property
    def is_default(self) -> bool:
        return (
            self.on_account_share == DEFAULT_ON_ACCOUNT_SHARE
            and self.instalments == DEFAULT_INSTALMENTS
            and tuple(sorted(self.checkpoints)) == DEFAULT_CHECKPOINTS
        )


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str
    role: str
    organisation: str
    clinical_lead: bool


@dataclass(frozen=True, slots=True)
class Agreement:
    date: _dt.date | None
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True, slots=True)
class Period:
    period: str
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class Milestone:
    month: int
    target: Decimal | None
    floor: Decimal | None
    description: str
    path: Path


@dataclass(frozen=True, slots=True)
class Indicator:
    number: str
    name: str
    description: str
    numerator: str
    denominator: str
    rationale: str
    outcome_link: str
    data_source: str
    collection_frequency: str
    responsible_organisation: str
    reporting_frequency: str
    baseline: Period | None
    final: Period | None
    final_reporting_date: _dt.date | None
    direction: Direction | None
    milestones: tuple[Milestone, ...]
    partial_achievement: PartialAchievement
    weighting: Decimal
    kind: str
    provenance: str
    national_indicator: str
    pathway: str | None
    spans_years: bool
    equality: str
    contractual_requirement: bool
    goal_number: str
    domain: Domain
    path: Path
    continues: str = ""  # lineage: "2009/10 indicator 3.1", the indicator of an earlier year it carries on

    @property
    def stretch(self) -> Decimal | None:
        """How far the final value asks to move from the baseline, in percentage points of it.

        (final - baseline) / |baseline| x 100, signed so that an improvement in the
        indicator's direction is positive. None without a numeric baseline and final
        value, without a direction, or with a zero baseline. Exact to 40 digits; the one
        definition (lint rule W413, the report, the export)."""
        baseline = self.baseline.value if self.baseline else None
        final = self.final.value if self.final else None
        if baseline is None or final is None or self.direction is None or baseline == 0:
            return None
        with localcontext() as ctx:
            ctx.prec = STRETCH_PRECISION
            change = final - baseline if self.direction is Direction.HIGHER else baseline - final
            return change * HUNDRED / abs(baseline)

    def same_as(self, other: Indicator | IndicatorSummary) -> str | None:
        """Why two indicators are the same one (seed 002): :func:`same_indicator`."""
        return same_indicator(self, other)

    def milestone_at(self, month: int) -> Milestone | None:
        for milestone in self.milestones:
            if milestone.month == month:
                return milestone
        return None


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    """What the portfolio rules read of an indicator (W414): kept for each scheme of a large
    lint run instead of the whole :class:`Indicator` (see ``check.pipeline.PortfolioSummary``)."""

    number: str
    name: str
    national_indicator: str
    path: Path

    def same_as(self, other: Indicator | IndicatorSummary) -> str | None:
        return same_indicator(self, other)


def same_indicator(a: Indicator | IndicatorSummary, b: Indicator | IndicatorSummary) -> str | None:
    """Why two indicators are the same one (seed 002), or None: their names match with case,
    punctuation and spacing ignored ("name"), or both record the same national indicator."""
    if name_key(a.name) and name_key(a.name) == name_key(b.name):
        return "name"
    if a.national_indicator and name_key(a.national_indicator) == name_key(b.national_indicator):
        return "national indicator"
    return None


@dataclass(frozen=True, slots=True)
class Goal:
    number: str
    name: str
    description: str
    domain: Domain
    weighting: Decimal
    indicators: tuple[Indicator, ...]
    path: Path
    continues: str = ""  # lineage: "2009/10 goal 3", the goal of an earlier year it carries on


@dataclass(frozen=True, slots=True)
class IncentiveGoal:
    number: str
    name: str
    description: str
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class SeparateIncentiveScheme:
    name: str
    description: str
    value: Decimal
    goals: tuple[IncentiveGoal, ...]


@dataclass(frozen=True, slots=True)
class Scheme:
    file: str
    financial_year: str
    provider: Provider
    commissioning_route: Route
    coordinating_commissioner: Commissioner
    associates: tuple[Commissioner, ...]
    contract_value: ContractValue
    rate: Decimal  # percentage points
    rate_reason: str
    scheme_kind: SchemeKind
    payment: Payment
    agreement: Agreement | None
    separate_incentive_scheme: SeparateIncentiveScheme | None
    goals: tuple[Goal, ...]
    equality: str
    quality_improvement_plan: str
    rate_source: str = ""  # where the rate is written, when the rulebook confirms none for the year
    integrated_care_system: str = ""  # the ICS the contract is within (2022/23 eligibility)
    base_kind: str = ""  # the kind of base the scheme says its rate applies to; "" means the year's own
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def commissioners(self) -> tuple[Commissioner, ...]:
        return (self.coordinating_commissioner, *self.associates)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.goals for i in g.indicators)

    @property
    def key(self) -> tuple[str, str, str]:
        """One scheme per provider per financial year per commissioning route (¶49; seed 002)."""
        return (self.provider.code, self.financial_year, self.commissioning_route)

    @property
    def title(self) -> str:
        return f"{self.provider.name} {self.financial_year}"

    @property
    def stretch(self) -> Decimal | None:
        """The plain mean of its indicators' :attr:`Indicator.stretch` (None when none has one)."""
        values = [s for s in (i.stretch for i in self.indicators) if s is not None]
        if not values:
            return None
        with localcontext() as ctx:
            ctx.prec = STRETCH_PRECISION
            return sum(values, Decimal(0)) / len(values)

    @property
    def unusable_for_money(self) -> str | None:
        """Why figures computed from this record would not be the scheme's own, or None when they would.

        A value the format let through but cquin cannot use (money with three decimals,
        ``nan``, an impossible date: E103-E107) is a :class:`Problem` and is stood in for
        (0.00 for money) so that checking goes on. Nothing is priced, reported, exported
        or rendered from such a record, whatever ``--force`` says."""
        if not self.problems:
            return None
        found = "; ".join(f"{p.code} {p.message}" for p in self.problems)
        return f"a value in it cannot be used as written ({found}), so its figures would not be the scheme's"


def name_key(text: str) -> str:
    """A name with case, punctuation and spacing ignored: how two indicators' names are compared."""
    import re

    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def number_text(value: Any) -> str:
    """A goal or indicator number as written: ``1``, ``"1.2"`` and ``1.10`` keep their text."""
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else ""
    return str(value)


class _Builder(ValueReader):
    def commissioner(self, raw: dict, path: Path, coordinating: bool) -> Commissioner:
        return Commissioner(
            code=str(raw.get("code", "")),
            name=str(raw.get("name", "")),
            share=self.percent(raw.get("share"), path + ("share",)),
            coordinating=coordinating,
            path=path,
        )

    def period(self, raw: dict | None, path: Path) -> Period | None:
        if raw is None:
            return None
        return Period(str(raw.get("period", "")), self.measure(raw.get("value"), path + ("value",)))

    def rule(self, name: Any, path: Path):
        """The rule for partial achievement a scheme names; an unknown name is a problem (E104), never all-or-nothing."""
        try:
            return rule_named(str(name))
        except UnknownRule as exc:
            self.problems.append(Problem("E104", str(exc), path))
            return Unknown(str(name))

    def indicator(self, raw: dict, path: Path, goal_number: str, domain: Domain) -> Indicator:
        pa_raw = raw.get("partial_achievement") or {}
        pa_path = path + ("partial_achievement",)
        bands = tuple(
            Band(
                self.measure(b.get("from"), pa_path + ("bands", i, "from")) or Decimal(0),
                self.percent(b.get("fraction"), pa_path + ("bands", i, "fraction")),
            )
            for i, b in enumerate(pa_raw.get("bands") or ())
        )
        partial = PartialAchievement(
            rule=self.rule(pa_raw.get("rule", "all_or_nothing"), pa_path + ("rule",)),
            floor=self.measure(pa_raw.get("floor"), pa_path + ("floor",)),
            bands=bands,
            note=str(pa_raw.get("note", "")),
            path=pa_path,
        )
        milestones = tuple(
            Milestone(
                month=int(m.get("month", 0)),
                target=self.measure(m.get("target"), path + ("milestones", i, "target")),
                floor=self.measure(m.get("floor"), path + ("milestones", i, "floor")),
                description=str(m.get("description", "")),
                path=path + ("milestones", i),
            )
            for i, m in enumerate(raw.get("milestones") or ())
        )
        text = lambda key: str(raw.get(key, "") or "")  # noqa: E731
        return Indicator(
            number=number_text(raw.get("number", "")),
            name=text("name"),
            description=text("description"),
            numerator=text("numerator"),
            denominator=text("denominator"),
            rationale=text("rationale"),
            outcome_link=text("outcome_link"),
            data_source=text("data_source"),
            collection_frequency=text("collection_frequency"),
            responsible_organisation=text("responsible_organisation"),
            reporting_frequency=text("reporting_frequency"),
            baseline=self.period(raw.get("baseline"), path + ("baseline",)),
            final=self.period(raw.get("final"), path + ("final",)),
            final_reporting_date=self.date(raw.get("final_reporting_date"), path + ("final_reporting_date",)),
            direction=None if raw.get("direction") is None else self.word(Direction, raw.get("direction"), path + ("direction",)),
            milestones=milestones,
            partial_achievement=partial,
            weighting=self.percent(raw.get("weighting"), path + ("weighting",)),
            kind=text("kind"),
            provenance=text("provenance"),
            national_indicator=text("national_indicator"),
            pathway=raw.get("pathway"),
            spans_years=bool(raw.get("spans_years", False)),
            equality=text("equality"),
            contractual_requirement=bool(raw.get("contractual_requirement", False)),
            goal_number=goal_number,
            domain=domain,
            path=path,
            continues=text("continues"),
        )

    def scheme(self, raw: dict, file: str) -> Scheme:
        provider = raw.get("provider") or {}
        cv = raw.get("contract_value") or {}
        pay = raw.get("payment")
        pay_raw = pay or {}
        agreement_raw = raw.get("agreement")
        sis_raw = raw.get("separate_incentive_scheme")
        goals = []
        for gi, g in enumerate(raw.get("goals") or ()):
            gpath = ("goals", gi)
            number = number_text(g.get("number", ""))
            domain = self.word(Domain, g.get("domain"), gpath + ("domain",))
            goals.append(
                Goal(
                    number=number,
                    name=str(g.get("name", "")),
                    description=str(g.get("description", "")),
                    domain=domain,
                    weighting=self.percent(g.get("weighting"), gpath + ("weighting",)),
                    indicators=tuple(
                        self.indicator(ind, gpath + ("indicators", ii), number, domain)
                        for ii, ind in enumerate(g.get("indicators") or ())
                    ),
                    path=gpath,
                    continues=str(g.get("continues", "") or ""),
                )
            )
        agreement = None
        if agreement_raw is not None:
            agreement = Agreement(
                date=self.date(agreement_raw.get("date"), ("agreement", "date")),
                signatories=tuple(
                    Signatory(
                        str(s.get("name", "")),
                        str(s.get("role", "")),
                        str(s.get("organisation", "")),
                        bool(s.get("clinical_lead", False)),
                    )
                    for s in agreement_raw.get("signatories") or ()
                ),
            )
        sis = None
        if sis_raw is not None:
            sis = SeparateIncentiveScheme(
                name=str(sis_raw.get("name", "")),
                description=str(sis_raw.get("description", "")),
                value=self.money_or_zero(sis_raw.get("value"), ("separate_incentive_scheme", "value")),
                goals=tuple(
                    IncentiveGoal(
                        number_text(sg.get("number", "")),
                        str(sg.get("name", "")),
                        str(sg.get("description", "")),
                        self.money(sg["value"], ("separate_incentive_scheme", "goals", i, "value")) if "value" in sg else None,
                    )
                    for i, sg in enumerate(sis_raw.get("goals") or ())
                ),
            )
        return Scheme(
            file=file,
            financial_year=str(raw.get("financial_year", "")),
            provider=Provider(
                str(provider.get("code", "")),
                str(provider.get("name", "")),
                self.word(Sector, provider.get("sector"), ("provider", "sector")),
                bool(provider.get("foundation_trust", False)),
            ),
            commissioning_route=self.word(Route, raw.get("commissioning_route"), ("commissioning_route",), Route.PCT),
            coordinating_commissioner=self.commissioner(
                raw.get("coordinating_commissioner") or {}, ("coordinating_commissioner",), True
            ),
            associates=tuple(self.commissioner(a, ("associates", i), False) for i, a in enumerate(raw.get("associates") or ())),
            contract_value=ContractValue(
                self.money_or_zero(cv.get("tariff_income"), ("contract_value", "tariff_income")),
                self.money_or_zero(cv.get("non_tariff_income"), ("contract_value", "non_tariff_income")),
                self.money_or_zero(cv.get("excluded_income"), ("contract_value", "excluded_income")),
            ),
            rate=self.percent(raw.get("rate"), ("rate",)),
            rate_reason=str(raw.get("rate_reason", "") or ""),
            scheme_kind=self.word(SchemeKind, raw.get("scheme_kind"), ("scheme_kind",), SchemeKind.FULL_SCHEME),
            payment=Payment(
                on_account_share=self.percent(
                    pay_raw.get("on_account_share"), ("payment", "on_account_share"), DEFAULT_ON_ACCOUNT_SHARE
                ),
                instalments=int(pay_raw.get("instalments", DEFAULT_INSTALMENTS)),
                checkpoints=tuple(int(m) for m in pay_raw.get("checkpoints", DEFAULT_CHECKPOINTS)),
                agreed_by=tuple(str(a) for a in pay_raw.get("agreed_by") or ()),
                stated=pay is not None,
            ),
            agreement=agreement,
            separate_incentive_scheme=sis,
            goals=tuple(goals),
            equality=str(raw.get("equality", "") or ""),
            quality_improvement_plan=str(raw.get("quality_improvement_plan", "") or ""),
            rate_source=str(raw.get("rate_source", "") or ""),
            integrated_care_system=str(raw.get("integrated_care_system", "") or ""),
            base_kind=str(raw.get("base_kind", "") or ""),
            problems=tuple(self.problems),
        )


def build_scheme(values: dict, file: str) -> Scheme:
    """Scheme records from schema-valid values; value problems ride along in ``problems``."""
    return _Builder().scheme(values, file)


def fraction(percent: Decimal) -> Decimal:
    """Percentage points as a fraction: 25 -> 0.25 (exact)."""
    return percent / HUNDRED
