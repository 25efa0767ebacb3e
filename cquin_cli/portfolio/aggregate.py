"""The regional view: figures across a portfolio of schemes (guidance ¶36, ¶71, ¶76-77, ¶80; seed 004).

A pure function of scheme records and the checker's diagnostics:
:func:`portfolio_report` returns a frozen :class:`PortfolioReport` that the reporters
(``cquin_cli.report.portfolio_text``, ``cquin_cli.render.report_xlsx``) print or draw.
Nothing here reads a file or formats text. The definitions, written down in
``docs/report.md``:

* **money** is only ever taken from :func:`cquin_cli.compute.pricing.price` (the
  expected value at the planned base, split by goal and indicator weighting); sums of
  those amounts are exact, shares of them are exact decimals;
* **median and quartiles** use linear interpolation between closest ranks (position
  ``(n - 1) x p`` in the sorted values; Excel's QUARTILE.INC); a quartile of money is
  a named amount and is rounded half-up to the penny once;
* **stretch** of an indicator = (final - baseline) / |baseline|, as percentage points,
  signed so that a positive stretch is an improvement in the indicator's direction
  (higher: final above baseline; lower: final below it). Indicators without a numeric
  baseline and final value, without a direction, or with a zero baseline have no
  stretch and are counted as such. A scheme's stretch is the plain mean of its
  indicators' stretch (the same definition as lint rule W413, so the report and the
  lint finding agree). Every stretch figure (an indicator's, a scheme's, a provider's,
  a median, a spread) is computed from the exact values and rounded half-up to two
  decimals once, here (:func:`rounded_stretch`), so the report's text, JSON and
  workbook and the export's CSV, JSON and SQLite all show the same figure;
* a **requirement** of DOMAIN.md §3 (codes x2xx) or §6 (codes x4xx, ``cquin lint``)
  is met by a scheme when the checker reported no finding of that code in its file,
  counted as ``cquin lint`` counts (configuration and suppressions applied, see
  :func:`from_lint`); a scheme whose only findings of that code are suppressed with a
  recorded reason meets it, and is counted apart as met by a suppression;
* **equivalent challenge** (¶71): per coordinating commissioner and financial year,
  each provider's stretch (the mean of its schemes' stretch there) side by side;
* **the same indicator paid twice** (seed 002): for one provider and year, a PCT-led
  scheme and a specialised commissioning group scheme holding indicators with the same
  name (case, punctuation and spacing ignored) or the same ``national_indicator`` (the
  same test as lint rule W414);
* **pathway groups** (¶56; seed 002): indicators sharing a ``pathway`` tag, with each
  scheme's indicators and their expected value.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from cquin_cli.check.pipeline import FileResult, PortfolioSummary, achievement_of
from cquin_cli.check.rules.w414_paid_twice import paid_twice
from cquin_cli.compute.pricing import Price, price
from cquin_cli.diagnostics import Diagnostic
from cquin_cli.load.scheme import DOMAINS, SECTOR_WORDS, Scheme
from cquin_cli.money import HUNDRED, ZERO, to_penny

# Orders of the tallies: the schema's own enumerations, so an empty category still shows.
SECTORS = tuple(SECTOR_WORDS)
ROUTES = ("pct", "specialised_commissioning_group")
KINDS = ("process", "outcome", "patient_reported_outcome", "patient_experience", "data_quality", "innovation_milestone")
PROVENANCES = ("national", "regional", "local")

_CONTEXT_PREC = 40

# Stretch is shown to a hundredth of a percentage point (docs/report.md).
STRETCH_PLACES = Decimal("0.01")


# --- the figures ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Count:
    """How many of ``total`` fall under ``key``; ``share`` in percentage points, exact."""

    key: str
    count: int
    share: Decimal


@dataclass(frozen=True, slots=True)
class Spread:
    minimum: Decimal | None
    median: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True, slots=True)
class ValueDistribution:
    """£ per indicator across the portfolio (seed 004), each figure rounded to the penny."""

    indicators: int
    minimum: Decimal | None
    lower_quartile: Decimal | None
    median: Decimal | None
    upper_quartile: Decimal | None
    maximum: Decimal | None
    min_value: Decimal  # the threshold used
    under_min_value: int


@dataclass(frozen=True, slots=True)
class DomainShare:
    domain: str
    indicators: int
    indicator_share: Decimal  # percentage points of all indicators
    value: Decimal  # expected value of the domain's goals, summed over schemes
    value_share: Decimal  # percentage points of the portfolio's expected value


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    scheme_id: str
    file: str
    number: str
    name: str
    domain: str
    kind: str
    provenance: str
    direction: str | None
    baseline: Decimal | None
    final: Decimal | None
    weighting: Decimal
    value: Decimal
    stretch: Decimal | None  # percentage points; None when it cannot be computed
    pathway: str | None


@dataclass(frozen=True, slots=True)
class SchemeFigures:
    scheme_id: str
    file: str
    financial_year: str
    provider_code: str
    provider_name: str
    sector: str
    commissioning_route: str
    coordinating_commissioner: str
    coordinating_commissioner_name: str
    associates: tuple[str, ...]
    expected_value: Decimal
    indicators: int
    indicators_with_stretch: int
    stretch: Decimal | None  # mean of its indicators' stretch


@dataclass(frozen=True, slots=True)
class StretchSummary:
    indicators: int  # all indicators in the portfolio
    with_stretch: int
    without_stretch: int
    not_stretching: int  # stretch <= 0: target no better than baseline (¶13, ¶26, ¶58)
    indicator_spread: Spread
    scheme_spread: Spread


@dataclass(frozen=True, slots=True)
class Requirement:
    code: str
    title: str
    source: str
    schemes_meeting: int
    schemes: int
    share: Decimal  # percentage points
    skipped_files: int = 0  # files that could not be loaded because of this code (schema rules)
    schemes_suppressed: int = 0  # of schemes_meeting: those whose findings of it are all suppressed with a reason


@dataclass(frozen=True, slots=True)
class ProviderChallenge:
    provider_code: str
    provider_name: str
    scheme_ids: tuple[str, ...]
    indicators_with_stretch: int
    stretch: Decimal | None


@dataclass(frozen=True, slots=True)
class ChallengeGroup:
    """¶71: one coordinating commissioner's providers in one year, stretch side by side."""

    coordinating_commissioner: str
    coordinating_commissioner_name: str
    financial_year: str
    providers: tuple[ProviderChallenge, ...]
    spread: Decimal | None  # highest minus lowest provider stretch; None under two providers


