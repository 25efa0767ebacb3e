"""The portfolio as flat tables with stable keys, for research (seed 004) — ``cquin export``.

:func:`export_tables` is a pure function of schemes and their achievement data: it
returns an :class:`Export`, eight :class:`Table` values whose columns are described once
here (:data:`TABLES`) and written as CSV, JSON or SQLite by ``cquin_cli.report.export``.
The same specification generates ``docs/data-dictionary.md``.

Invariants:

* keys are stable and readable: ``scheme_id`` = ``<provider>/<year with a dash>/<route>``
  (``RNF/2009-10/pct``), ``goal_id`` = scheme_id + ``/goal/`` + goal number,
  ``indicator_id`` = scheme_id + ``/`` + indicator number; milestones and measurements
  are keyed by (indicator_id, month), reconciliations by (scheme_id, month, source);
* a scheme holding a value cquin cannot use as written (E103, E105-E107: money with
  three decimals, ``nan``, an impossible date) is left out whole and named in
  :attr:`Export.notes`: the loader put a stand-in (0.00) in its place, so its figures
  would not be the scheme's;
* every foreign key points at a row that exists; a scheme whose keys would collide (two
  files for one scheme, E203; a goal or indicator number used twice, E213; a month twice,
  E211/E305) is left out whole and named in :attr:`Export.notes`, and a measurement of
  an indicator the scheme does not have (E303) is left out and named;
* money comes only from :func:`cquin_cli.compute.pricing.price` and
  :func:`cquin_cli.compute.reconciliation.reconcile`; each amount is given twice, as
  text with two decimals (``"1000000.00"``, exact) and as integer pence (for SUM);
* rows come in a fixed order: schemes by scheme_id, everything else in the scheme's
  own document order, so the same input gives the same bytes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cquin_cli.check.pipeline import FileResult, PortfolioSummary, achievement_of
from cquin_cli.compute.pricing import Price, price
from cquin_cli.load.scheme import Scheme
from cquin_cli.money import PENNY
from cquin_cli.portfolio.aggregate import rounded_stretch, scheme_id
from cquin_cli.spool import Ref, Spool

# Column kinds: how a value is typed in each format (docs/data-dictionary.md).
TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"  # an exact decimal that is not money (a measured value, percentage points)
MONEY = "money"  # pounds, exactly two decimals, as text
PENCE = "pence"  # the same amount in integer pence
BOOLEAN = "boolean"
DATE = "date"  # YYYY-MM-DD

SQLITE_TYPES = {
    TEXT: "TEXT",
    INTEGER: "INTEGER",
    DECIMAL: "NUMERIC",
    MONEY: "TEXT",
    PENCE: "INTEGER",
    BOOLEAN: "INTEGER",
    DATE: "TEXT",
}

COMPUTED = "computed"
RECORDED = "recorded"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str
    description: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    order: str = ""  # how rows are ordered, in words

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True, slots=True)
class Table:
    spec: TableSpec
    rows: Sequence[tuple[Any, ...]]  # a tuple, or :class:`SpooledRows` read back as they are written

    @property
    def name(self) -> str:
        return self.spec.name

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.spec.column_names, row)) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Export:
    tables: tuple[Table, ...]
    notes: tuple[str, ...]  # what was left out, and why

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def _money(name: str, description: str, required: bool = False) -> tuple[Column, Column]:
    return (
        Column(name, MONEY, f"{description} (£, text with two decimals).", required),
        Column(f"{name}_pence", PENCE, f"{description}, in pence (for arithmetic: SUM of this column is exact).", required),
    )


def _fk_scheme() -> ForeignKey:
    return ForeignKey(("scheme_id",), "schemes", ("scheme_id",))


SCHEMES = TableSpec(
    "schemes",
    "One row per scheme: one provider's CQUIN scheme for one financial year and commissioning route (guidance ¶49; seed 002).",
    (
        Column(
            "scheme_id",
            TEXT,
            "Stable key: provider code / financial year with a dash / commissioning route, e.g. `RNF/2009-10/pct`.",
            True,
        ),
        Column("file", TEXT, "The scheme file, as found under the paths exported.", True),
        Column("financial_year", TEXT, "Financial year, e.g. `2009/10`.", True),
        Column("provider_code", TEXT, "Provider organisation code.", True),
        Column("provider_name", TEXT, "Provider name.", True),
        Column("sector", TEXT, "acute, community, mental_health, ambulance, specialised or independent_sector.", True),
        Column("foundation_trust", BOOLEAN, "Whether the provider is a foundation trust (guidance ¶29).", True),
        Column("commissioning_route", TEXT, "`pct` (PCT-led) or `specialised_commissioning_group` (seed 002).", True),
        Column("coordinating_commissioner_code", TEXT, "Code of the coordinating commissioner (a row of `commissioners`).", True),
        Column("scheme_kind", TEXT, "`full_scheme` or `quality_improvement_plan` (guidance ¶45).", True),
        Column("rate_percent", DECIMAL, "CQUIN rate in percentage points, e.g. 0.5 (guidance ¶38).", True),
        Column("rate_reason", TEXT, "Recorded reason for a rate other than the national rate (guidance ¶40); empty when none."),
        *_money("tariff_income", "Tariff income including the Market Forces Factor (guidance ¶39)", True),
        *_money("non_tariff_income", "Non-tariff income (guidance ¶39)", True),
        *_money("excluded_income", "Income not financed by the English NHS, excluded from the base (guidance ¶40)", True),
        *_money("base", "Planned base B = tariff + non-tariff - excluded income", True),
        *_money("expected_value", "Expected value: rate x B, rounded half-up to the penny (docs/money.md)", True),
        Column(
            "on_account_share_percent",
            DECIMAL,
            "Share of the expected value paid on account, percentage points (default 90, guidance ¶65).",
            True,
        ),
        *_money("on_account_total", "Paid on account over the year: on-account share x expected value, rounded", True),
        Column("instalments", INTEGER, "Number of on-account instalments (default 12).", True),
        Column("checkpoints", TEXT, "Reconciliation checkpoint months, comma-separated, e.g. `6,9,12` (guidance ¶66).", True),
        Column(
            "default_payment_arrangement", BOOLEAN, "Whether the payment arrangement is the default one (guidance ¶65).", True
        ),
        Column("agreement_date", DATE, "Date the scheme was agreed (guidance ¶49); empty when not recorded."),
        Column(
            "clinical_lead_signed", BOOLEAN, "Whether a signatory is marked as a clinical lead (guidance ¶21; seed 000).", True
        ),
        Column("equality", TEXT, "The scheme's equality consideration (guidance ¶69, ¶72); empty when none."),
        Column("goals", INTEGER, "Number of goals.", True),
        Column("indicators", INTEGER, "Number of indicators.", True),
        Column(
            "stretch_percent",
            DECIMAL,
            "Mean stretch of the scheme's indicators, percentage points, rounded half-up to two decimals from the exact mean (docs/report.md); empty when no indicator has one.",
        ),
    ),
    ("scheme_id",),
    order="by scheme_id",
)

COMMISSIONERS = TableSpec(
    "commissioners",
    "One row per commissioner of a scheme: the coordinating commissioner and each associate, with its share (shares sum to 100%: rule E206).",
    (
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("commissioner_code", TEXT, "Commissioner organisation code.", True),
        Column("name", TEXT, "Commissioner name.", True),
        Column("role", TEXT, "`coordinating` or `associate`.", True),
        Column("position", INTEGER, "Order in the scheme: 1 is the coordinating commissioner, then associates as listed.", True),
        Column("share_percent", DECIMAL, "Share of the contract, percentage points.", True),
        *_money("expected_value", "This commissioner's part of the expected value (largest-remainder split by share)", True),
        *_money("on_account", "This commissioner's part of the on-account total", True),
    ),
    ("scheme_id", "commissioner_code"),
    (_fk_scheme(),),
    order="by scheme, then position",
)

GOALS = TableSpec(
    "goals",
    "One row per goal of a scheme (the standard template, seed 002).",
    (
        Column("goal_id", TEXT, "Stable key: scheme_id + `/goal/` + goal number, e.g. `RNF/2009-10/pct/goal/1`.", True),
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("number", TEXT, "Goal number as written in the scheme.", True),
        Column("position", INTEGER, "Order of the goal in the scheme, from 1.", True),
        Column("name", TEXT, "Goal name.", True),
        Column("description", TEXT, "Goal description."),
        Column("domain", TEXT, "Quality domain: safety, effectiveness, patient_experience or innovation (guidance ¶33).", True),
        Column("weighting_percent", DECIMAL, "Goal weighting, percentage points of the scheme (guidance ¶69).", True),
        *_money("expected_value", "Expected value of the goal: the scheme's expected value split by goal weighting", True),
    ),
    ("goal_id",),
    (_fk_scheme(),),
    order="by scheme, then position",
)

INDICATORS = TableSpec(
    "indicators",
    "One row per indicator, with its full specification (docs/format.md; Schedule 3 Part 4C).",
    (
        Column("indicator_id", TEXT, "Stable key: scheme_id + `/` + indicator number, e.g. `RNF/2009-10/pct/S1`.", True),
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("goal_id", TEXT, "The goal it belongs to (`goals.goal_id`).", True),
        Column("number", TEXT, "Indicator number as written in the scheme.", True),
        Column("position", INTEGER, "Order of the indicator in the scheme, from 1.", True),
        Column("name", TEXT, "Indicator name.", True),
        Column("description", TEXT, "Indicator description."),
        Column("domain", TEXT, "Quality domain of its goal.", True),
        Column(
            "kind",
            TEXT,
            "process, outcome, patient_reported_outcome, patient_experience, data_quality or innovation_milestone (¶16-17, ¶56, ¶60-61).",
            True,
        ),
        Column("provenance", TEXT, "national, regional or local (guidance ¶55, ¶57).", True),
        Column("national_indicator", TEXT, "Name of the national indicator it uses, if any; empty otherwise."),
        Column("pathway", TEXT, "Pathway tag shared with other providers' schemes (guidance ¶56; seed 002); empty when none."),
        Column("numerator", TEXT, "Numerator."),
        Column("denominator", TEXT, "Denominator."),
        Column("rationale", TEXT, "Rationale for inclusion."),
        Column("outcome_link", TEXT, "Stated link from a process to outcomes (guidance ¶56); empty when none."),
        Column("data_source", TEXT, "Data source."),
        Column("collection_frequency", TEXT, "Frequency of data collection."),
        Column("responsible_organisation", TEXT, "Organisation responsible for collection."),
        Column("reporting_frequency", TEXT, "Frequency of reporting to the commissioner."),
        Column("baseline_period", TEXT, "Baseline period; empty when none."),
        Column("baseline_value", DECIMAL, "Baseline value; empty when none."),
        Column("final_period", TEXT, "Final indicator period; empty when none."),
        Column("final_value", DECIMAL, "Final indicator value (the payment threshold at year end); empty when none."),
        Column("final_reporting_date", DATE, "Final reporting date."),
        Column("direction", TEXT, "`higher` or `lower` is better; empty for milestone indicators."),
        Column("partial_achievement_rule", TEXT, "all_or_nothing, linear, bands or milestone (docs/money.md).", True),
        Column("partial_achievement_floor", DECIMAL, "Floor of a linear rule; empty otherwise."),
        Column("weighting_percent", DECIMAL, "Indicator weighting, percentage points of the scheme.", True),
        *_money("expected_value", "Expected value of the indicator: its goal's value split by indicator weighting", True),
        Column(
            "stretch_percent",
            DECIMAL,
            "(final - baseline) / |baseline| x 100 in the indicator's direction, rounded half-up to two decimals (docs/report.md); empty when it cannot be computed.",
        ),
        Column("spans_years", BOOLEAN, "Whether the indicator spans more than one year (guidance ¶59).", True),
        Column("equality", TEXT, "The indicator's equality consideration; empty when none."),
        Column("contractual_requirement", BOOLEAN, "Marked as duplicating a basic contractual requirement (seed 002).", True),
    ),
    ("indicator_id",),
    (_fk_scheme(), ForeignKey(("goal_id",), "goals", ("goal_id",))),
    order="by scheme, then position",
)

MILESTONES = TableSpec(
    "milestones",
    "One row per in-year milestone of an indicator (month -> target, or what must be done).",
    (
        Column("indicator_id", TEXT, "The indicator (`indicators.indicator_id`).", True),
        Column("month", INTEGER, "Month of the financial year: 1 is April, 12 is March.", True),
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("target", DECIMAL, "Target at that month; empty for a milestone indicator."),
        Column("floor", DECIMAL, "The milestone's own floor, for a linear assessment; empty when none."),
        Column("description", TEXT, "What must be done by that month (milestone indicators); empty otherwise."),
    ),
    ("indicator_id", "month"),
    (_fk_scheme(), ForeignKey(("indicator_id",), "indicators", ("indicator_id",))),
    order="by scheme, indicator position, then as listed",
)

ACHIEVEMENT = TableSpec(
    "achievement",
    "One row per measurement recorded in the achievement data beside a scheme (`NAME.achievement.yaml`).",
    (
        Column("indicator_id", TEXT, "The indicator (`indicators.indicator_id`).", True),
        Column("month", INTEGER, "Month of the financial year the value is for.", True),
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("value", DECIMAL, "Measured value; empty for a milestone indicator."),
        Column("met", BOOLEAN, "For a milestone indicator: whether the milestone was met; empty otherwise."),
        Column("note", TEXT, "Note on the measurement; empty when none."),
        Column("file", TEXT, "The achievement file it was read from.", True),
    ),
    ("indicator_id", "month"),
    (_fk_scheme(), ForeignKey(("indicator_id",), "indicators", ("indicator_id",))),
    order="by scheme, then as listed in the achievement file",
)

RECONCILIATIONS = TableSpec(
    "reconciliations",
    "Reconciliations at checkpoints (guidance ¶66-67; docs/money.md): `computed` rows are cquin's reconciliation at every "
    "checkpoint of the scheme that has a measurement for that month (at month 12 also the actual outturn), and none when "
    "the achievement data has errors (as `cquin reconcile` refuses it); `recorded` rows are the adjustments agreed and "
    "recorded in the achievement file.",
    (
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("month", INTEGER, "Checkpoint month (6, 9, 12 by default).", True),
        Column(
            "source",
            TEXT,
            "`computed` (by cquin from the achievement data) or `recorded` (as agreed in the achievement file).",
            True,
        ),
        *_money(
            "base", "Base B_m used: forecast outturn in year, actual outturn at year end (computed rows; empty for recorded ones)"
        ),
        Column("base_source", TEXT, "Where B_m came from, in words (computed rows)."),
        *_money("expected_value", "pot(B_m) = rate x B_m, rounded (computed rows)"),
        *_money("earned", "E(m): earned to date"),
        *_money("paid", "P(m): on-account instalments to month m plus adjustments recorded at earlier checkpoints"),
        *_money(
            "adjustment", "A(m) = E(m) - P(m): positive, the commissioners pay the provider; negative, the provider repays", True
        ),
        Column("recorded_date", DATE, "Date the adjustment was recorded (recorded rows)."),
    ),
    ("scheme_id", "month", "source"),
    (_fk_scheme(),),
    order="by scheme, month, then computed before recorded",
)

RECONCILIATION_COMMISSIONERS = TableSpec(
    "reconciliation_commissioners",
    "Each commissioner's part of a reconciliation's adjustment A(m): who pays whom. `computed` rows are cquin's split "
    "(by contract share, largest remainder, to the penny: docs/money.md); `recorded` rows are the split written in the "
    "achievement file (`by_commissioner`). The computed parts add up to their adjustment exactly; recorded ones do when "
    "the file is right (rule E308 checks it).",
    (
        Column("scheme_id", TEXT, "The scheme (`schemes.scheme_id`).", True),
        Column("month", INTEGER, "Checkpoint month (`reconciliations.month`).", True),
        Column("source", TEXT, "`computed` or `recorded` (`reconciliations.source`).", True),
        Column("commissioner_code", TEXT, "The commissioner (`commissioners.commissioner_code`).", True),
        *_money(
            "adjustment",
            "This commissioner's part of A(m): positive, it pays the provider; negative, the provider repays it",
            True,
        ),
    ),
    ("scheme_id", "month", "source", "commissioner_code"),
    (
        _fk_scheme(),
        ForeignKey(("scheme_id", "month", "source"), "reconciliations", ("scheme_id", "month", "source")),
        ForeignKey(("scheme_id", "commissioner_code"), "commissioners", ("scheme_id", "commissioner_code")),
    ),
    order="by scheme, month, computed before recorded, then commissioners as in the scheme (computed) or the file (recorded)",
)

TABLES: tuple[TableSpec, ...] = (
    SCHEMES,
    COMMISSIONERS,
    GOALS,
    INDICATORS,
    MILESTONES,
    ACHIEVEMENT,
    RECONCILIATIONS,
    RECONCILIATION_COMMISSIONERS,
)


# --- building rows ----------------------------------------------------------------


def pence(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount.quantize(PENNY) / PENNY)


def _m(amount: Decimal | None) -> tuple[Decimal | None, int | None]:
    return (None if amount is None else amount.quantize(PENNY)), pence(amount)


def _text(value: str | None) -> str | None:
    return value if value else None


def goal_id(sid: str, number: str) -> str:
    return f"{sid}/goal/{number}"


def indicator_id(sid: str, number: str) -> str:
    return f"{sid}/{number}"


def _unique(rows: Iterable[tuple], key_positions: Sequence[int]) -> str | None:
    """The first key used twice in ``rows``, as text; None when all keys are unique."""
    seen = set()
    for row in rows:
        key = tuple(row[i] for i in key_positions)
        if key in seen:
            return " ".join(str(k) for k in key)
        seen.add(key)
    return None


def _scheme_rows(
    scheme: Scheme, achievement, checkpoint_data: dict[int, Any], priced: Price | None = None
) -> tuple[dict[str, list[tuple]], list[str]]:
    sid = scheme_id(scheme)
    priced = priced if priced is not None else price(scheme)
    notes: list[str] = []
    signed_clinical = bool(scheme.agreement and any(s.clinical_lead for s in scheme.agreement.signatories))
    rows: dict[str, list[tuple]] = {t.name: [] for t in TABLES}
    rows["schemes"].append(
        (
            sid,
            scheme.file,
            scheme.financial_year,
            scheme.provider.code,
            scheme.provider.name,
            scheme.provider.sector,
            scheme.provider.foundation_trust,
            scheme.commissioning_route,
            scheme.coordinating_commissioner.code,
            scheme.scheme_kind,
            scheme.rate,
            _text(scheme.rate_reason),
            *_m(scheme.contract_value.tariff_income),
            *_m(scheme.contract_value.non_tariff_income),
            *_m(scheme.contract_value.excluded_income),
            *_m(priced.planned_base),
            *_m(priced.expected_value),
            scheme.payment.on_account_share,
            *_m(priced.on_account_total),
            scheme.payment.instalments,
            ",".join(str(m) for m in scheme.payment.checkpoints),
            scheme.payment.is_default,
            scheme.agreement.date.isoformat() if scheme.agreement and scheme.agreement.date else None,
            signed_clinical,
            _text(scheme.equality),
            len(scheme.goals),
            len(scheme.indicators),
            rounded_stretch(scheme.stretch),
        )
    )
    for position, (c, value) in enumerate(zip(scheme.commissioners, priced.commissioners), start=1):
        rows["commissioners"].append(
            (
                sid,
                c.code,
                c.name,
                "coordinating" if c.coordinating else "associate",
                position,
                c.share,
                *_m(value.value),
                *_m(value.on_account),
            )
        )
    position = 0
    for g_position, (goal, goal_value) in enumerate(zip(scheme.goals, priced.goals), start=1):
        gid = goal_id(sid, goal.number)
        rows["goals"].append(
            (
                gid,
                sid,
                goal.number,
                g_position,
                goal.name,
                _text(goal.description),
                goal.domain,
                goal.weighting,
                *_m(goal_value.value),
            )
        )
        for indicator, indicator_value in zip(goal.indicators, goal_value.indicators):
            position += 1
            iid = indicator_id(sid, indicator.number)
            i = indicator
            rows["indicators"].append(
                (
                    iid,
                    sid,
                    gid,
                    i.number,
                    position,
                    i.name,
                    _text(i.description),
                    i.domain,
                    i.kind,
                    i.provenance,
                    _text(getattr(i, "national_indicator", "")),
                    i.pathway,
                    _text(i.numerator),
                    _text(i.denominator),
                    _text(i.rationale),
                    _text(i.outcome_link),
                    _text(i.data_source),
                    _text(i.collection_frequency),
                    _text(i.responsible_organisation),
                    _text(i.reporting_frequency),
                    _text(i.baseline.period) if i.baseline else None,
                    i.baseline.value if i.baseline else None,
                    _text(i.final.period) if i.final else None,
                    i.final.value if i.final else None,
                    i.final_reporting_date.isoformat() if i.final_reporting_date else None,
                    i.direction,
                    i.partial_achievement.rule.name,
                    i.partial_achievement.floor,
                    i.weighting,
                    *_m(indicator_value.value),
                    rounded_stretch(i.stretch),
                    i.spans_years,
                    _text(i.equality),
                    i.contractual_requirement,
                )
            )
            for milestone in i.milestones:
                rows["milestones"].append(
                    (iid, milestone.month, sid, milestone.target, milestone.floor, _text(milestone.description))
                )
    if achievement is not None:
        numbers = {i.number for i in scheme.indicators}
        for m in achievement.measurements:
            if m.indicator not in numbers:
                notes.append(
                    f"{achievement.file}: a measurement of indicator {m.indicator}, which {sid} does not have, is left out (E303)"
                )
                continue
            row = (indicator_id(sid, m.indicator), m.month, sid, m.value, m.met, _text(m.note), achievement.file)
            if any(r[:2] == row[:2] for r in rows["achievement"]):
                notes.append(
                    f"{achievement.file}: indicator {m.indicator} is measured twice for month {m.month}; the second is left out (E305)"
                )
                continue
            rows["achievement"].append(row)
    recorded = {a.month: a for a in achievement.adjustments} if achievement is not None else {}
    for month in sorted(set(checkpoint_data) | set(recorded)):
        r = checkpoint_data.get(month)
        if r is not None:
            rows["reconciliations"].append(
                (
                    sid,
                    month,
                    COMPUTED,
                    *_m(r.base),
                    r.base_source,
                    *_m(r.pot),
                    *_m(r.earned),
                    *_m(r.paid),
                    *_m(r.adjustment),
                    None,
                )
            )
            for part in r.commissioners:
                rows["reconciliation_commissioners"].append((sid, month, COMPUTED, part.code, *_m(part.adjustment)))
        a = recorded.get(month)
        if a is not None:
            rows["reconciliations"].append(
                (
                    sid,
                    month,
                    RECORDED,
                    None,
                    None,
                    None,
                    None,
                    None,
                    *_m(a.earned),
                    *_m(a.paid),
                    *_m(a.amount),
                    a.recorded.isoformat() if a.recorded else None,
                )
            )
            codes = {c.code for c in scheme.commissioners}
            for code, amount in a.by_commissioner:
                if code not in codes:  # E308 reports it; a row would point at no commissioner
                    notes.append(
                        f"{achievement.file}: the adjustment recorded at month {month} names {code}, not a commissioner of {sid}; that part is left out"
                    )
                    continue
                rows["reconciliation_commissioners"].append((sid, month, RECORDED, code, *_m(amount)))
    return rows, notes


def reconciliations_with_data(scheme: Scheme, achievement) -> tuple[dict[int, Any], list[str]]:
    """cquin's reconciliation at every checkpoint that has a measurement for its month.

    At month 12 the actual outturn is needed too (footnote 13); without it the
    checkpoint is left out and a note says so.
    """
    from cquin_cli.compute.reconciliation import ReconciliationRefused, reconcile

    out: dict[int, Any] = {}
    notes: list[str] = []
    if achievement is None:
        return out, notes
    months_measured = {m.month for m in achievement.measurements}
    for month in sorted(set(scheme.payment.checkpoints)):
        if month not in months_measured:
            continue
        try:
            out[month] = reconcile(scheme, achievement, month)
        except ReconciliationRefused as exc:
            notes.append(f"{achievement.file}: no computed reconciliation for month {month}: {exc}")
    return out, notes


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One scheme as the export reads it, made where the scheme was checked (:func:`export_entry`):
    its rows of every table, or why it is left out, and its notes. ``cquin export`` holds
    these, never the scheme records or their achievement data (it streams)."""

    summary: PortfolioSummary  # what --year, --commissioner and --provider filter by
    scheme_id: str
    left_out: str | None  # why the scheme gives no rows, or None
    # per table of TABLES, in order: its rows; with a spool, where they were put (None: no rows)
    rows: tuple[Any, ...]
    counts: tuple[int, ...]  # per table: how many rows
    notes: tuple[str, ...]  # kept when the scheme is exported
    unusable: bool = False  # left out before any row was made (a value stood in for): not even a scheme id taken