@dataclass(frozen=True, slots=True)
class DoublePayment:
    """Seed 002: one provider paid for the same indicator by its PCT and its SCG scheme."""

    provider_code: str
    provider_name: str
    financial_year: str
    pct_scheme_id: str
    pct_indicator: str
    pct_indicator_name: str
    pct_value: Decimal
    scg_scheme_id: str
    scg_indicator: str
    scg_indicator_name: str
    scg_value: Decimal
    matched_by: str  # "name" or "national indicator"


@dataclass(frozen=True, slots=True)
class PathwayPart:
    scheme_id: str
    provider_code: str
    provider_name: str
    sector: str
    financial_year: str
    indicators: tuple[str, ...]  # indicator numbers
    indicator_names: tuple[str, ...]
    value: Decimal


@dataclass(frozen=True, slots=True)
class PathwayGroup:
    pathway: str
    providers: int
    parts: tuple[PathwayPart, ...]
    value: Decimal


@dataclass(frozen=True, slots=True)
class Filters:
    years: tuple[str, ...] = ()
    commissioners: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.years or self.commissioners or self.providers)


@dataclass(frozen=True, slots=True)
class PortfolioReport:
    filters: Filters
    schemes: tuple[SchemeFigures, ...]
    skipped_files: tuple[str, ...]  # scheme files that could not be loaded (see the diagnostics)
    expected_value: Decimal  # the portfolio's total expected value
    by_year: tuple[Count, ...]
    by_sector: tuple[Count, ...]
    by_route: tuple[Count, ...]
    indicators_per_scheme: Spread
    domains: tuple[DomainShare, ...]
    kinds: tuple[Count, ...]
    provenance: tuple[Count, ...]
    value_per_indicator: ValueDistribution
    indicators: tuple[IndicatorFigures, ...]
    stretch: StretchSummary
    framework_requirements: tuple[Requirement, ...]  # DOMAIN.md §3
    design_requirements: tuple[Requirement, ...]  # DOMAIN.md §6; empty when no lint rule exists
    lint_available: bool
    challenge: tuple[ChallengeGroup, ...]
    double_payments: tuple[DoublePayment, ...]
    pathways: tuple[PathwayGroup, ...]
    # Schemes that loaded but are left out, with why (named on stderr by the command):
    # a value cquin could not use (``Scheme.unusable_for_money``), or nothing to price by.
    left_out: tuple[tuple[str, str], ...] = ()


# --- small exact statistics --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearTotal:
    """One financial year's schemes added up (guidance ¶50: money is never carried between years)."""

    financial_year: str
    schemes: int
    indicators: int
    base: Decimal  # the bases priced, added up
    expected_value: Decimal
    on_account: Decimal


def year_totals(prices: Iterable[Price]) -> tuple[YearTotal, ...]:
    """Totals per financial year, earliest first: the one place money is added up across schemes by year."""
    return year_totals_of(year_entry(p) for p in prices)


def year_entry(p: Price) -> tuple[str, int, Decimal, Decimal, Decimal]:
    """What a priced scheme adds to its year's totals: (year, indicators, base, expected value, on account).
    A worker process returns this instead of the Price, so the run keeps no scheme."""
    return (p.scheme.financial_year, len(p.scheme.indicators), p.base, p.expected_value, p.on_account_total)


def year_totals_of(entries: Iterable[tuple[str, int, Decimal, Decimal, Decimal]]) -> tuple[YearTotal, ...]:
    """:func:`year_totals` from each scheme's :func:`year_entry`."""
    by_year: dict[str, list[tuple[str, int, Decimal, Decimal, Decimal]]] = defaultdict(list)
    for entry in entries:
        by_year[entry[0]].append(entry)
    return tuple(
        YearTotal(
            year,
            len(group),
            sum(e[1] for e in group),
            sum((e[2] for e in group), ZERO),
            sum((e[3] for e in group), ZERO),
            sum((e[4] for e in group), ZERO),
        )
        for year, group in sorted(by_year.items())
    )