class SpooledRows(Sequence):
    """A table's rows, scheme after scheme, read back from the spool as they are iterated:
    a large export never holds them all (``cquin export``, docs/performance.md)."""

    def __init__(self, parts: list[Ref], count: int, spool: Spool) -> None:
        self.parts, self.length, self.spool = parts, count, spool

    def __len__(self) -> int:
        return self.length

    def __iter__(self):
        for ref in self.parts:
            yield from self.spool.get(ref)

    def __getitem__(self, index):  # a Sequence's; the writers only iterate
        rows = list(self)
        return rows[index]


def export_entry(
    scheme: Scheme, achievement: Any = None, data_errors: int = 0, priced: Price | None = None, spool: Spool | None = None
) -> ExportEntry:
    """The rows of one scheme: ``achievement`` its records (or None), ``data_errors`` the
    errors in them (no computed reconciliation then), ``priced`` its price when the caller has
    it. With ``spool`` the rows are put there, and the entry keeps where."""
    summary = PortfolioSummary.of(scheme)
    sid = scheme_id(scheme)

    def left_out(why: str, unusable: bool = False) -> ExportEntry:
        return ExportEntry(summary, sid, why, (), (), (), unusable)

    why = scheme.unusable_for_money
    if why is not None:
        return left_out(why, unusable=True)
    try:
        if data_errors:
            computed: dict[int, Any] = {}
            more = [
                f"{scheme.file}: no computed reconciliation, its achievement data has {data_errors} error{'s' if data_errors != 1 else ''} (`cquin validate` lists them)"
            ]
        else:
            computed, more = reconciliations_with_data(scheme, achievement)
        rows, own_notes = _scheme_rows(scheme, achievement, computed, priced)
    except ValueError as exc:  # nothing to split by (E202/E206 say why)
        return left_out(f"it cannot be priced ({exc})")
    for spec in TABLES:
        positions = [spec.column_names.index(k) for k in spec.primary_key]
        key = _unique(rows[spec.name], positions)
        if key is not None:
            return left_out(f"{spec.name} key {key} is used twice (see E211/E213)")
    parts: tuple[Any, ...] = tuple(tuple(rows[t.name]) for t in TABLES)
    if spool is not None:
        try:
            parts = tuple(spool.put(part) if part else None for part in parts)
        except OSError as exc:  # a full temporary folder: a write refused (exit 2), not a crash
            from cquin_cli.atomic import cannot_write

            raise cannot_write(f"{spool.folder} (the temporary folder, TMPDIR)", exc) from None
    return ExportEntry(summary, sid, None, parts, tuple(len(rows[t.name]) for t in TABLES), (*more, *own_notes))