def share(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """``part`` as percentage points of ``whole``, exact to 40 digits; 0 of nothing is 0."""
    if not whole:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = _CONTEXT_PREC
        return Decimal(part) * HUNDRED / Decimal(whole)


def quantile(values: Sequence[Decimal], p: Decimal) -> Decimal | None:
    """Linear interpolation between closest ranks at ``(n - 1) x p`` (QUARTILE.INC)."""
    ordered = sorted(values)
    if not ordered:
        return None
    with localcontext() as ctx:
        ctx.prec = _CONTEXT_PREC
        position = (len(ordered) - 1) * p
        low = int(position)
        fraction = position - low
        if fraction == 0 or low + 1 >= len(ordered):
            return ordered[low]
        return ordered[low] + (ordered[low + 1] - ordered[low]) * fraction


def spread(values: Sequence[Decimal]) -> Spread:
    if not values:
        return Spread(None, None, None)
    return Spread(min(values), quantile(values, Decimal("0.5")), max(values))


def rounded_stretch(value: Decimal | None) -> Decimal | None:
    """A stretch figure as reported: half-up to two decimals, once, from the exact value."""
    if value is None:
        return None
    rounded = value.quantize(STRETCH_PLACES, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.00"


def _rounded_spread(s: Spread) -> Spread:
    return Spread(rounded_stretch(s.minimum), rounded_stretch(s.median), rounded_stretch(s.maximum))


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    with localcontext() as ctx:
        ctx.prec = _CONTEXT_PREC
        return sum(values, Decimal(0)) / len(values)


# --- keys and filters --------------------------------------------------------------


def scheme_id(scheme: Scheme) -> str:
    """The stable key of a scheme: ``<provider>/<year with a dash>/<route>``, e.g. ``RNF/2009-10/pct``."""
    return f"{scheme.provider.code}/{scheme.financial_year.replace('/', '-')}/{scheme.commissioning_route}"


def normalise_year(year: str) -> str:
    return year.strip().replace("-", "/")


def matches(scheme: Scheme | PortfolioSummary, filters: Filters) -> bool:
    if filters.years and scheme.financial_year not in {normalise_year(y) for y in filters.years}:
        return False
    if filters.providers and scheme.provider.code.upper() not in {p.upper() for p in filters.providers}:
        return False
    if filters.commissioners:
        wanted = {c.upper() for c in filters.commissioners}
        if not any(c.code.upper() in wanted for c in scheme.commissioners):
            return False
    return True


def default_min_value() -> Decimal:
    """Lint rule W404's default £ floor per indicator (``minimum_value``, £10,000.00; seed
    004), so the report's "worth too little" count and ``cquin lint`` use one figure."""
    from cquin_cli.check.rules.w404_indicator_value import OPTIONS

    return to_penny(Decimal(OPTIONS["minimum_value"]))


# --- the report --------------------------------------------------------------------


def _tally(keys: Iterable[str], order: Sequence[str]) -> tuple[Count, ...]:
    counts = Counter(keys)
    total = sum(counts.values())
    known = list(order) + sorted(k for k in counts if k not in order)
    return tuple(Count(k, counts.get(k, 0), share(counts.get(k, 0), total)) for k in known)


def _codes_by_file(diagnostics: Iterable[Diagnostic]) -> dict[str, set[str]]:
    by_file: dict[str, set[str]] = defaultdict(set)
    for d in diagnostics:
        by_file[d.location.file].add(d.code)
        for other in d.related:
            by_file[other.file].add(d.code)
    return by_file


def _requirements(
    schemes: Sequence[PortfolioSummary],
    codes_by_file: dict[str, set[str]],
    skipped: Sequence[str],
    area: str,
    lint: bool,
    suppressed_by_file: dict[str, set[str]] | None = None,
) -> tuple[Requirement, ...]:
    from cquin_cli.check.registry import SCHEMA, all_rules

    suppressed_by_file = suppressed_by_file or {}
    out = []
    for rule in all_rules().values():
        if rule.code[1:2] != area or (rule.lint_only and not lint):
            continue
        meeting = [s for s in schemes if rule.code not in codes_by_file.get(s.file, set())]
        by_suppression = sum(1 for s in meeting if rule.code in suppressed_by_file.get(s.file, set()))
        skipped_for_it = sum(1 for f in skipped if rule.code in codes_by_file.get(f, set())) if rule.scope == SCHEMA else 0
        out.append(
            Requirement(
                rule.code,
                rule.title,
                rule.source,
                len(meeting),
                len(schemes),
                share(len(meeting), len(schemes)),
                skipped_for_it,
                by_suppression,
            )
        )
    return tuple(out)


def _double_payments(entries: Sequence[ReportEntry]) -> tuple[DoublePayment, ...]:
    values = {e.summary.file: {r.number: r.value for r in e.indicators} for e in entries}
    found = []
    for provider, year, p, pi, g, gi, how in paid_twice([e.summary for e in entries]):
        p_values, g_values = values[p.file], values[g.file]
        found.append(
            DoublePayment(
                provider,
                p.provider.name,
                year,
                scheme_id(p),
                pi.number,
                pi.name,
                p_values.get(pi.number, ZERO),
                scheme_id(g),
                gi.number,
                gi.name,
                g_values.get(gi.number, ZERO),
                how,
            )
        )
    return tuple(sorted(found, key=lambda d: (d.financial_year, d.provider_code)))


def _indicator_values(priced: Price) -> dict[str, Decimal]:
    return {i.number: i.value for i in priced.indicators}


def scheme_figures(s: Scheme, priced: Price) -> tuple[SchemeFigures, tuple[IndicatorFigures, ...], list[Decimal | None]]:
    """One scheme's row of the report, its indicators' rows, and each indicator's exact stretch.

    The one place a scheme becomes report figures: :func:`portfolio_report` and the
    published site (``cquin site``, one scheme at a time) both call it.
    """
    sid = scheme_id(s)
    values = _indicator_values(priced)
    exact = [i.stretch for i in s.indicators]
    rows = tuple(
        IndicatorFigures(
            sid,
            s.file,
            i.number,
            i.name,
            i.domain,
            i.kind,
            i.provenance,
            i.direction,
            i.baseline.value if i.baseline else None,
            i.final.value if i.final else None,
            i.weighting,
            values.get(i.number, ZERO),
            rounded_stretch(x),
            i.pathway,
        )
        for i, x in zip(s.indicators, exact)
    )
    stretched = [x for x in exact if x is not None]
    figures = SchemeFigures(
        sid,
        s.file,
        s.financial_year,
        s.provider.code,
        s.provider.name,
        s.provider.sector,
        s.commissioning_route,
        s.coordinating_commissioner.code,
        s.coordinating_commissioner.name,
        tuple(a.code for a in s.associates),
        priced.expected_value,
        len(rows),
        len(stretched),
        rounded_stretch(mean(stretched)),
    )
    return figures, rows, exact


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One scheme as the report reads it, made where the scheme was checked (:func:`report_entry`):
    what it is filtered and sorted by, and its figures, or why it is left out. A portfolio
    report holds these, never the scheme records (``cquin report`` streams)."""

    summary: PortfolioSummary
    left_out: str | None  # why no figure of it is the scheme's own; None when it was priced
    figures: SchemeFigures | None = None
    indicators: tuple[IndicatorFigures, ...] = ()
    exact_stretch: tuple[Decimal | None, ...] = ()  # each indicator's, unrounded
    domain_values: tuple[tuple[str, Decimal], ...] = ()  # each goal's domain and value


def report_entry(scheme: Scheme) -> ReportEntry:
    """The report's :class:`ReportEntry` of one scheme record."""
    summary = PortfolioSummary.of(scheme)
    why = scheme.unusable_for_money
    if why is not None:
        return ReportEntry(summary, why)
    try:
        priced = price(scheme)
    except ValueError as exc:  # no weight or share to split by (E202/E206 say why): cannot be priced
        return ReportEntry(summary, f"it cannot be priced ({exc})")
    figures, rows, exact = scheme_figures(scheme, priced)
    return ReportEntry(summary, None, figures, rows, tuple(exact), tuple((g.domain, g.value) for g in priced.goals))


def report_entry_of(result: FileResult, _achievement: FileResult | None = None) -> ReportEntry:
    """:func:`report_entry` of a checked scheme, in the worker that checked it (``check_paths(derive=...)``)."""
    assert isinstance(result.scheme, Scheme)
    return report_entry(result.scheme)


def portfolio_report(
    entries: Sequence[ReportEntry],
    diagnostics: Sequence[Diagnostic] = (),
    *,
    skipped_files: Sequence[str] = (),
    filters: Filters = Filters(),
    min_value: Decimal | None = None,
    lint: bool = False,
    suppressed: Sequence[Diagnostic] = (),
) -> PortfolioReport:
    """Every figure of the portfolio report for the schemes that pass ``filters``.

    ``entries``: each scheme's :class:`ReportEntry` (:func:`report_entry`).

    ``diagnostics`` are the findings reported (``cquin lint``'s, see :func:`from_lint`);
    they decide which requirements each scheme meets. ``suppressed`` are the findings a
    suppression with a recorded reason moved aside: they do not count against a
    requirement, and are counted as such. ``skipped_files`` are scheme files that could
    not be loaded; they appear only as a count (and against schema-checked requirements).
    """
    threshold = to_penny(min_value) if min_value is not None else default_min_value()
    picked = sorted(
        (e for e in entries if matches(e.summary, filters)),
        key=lambda e: (e.summary.financial_year, e.summary.provider.code, e.summary.commissioning_route, e.summary.file),
    )
    left_out = [(e.summary.file, e.left_out) for e in picked if e.left_out is not None]
    skipped_files = (*skipped_files, *(file for file, _ in left_out))
    priced = [e for e in picked if e.left_out is None]
    chosen = [e.summary for e in priced]

    indicator_rows: list[IndicatorFigures] = []
    scheme_rows: list[SchemeFigures] = []
    # Exact stretch, for the figures made from many (means, medians, spreads); the
    # rows carry it rounded.
    exact_indicator_stretch: list[Decimal] = []
    exact_scheme_stretch: dict[str, Decimal | None] = {}
    domain_value: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e in priced:
        for domain, value in e.domain_values:
            domain_value[domain] += value
        figures, rows = e.figures, e.indicators
        assert figures is not None  # a priced entry has its figures
        indicator_rows.extend(rows)
        stretched = [x for x in e.exact_stretch if x is not None]
        exact_indicator_stretch.extend(stretched)
        exact_scheme_stretch[figures.scheme_id] = mean(stretched)
        scheme_rows.append(figures)

    total_value = sum((r.expected_value for r in scheme_rows), ZERO)
    domain_counts = Counter(r.domain for r in indicator_rows)
    domains = tuple(
        DomainShare(
            d,
            domain_counts.get(d, 0),
            share(domain_counts.get(d, 0), len(indicator_rows)),
            domain_value[d],
            share(domain_value[d], total_value),
        )
        for d in DOMAINS
    )

    money = [r.value for r in indicator_rows]

    def quart(p: str) -> Decimal | None:
        middle = quantile(money, Decimal(p)) if money else None
        return None if middle is None else to_penny(middle)

    value_distribution = ValueDistribution(
        len(money),
        min(money) if money else None,
        quart("0.25"),
        quart("0.5"),
        quart("0.75"),
        max(money) if money else None,
        threshold,
        sum(1 for v in money if v < threshold),
    )

    schemes_stretch = [x for x in exact_scheme_stretch.values() if x is not None]
    stretch = StretchSummary(
        len(indicator_rows),
        len(exact_indicator_stretch),
        len(indicator_rows) - len(exact_indicator_stretch),
        sum(1 for x in exact_indicator_stretch if x <= 0),
        _rounded_spread(spread(exact_indicator_stretch)),
        _rounded_spread(spread(schemes_stretch)),
    )

    codes = _codes_by_file(diagnostics)
    suppressed_codes = _codes_by_file(suppressed)
    from cquin_cli.check.registry import all_rules

    lint_available = any(r.code[1:2] == "4" for r in all_rules().values())

    return PortfolioReport(
        filters=filters,
        schemes=tuple(scheme_rows),
        skipped_files=tuple(skipped_files),
        expected_value=total_value,
        by_year=_tally((s.financial_year for s in chosen), sorted({s.financial_year for s in chosen})),
        by_sector=_tally((s.provider.sector for s in chosen), SECTORS),
        by_route=_tally((s.commissioning_route for s in chosen), ROUTES),
        indicators_per_scheme=spread([Decimal(r.indicators) for r in scheme_rows]),
        domains=domains,
        kinds=_tally((r.kind for r in indicator_rows), KINDS),
        provenance=_tally((r.provenance for r in indicator_rows), PROVENANCES),
        value_per_indicator=value_distribution,
        indicators=tuple(indicator_rows),
        stretch=stretch,
        framework_requirements=_requirements(chosen, codes, skipped_files, "2", lint, suppressed_codes),
        design_requirements=_requirements(chosen, codes, skipped_files, "4", lint, suppressed_codes) if lint else (),
        lint_available=lint and lint_available,
        challenge=equivalent_challenge(scheme_rows, exact_scheme_stretch),
        double_payments=_double_payments(priced),
        pathways=pathway_groups(scheme_rows, indicator_rows),
        left_out=tuple(left_out),
    )


def equivalent_challenge(rows: Sequence[SchemeFigures], exact: dict[str, Decimal | None]) -> tuple[ChallengeGroup, ...]:
    """¶71: per coordinating commissioner and year, each provider's stretch; ``exact`` maps a
    scheme id to its exact stretch (the rows carry it rounded)."""
    groups: dict[tuple[str, str], list[SchemeFigures]] = defaultdict(list)
    for r in rows:
        groups[(r.coordinating_commissioner, r.financial_year)].append(r)
    out = []
    for (code, year), members in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        by_provider: dict[str, list[SchemeFigures]] = defaultdict(list)
        for r in members:
            by_provider[r.provider_code].append(r)
        providers = []
        known = []  # exact provider stretch
        for provider, own in sorted(by_provider.items()):
            provider_stretch = mean([x for r in own if (x := exact[r.scheme_id]) is not None])
            if provider_stretch is not None:
                known.append(provider_stretch)
            providers.append(
                ProviderChallenge(
                    provider,
                    own[0].provider_name,
                    tuple(r.scheme_id for r in own),
                    sum(r.indicators_with_stretch for r in own),
                    rounded_stretch(provider_stretch),
                )
            )
        spread_of = rounded_stretch(max(known) - min(known)) if len(known) >= 2 else None
        out.append(ChallengeGroup(code, members[0].coordinating_commissioner_name, year, tuple(providers), spread_of))
    return tuple(out)


def pathway_groups(schemes: Sequence[SchemeFigures], rows: Sequence[IndicatorFigures]) -> tuple[PathwayGroup, ...]:
    """¶56: indicators sharing a pathway tag, grouped by scheme (schemes in ``schemes`` order)."""
    by_tag: dict[str, dict[str, list[IndicatorFigures]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.pathway:
            by_tag[r.pathway][r.file].append(r)
    scheme_by_file = {s.file: s for s in schemes}
    out = []
    for tag in sorted(by_tag):
        parts = []
        for file, members in by_tag[tag].items():  # schemes in report order
            s = scheme_by_file[file]
            parts.append(
                PathwayPart(
                    s.scheme_id,
                    s.provider_code,
                    s.provider_name,
                    s.sector,
                    s.financial_year,
                    tuple(m.number for m in members),
                    tuple(m.name for m in members),
                    sum((m.value for m in members), ZERO),
                )
            )
        out.append(PathwayGroup(tag, len({p.provider_code for p in parts}), tuple(parts), sum((p.value for p in parts), ZERO)))
    return tuple(out)


def _unloaded(run) -> list[str]:
    from cquin_cli.load.discovery import is_achievement_file

    return [r.file for r in run.results if r.scheme is None and not r.skipped and not is_achievement_file(r.file)]


def from_lint(lint_run, *, filters: Filters = Filters(), min_value: Decimal | None = None) -> PortfolioReport:
    """The report of a :class:`~cquin_cli.check.lint.LintRun` made with ``derive=report_entry_of``
    (each scheme's entry made where it was checked): requirements counted the way
    ``cquin lint`` counts findings (configuration applied: a disabled rule finds nothing),
    and findings suppressed with a recorded reason counted as met by a suppression."""
    run = lint_run.run
    entries = [r.derived for r in run.results if r.scheme is not None]
    if not all(isinstance(e, ReportEntry) for e in entries):
        raise ValueError("from_lint reads a lint run made with derive=report_entry_of")
    return portfolio_report(
        entries,
        lint_run.diagnostics,
        skipped_files=_unloaded(run),
        filters=filters,
        min_value=min_value,
        lint=True,
        suppressed=[s.diagnostic for s in lint_run.suppressed],
    )


# --- Quality Accounts (guidance ¶9, ¶48, ¶80) ----------------------------------------


@dataclass(frozen=True, slots=True)
class AchievementLine:
    """One indicator of a published Quality Account: what was aimed at, achieved and earned."""

    goal_number: str
    number: str
    name: str
    domain: str
    weighting: Decimal
    expected_value: Decimal  # at the planned base (cquin price)
    target: Decimal | None
    measured: Decimal | None
    met: bool | None
    milestone: str
    status: str  # assessed | carried_on_account | missing_at_year_end
    achievement: Decimal  # percentage points of the indicator's money earned (a_i x 100)
    earned: Decimal  # this indicator's line of E(m)


@dataclass(frozen=True, slots=True)
class QualityAccount:
    scheme_id: str
    file: str
    achievement_file: str
    provider_code: str
    provider_name: str
    financial_year: str
    commissioning_route: str
    month: int
    expected_value: Decimal  # planned
    base: Decimal  # B_m
    base_source: str
    pot: Decimal  # pot(B_m)
    earned: Decimal  # E(m)
    paid: Decimal  # P(m)
    adjustment: Decimal  # A(m)
    lines: tuple[AchievementLine, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QualityAccounts:
    month: int
    filters: Filters
    accounts: tuple[QualityAccount, ...]
    without_data: tuple[str, ...]  # scheme ids with no achievement data beside them
    refused: tuple[tuple[str, str], ...]  # (scheme id, why it cannot be reconciled at this month)


def _percent_of(value) -> Decimal:
    """An exact Fraction in [0, 1] as percentage points, to 28 significant digits."""
    with localcontext() as ctx:
        ctx.prec = _CONTEXT_PREC
        return Decimal(value.numerator) * HUNDRED / Decimal(value.denominator)


@dataclass(frozen=True, slots=True)
class AccountEntry:
    """One scheme as the Quality Accounts read it, made where it was checked (:func:`account_entry`):
    its account at the month, or that it has no achievement data, or why it cannot be reconciled."""

    summary: PortfolioSummary
    scheme_id: str
    account: QualityAccount | None = None
    without_data: bool = False
    refused: str | None = None


def account_entry(scheme: Scheme, achievement, month: int, data_errors: int = 0) -> AccountEntry:
    """The Quality Account of one scheme at ``month`` from its achievement records (None: no data);
    ``data_errors``: the errors in that data, which is then not reconciled."""
    from cquin_cli.compute.reconciliation import ReconciliationRefused, reconcile

    s = scheme
    sid = scheme_id(s)
    summary = PortfolioSummary.of(s)
    why = s.unusable_for_money
    if why is not None:
        return AccountEntry(summary, sid, refused=why)
    if data_errors:
        return AccountEntry(
            summary,
            sid,
            refused=f"its achievement data has {data_errors} error{'s' if data_errors != 1 else ''} (`cquin validate` lists them)",
        )
    if achievement is None:
        return AccountEntry(summary, sid, without_data=True)
    try:
        r = reconcile(s, achievement, month)
        planned = {i.number: i.value for i in price(s).indicators}
    except (ReconciliationRefused, ValueError) as exc:
        return AccountEntry(summary, sid, refused=str(exc))
    lines = tuple(
        AchievementLine(
            i.goal_number,
            i.number,
            i.name,
            i.domain,
            i.weighting,
            planned.get(i.number, ZERO),
            i.target,
            i.measured,
            i.met,
            i.milestone,
            i.status,
            _percent_of(i.exact_fraction),
            i.earned,
        )
        for i in r.indicators
    )
    account = QualityAccount(
        sid,
        s.file,
        achievement.file,
        s.provider.code,
        s.provider.name,
        s.financial_year,
        s.commissioning_route,
        month,
        r.planned_pot,
        r.base,
        r.base_source,
        r.pot,
        r.earned,
        r.paid,
        r.adjustment,
        lines,
        r.notes,
    )
    return AccountEntry(summary, sid, account)


def account_entry_of(result: FileResult, data: FileResult | None = None, *, month: int = 12) -> AccountEntry:
    """:func:`account_entry` of a checked scheme and the achievement data beside it (checked
    against it), in the worker that checked them (``check_paths(derive=...)``)."""
    assert isinstance(result.scheme, Scheme)
    records, errors = achievement_of(data)
    return account_entry(result.scheme, records, month, errors)


def quality_accounts(
    schemes: Sequence[Scheme],
    achievements: dict,
    *,
    month: int = 12,
    filters: Filters = Filters(),
    data_errors: dict | None = None,
) -> QualityAccounts:
    """Per provider and year, each indicator's achievement and the money earned at ``month``.

    The figures are :func:`cquin_cli.compute.reconciliation.reconcile`'s, unchanged: a_i,
    each indicator's line of E(m), E(m), P(m) and A(m). ``achievements`` maps a scheme
    file to its achievement records; ``data_errors`` a scheme file to the number of
    errors in its achievement data, which is then not reconciled (as ``cquin reconcile``
    refuses it): money is never reported as earned from data that breaks the rules.
    """
    data_errors = data_errors or {}
    entries = [account_entry(s, achievements.get(s.file), month, data_errors.get(s.file, 0)) for s in schemes]
    return accounts_of(entries, month=month, filters=filters)


def accounts_of(entries: Iterable[AccountEntry], *, month: int, filters: Filters = Filters()) -> QualityAccounts:
    """The Quality Accounts of the schemes' entries that pass ``filters``, by provider, year and route."""
    chosen = sorted(
        (e for e in entries if matches(e.summary, filters)),
        key=lambda e: (e.summary.provider.code, e.summary.financial_year, e.summary.commissioning_route, e.summary.file),
    )
    accounts = tuple(e.account for e in chosen if e.account is not None)
    without = tuple(e.scheme_id for e in chosen if e.without_data)
    refused = tuple((e.scheme_id, e.refused) for e in chosen if e.refused is not None)
    return QualityAccounts(month, filters, accounts, without, refused)