def export_entry_of(result: FileResult, data: FileResult | None = None, spool: Spool | None = None) -> ExportEntry:
    """:func:`export_entry` of a checked scheme and the achievement data beside it (checked
    against it), in the worker that checked them (``check_paths(derive=...)``)."""
    assert isinstance(result.scheme, Scheme)
    records, errors = achievement_of(data)
    return export_entry(result.scheme, records, errors, spool=spool)


def export_tables(
    schemes: Sequence[Scheme],
    achievements: dict[str, Any] | None = None,
    data_errors: dict[str, int] | None = None,
    *,
    prices: dict[str, Price] | None = None,
) -> Export:
    """The eight tables of ``schemes``; ``achievements`` maps a scheme file to its achievement
    records, ``data_errors`` a scheme file to the errors in them (no computed reconciliation then).
    ``prices``: a scheme file's :func:`~cquin_cli.compute.pricing.price`, when the caller has it."""
    achievements = achievements or {}
    data_errors = data_errors or {}
    prices = prices or {}
    return tables_of([export_entry(s, achievements.get(s.file), data_errors.get(s.file, 0), prices.get(s.file)) for s in schemes])


def tables_of(entries: Iterable[ExportEntry], spool: Spool | None = None) -> Export:
    """The eight tables of the schemes' entries: schemes in scheme_id order, one file per scheme id.
    ``spool``: where the entries' rows were put (:func:`export_entry`); the tables read them back."""
    collected: dict[str, list] = {t.name: [] for t in TABLES}
    counts = dict.fromkeys(collected, 0)
    notes: list[str] = []
    seen_ids: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: (e.scheme_id, e.summary.file)):
        file, sid = entry.summary.file, entry.scheme_id
        if entry.unusable:
            notes.append(f"{file}: left out, {entry.left_out}")
            continue
        if sid in seen_ids:
            notes.append(
                f"{file}: left out, scheme {sid} is already exported from {seen_ids[sid]} (one scheme per provider, year and route, E203)"
            )
            continue
        if entry.left_out is not None:
            notes.append(f"{file}: left out, {entry.left_out}")
            continue
        seen_ids[sid] = file
        notes.extend(entry.notes)
        for spec, part, count in zip(TABLES, entry.rows, entry.counts):
            if count:
                collected[spec.name].append(part)
                counts[spec.name] += count
    if spool is not None:
        tables = tuple(Table(spec, SpooledRows(collected[spec.name], counts[spec.name], spool)) for spec in TABLES)
    else:
        tables = tuple(Table(spec, tuple(row for part in collected[spec.name] for row in part)) for spec in TABLES)
    return Export(tables, tuple(notes))


def _achievement_results(run):
    """(scheme, the run's result for the achievement file beside it) for each loaded scheme
    that has one."""
    import os

    from cquin_cli.load.discovery import achievement_file_for

    by_file = {os.path.normpath(r.file): r for r in run.results}
    for scheme in run.schemes:
        result = by_file.get(os.path.normpath(achievement_file_for(scheme.file)))
        if result is not None:
            yield scheme, result


def achievement_errors_of_run(run) -> dict[str, int]:
    """Each loaded scheme whose achievement data beside it has errors: how many (the
    findings themselves are in the run's diagnostics)."""
    out: dict[str, int] = {}
    for scheme, result in _achievement_results(run):
        errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
        if errors:
            out[scheme.file] = errors
    return out


def achievements_of_run(run) -> dict[str, Any]:
    """Each loaded scheme's achievement records, from the achievement file beside it that
    passed the format (its own findings are in the run's diagnostics)."""
    from cquin_cli.load.achievement import build_achievement

    return {
        scheme.file: build_achievement(result.values, result.file)
        for scheme, result in _achievement_results(run)
        if isinstance(result.values, dict)
    }


# --- the data dictionary ----------------------------------------------------------

_KIND_WORDS = {
    TEXT: "text",
    INTEGER: "integer",
    DECIMAL: "decimal",
    MONEY: "money (text)",
    PENCE: "pence (integer)",
    BOOLEAN: "boolean",
    DATE: "date (text)",
}


def data_dictionary() -> str:
    """``docs/data-dictionary.md``, generated from :data:`TABLES` (a test keeps the file equal)."""
    out = [
        "# Data dictionary: `cquin export`",
        "",
        "<!-- Generated from cquin_cli/portfolio/export_tables.py (TABLES); tests/test_export.py checks that this file matches. -->",
        "",
        "`cquin export PATH... --format csv|json|sqlite -o OUT` writes the schemes under the paths as eight flat tables",
        "with stable keys, for research across many schemes (seed 004). The tables and columns are the same in every",
        "format. `--year`, `--commissioner` and `--provider` (each repeatable) keep only the schemes that match, as in",
        "`cquin report`; the other tables follow the schemes kept.",
        "",
        "## Types in each format",
        "",
        "| type | CSV | JSON | SQLite |",
        "|---|---|---|---|",
        "| text | the text (a text that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so a spreadsheet never reads it as a formula) | string | TEXT |",
        "| integer | digits | number | INTEGER |",
        '| decimal | the exact decimal as written, e.g. `62.5` | string, e.g. `"62.5"` (no digit lost to a float) | NUMERIC (SQLite stores it as INTEGER or REAL) |',
        '| money (text) | pounds with exactly two decimals, e.g. `-128700.00` | string, e.g. `"-128700.00"` | TEXT |',
        "| pence (integer) | the same amount in pence, e.g. `-12870000` | number | INTEGER |",
        "| boolean | `true` / `false` | true / false | INTEGER 1 / 0 (CHECK in (0, 1)) |",
        "| date (text) | `YYYY-MM-DD` | string | TEXT |",
        "",
        'An empty CSV cell, a JSON `null` and an SQL NULL all mean "not recorded".',
        "",
        "**Money** is given twice: as exact text with two decimals (`expected_value`, what a contract shows) and as",
        "integer pence (`expected_value_pence`, for arithmetic: `SUM(expected_value_pence) / 100.0` is exact in SQL",
        "until the final division). Every amount is cquin's own (`cquin price`, `cquin reconcile`), rounded half-up to",
        "the penny once, and every split adds up exactly (docs/money.md). Percentages are percentage points (`30` is 30%).",
        "**Stretch** (`stretch_percent`) is rounded half-up to two decimals once, from the exact value (a scheme's from the",
        "exact mean of its indicators'), so it is the same figure as `cquin report` shows (docs/report.md).",
        "",
        "**Keys** are stable across runs and readable: `scheme_id` is `<provider>/<year with a dash>/<route>`",
        "(`RNF/2009-10/pct`), `goal_id` is scheme_id + `/goal/` + goal number, `indicator_id` is scheme_id + `/` +",
        "indicator number. The SQLite file declares every primary and foreign key; `PRAGMA foreign_key_check` is empty.",
        "A scheme whose keys would collide (two files for one scheme; a number or month used twice) is left out and",
        "named on stderr, as is a measurement of an indicator the scheme does not have. A scheme holding a value cquin",
        "cannot use as written (E103, E105-E107: money with three decimals or `nan`, an impossible date) is left out",
        "whole and named too: the loader keeps going with a stand-in (0.00 for money), so its rows would not be the",
        "scheme's figures. When every scheme is left out nothing is written (exit 2).",
        "",
        "**Rows** come in a fixed order (below), so the same schemes give the same bytes.",
        "",
        '**JSON** is one document: `{"format": "cquin-export", "version": 1, "tables": {"schemes": [ {column: value, ...}, ... ], ...}}`.',
        "**CSV** is one file per table, `<table>.csv`, UTF-8, a header row, comma-separated.",
        "",
    ]
    for spec in TABLES:
        out += [f"## `{spec.name}`", "", spec.description, ""]
        out.append(f"Primary key: ({', '.join(spec.primary_key)}). Rows: {spec.order}.")
        for fk in spec.foreign_keys:
            out.append(f"Foreign key: ({', '.join(fk.columns)}) → `{fk.table}` ({', '.join(fk.references)}).")
        out += ["", "| column | type | required | description |", "|---|---|---|---|"]
        for c in spec.columns:
            out.append(
                f"| `{c.name}` | {_KIND_WORDS[c.kind]} | {'yes' if c.required else ''} | {c.description.replace('|', chr(92) + '|')} |"
            )
        out.append("")
    return "\n".join(out)
