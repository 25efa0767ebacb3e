"""One scheme of the site: its page, its CSV files, and the entry the portfolio pages read.

:func:`scheme_work` is a pure function of one scheme file and the achievement file
beside it (it reads them and writes only into the folder it is given), so schemes can
be worked on in any order, in worker processes. It returns a :class:`Worked`: the
diagnostics of both files, and, for a scheme that can be published, a
:class:`SchemeEntry` - the small part of the scheme the index, lists and comparison
pages need (never the whole record, so 5,000 schemes fit in little memory).

What the page shows, and where each figure comes from:

* the tables of ``cquin export`` for this scheme (:func:`~cquin_cli.portfolio.export_tables.export_tables`):
  commissioners, goals, indicators, milestones, measurements and reconciliations; each
  table's CSV file is that export table's rows for the scheme, every column;
* the money by commissioner and the monthly instalments, from ``cquin price``
  (:func:`~cquin_cli.compute.pricing.price`, :func:`~cquin_cli.compute.pricing.by_commissioner`);
* the whole indicator template of each indicator, as the contract tables word it
  (``cquin_cli.render.words``);
* achievement: the Quality Account at the latest checkpoint that can be reconciled
  (:func:`~cquin_cli.portfolio.aggregate.quality_accounts`), and the monthly view of
  ``cquin monitor`` at the latest month measured (:func:`~cquin_cli.compute.monitoring.monitor`,
  without the simulated forecast), drawn as inline SVG charts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cquin_cli.diagnostics import Diagnostic
from cquin_cli.load.scheme import name_key
from cquin_cli.money import format_money, format_percent, money_text
from cquin_cli.portfolio import export_tables as et
from cquin_cli.portfolio.aggregate import (
    IndicatorFigures,
    QualityAccount,
    SchemeFigures,
    quality_accounts,
    scheme_figures,
)
from cquin_cli.site.slugs import scheme_slug, slug, year_slug
from cquin_cli.site.tables import Cell, SiteTable

ROUTE_WORDS = {"pct": "PCT-led", "specialised_commissioning_group": "specialised commissioning group"}


@dataclass(frozen=True, slots=True)
class ComparedIndicator:
    """One indicator as the comparison pages set it beside others: the same national
    indicator across providers, and a provider's indicators year on year."""

    key: str  # the national indicator's reference (else its name), case, punctuation and spacing ignored
    label: str  # as written: the national indicator's reference, else the indicator's name
    national: bool  # a national or regional indicator (guidance ¶55, ¶57), or one naming its national indicator
    number: str
    name: str
    provenance: str
    direction: str | None
    baseline: Decimal | None
    final: Decimal | None
    stretch: Decimal | None
    value: Decimal
    milestones: int
    measured: Decimal | None  # the latest value measured this year
    measured_month: int | None
    achievement: Decimal | None  # percentage points earned at the Quality Account's month
    spans_years: bool
    continues: tuple[str, str] | None  # its lineage, where recorded: (earlier year, that year's indicator number)


@dataclass(frozen=True, slots=True)
class SchemeEntry:
    file: str
    region: str
    slug: str
    figures: SchemeFigures
    pathway_rows: tuple[IndicatorFigures, ...]  # its indicators that carry a pathway tag (¶56)
    exact_stretch: Decimal | None
    compared: tuple[ComparedIndicator, ...]
    account: QualityAccount | None
    commissioners: tuple[tuple[str, str], ...]  # (code, name), coordinating first
    scheme_kind: str
    monitored_month: int | None
    statuses: tuple[tuple[str, int], ...]  # (status words, count) at the monitored month
    errors: int
    warnings: int
    staged: str  # the folder its page (SLUG.html) and CSV files (SLUG/) were written in
    claimed: bool  # written in the site's own schemes/ folder (the first of its scheme id to get there)
    fragments: tuple[tuple[str, int, int], ...]  # per export table: (file, offset, length) of its CSV rows

    @property
    def page(self) -> str:
        return f"schemes/{self.slug}.html"


@dataclass(frozen=True, slots=True)
class Worked:
    file: str
    diagnostics: tuple[Diagnostic, ...]
    key: tuple[str, str, str] | None  # the scheme's key when it loaded (for the portfolio rules)
    entry: SchemeEntry | None
    left_out: str | None  # why a scheme that loaded is not published
    notes: tuple[str, ...]


# --- addresses of the pages a scheme page links to ---------------------------------


def provider_page(code: str) -> str:
    return f"providers/{slug(code)}.html"


def quality_account_page(code: str) -> str:
    return f"quality-accounts/{slug(code)}.html"


def year_page(year: str) -> str:
    return f"years/{year_slug(year)}.html"


def region_page(region: str) -> str:
    return f"regions/{slug(region)}.html"


def sector_page(sector: str) -> str:
    return f"sectors/{slug(sector)}.html"


def route_page(route: str) -> str:
    return f"routes/{slug(route)}.html"


def national_page(key: str) -> str:
    return f"national/{slug(key.replace(' ', '-'))}.html"


def challenge_page(commissioner: str, year: str) -> str:
    return f"challenge/{slug(commissioner)}-{year_slug(year)}.html"


def pathway_page(tag: str) -> str:
    return f"pathways/{slug(tag)}.html"


# --- display of export cells ---------------------------------------------------------


def yes_no(value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


def shown(value: Any, kind: str) -> Cell:
    """An export value as the page shows it, with the CSV's text kept."""
    if value is None:
        return Cell("", number=kind not in (et.TEXT, et.DATE, et.BOOLEAN))
    if kind == et.MONEY:
        return Cell(format_money(value), number=True, value=money_text(value))
    if kind == et.DECIMAL:
        from cquin_cli.render.words import number

        return Cell(number(value), number=True, value=format(value, "f"))
    if kind in (et.INTEGER, et.PENCE):
        return Cell(str(value), number=True)
    if kind == et.BOOLEAN:
        return Cell(yes_no(value))
    return Cell(str(value))


def export_view(
    export: et.Export, name: str, columns: tuple[tuple[str, str], ...], caption: str, csv: str, where=None
) -> SiteTable:
    """Rows of export table ``name`` shown in ``columns`` ((column, heading), ...); its CSV is the export's."""
    table = export.table(name)
    kinds = {c.name: c.kind for c in table.spec.columns}
    rows = []
    for row in table.dicts():
        if where is not None and not where(row):
            continue
        rows.append(tuple(shown(row[c], kinds[c]) for c, _ in columns))
    return SiteTable(
        key=name,
        caption=caption,
        header=tuple(h for _, h in columns),
        rows=tuple(rows),
        csv=csv,
        export_table=name,
        numeric=tuple(kinds[c] not in (et.TEXT, et.DATE, et.BOOLEAN) for c, _ in columns),
    )


def money_cell(amount: Decimal) -> Cell:
    return Cell(format_money(amount), number=True, value=money_text(amount))


# --- the work on one scheme -----------------------------------------------------------


def _achievement(scheme, achievement_file: str | None) -> tuple[Any, int, list[Diagnostic]]:
    """The achievement records beside the scheme, the errors in them, and their diagnostics."""
    if not achievement_file:
        return None, 0, []
    from cquin_cli.check.pipeline import check_achievement_file
    from cquin_cli.load.achievement import build_achievement

    result = check_achievement_file(achievement_file, {scheme.file: scheme})
    errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
    records = build_achievement(result.values, result.file) if isinstance(result.values, dict) else None
    return records, errors, list(result.diagnostics)


class Fragments:
    """The export tables' CSV rows of many schemes, appended to one file per table; an
    entry keeps where its rows are, so the portfolio's CSV files are put together in
    the export's order without holding the rows in memory (or a file per scheme)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.handles: dict[str, Any] = {}

    def add(self, table: str, rows: bytes) -> tuple[str, int, int]:
        handle = self.handles.get(table)
        if handle is None:
            os.makedirs(self.folder, exist_ok=True)
            handle = self.handles[table] = open(os.path.join(self.folder, f"{table}.csv"), "wb")  # noqa: SIM115
        offset = handle.tell()
        handle.write(rows)
        return (handle.name, offset, len(rows))

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()


def scheme_work(
    file: str,
    achievement_file: str | None,
    region: str,
    stage: str,
    fragments: Fragments,
    spare: str,
    *,
    found_in_folder: bool = False,
) -> Worked:
    """Check one scheme file (and its achievement data), and write its page and CSV files.

    They go in ``stage``/schemes/ (the site being built) when no other file of the same
    scheme id got there first; else in ``spare``, and the builder decides which file of
    that scheme is published (by scheme id, then file: never by which worker was faster).
    """
    from cquin_cli.check.pipeline import check_scheme_file
    from cquin_cli.load.scheme import Scheme

    result = check_scheme_file(file, found_in_folder=found_in_folder)
    diagnostics = list(result.diagnostics)
    scheme = result.scheme
    if not isinstance(scheme, Scheme):
        return Worked(file, tuple(diagnostics), None, None, None, ())
    achievement, data_errors, more = _achievement(scheme, achievement_file)
    diagnostics += more
    why = scheme.unusable_for_money
    if why is not None:
        return Worked(file, tuple(diagnostics), scheme.key, None, why, ())
    try:
        entry, notes = _publish(scheme, achievement, data_errors, region, stage, fragments, spare, diagnostics)
    except ValueError as exc:  # no weight or share to split by (E202/E206 say why)
        return Worked(file, tuple(diagnostics), scheme.key, None, f"it cannot be priced ({exc})", ())
    if entry is None:
        return Worked(file, tuple(diagnostics), scheme.key, None, "; ".join(notes), ())
    return Worked(file, tuple(diagnostics), scheme.key, entry, None, tuple(notes))


def _account(scheme, achievement, data_errors: int) -> QualityAccount | None:
    """The Quality Account at the latest checkpoint that can be reconciled (None: none can)."""
    if achievement is None or data_errors:
        return None
    computed, _ = et.reconciliations_with_data(scheme, achievement)
    if not computed:
        return None
    month = max(computed)
    accounts = quality_accounts([scheme], {scheme.file: achievement}, month=month).accounts
    return accounts[0] if accounts else None


def _monitored(scheme, achievement, data_errors: int):
    if achievement is None or data_errors:
        return None
    from cquin_cli.compute.monitoring import latest_month, monitor
    from cquin_cli.compute.reconciliation import ReconciliationRefused

    month = latest_month(achievement)
    if month is None:
        return None
    try:
        return monitor(scheme, achievement, month, with_forecast=False)
    except (ReconciliationRefused, ValueError):
        return None


def _publish(
    scheme,
    achievement,
    data_errors: int,
    region: str,
    stage: str,
    fragments: Fragments,
    spare: str,
    diagnostics: list[Diagnostic],
):
    from cquin_cli.compute.pricing import price
    from cquin_cli.report.export import table_csv

    priced = price(scheme)
    export = et.export_tables(
        [scheme],
        {scheme.file: achievement} if achievement is not None else {},
        {scheme.file: data_errors},
        prices={scheme.file: priced},
    )
    if not export.table("schemes").rows:  # left out whole: the notes say why
        return None, [n.split(": left out, ", 1)[-1] for n in export.notes]
    notes = list(export.notes)
    figures, indicator_rows, exact = scheme_figures(scheme, priced)
    from cquin_cli.portfolio.aggregate import mean

    exact_stretch = mean([x for x in exact if x is not None])
    page_slug = scheme_slug(scheme.provider.code, scheme.financial_year, scheme.commissioning_route)
    csv_dir = f"schemes/{page_slug}"
    base = os.path.join(stage, "schemes")
    claimed = True
    try:
        os.mkdir(os.path.join(base, page_slug))  # the claim: exactly one file of a scheme id succeeds
    except FileExistsError:
        base, claimed = spare, False
        os.makedirs(os.path.join(base, page_slug))
    folder = os.path.join(base, page_slug)
    placed = []
    written = []  # the export tables with rows for this scheme: each gets its CSV file
    for spec in et.TABLES:
        text = table_csv(export, spec.name)
        header_end = text.index("\n") + 1
        placed.append(fragments.add(spec.name, text[header_end:].encode("utf-8")))
        if export.table(spec.name).rows:
            written.append(spec.name)
            with open(os.path.join(folder, f"{spec.name}.csv"), "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    account = _account(scheme, achievement, data_errors)
    monthly = _monitored(scheme, achievement, data_errors)
    compared = _compared(scheme, indicator_rows, account, monthly)
    errors = sum(1 for d in diagnostics if d.severity.value == "error")
    warnings = sum(1 for d in diagnostics if d.severity.value == "warning")
    statuses: tuple[tuple[str, int], ...] = ()
    if monthly is not None:
        from cquin_cli.compute.monitoring import STATUS_WORDS

        statuses = tuple((words, monthly.count(status)) for status, words in STATUS_WORDS.items())
    entry = SchemeEntry(
        file=scheme.file,
        region=region,
        slug=page_slug,
        figures=figures,
        pathway_rows=tuple(r for r in indicator_rows if r.pathway),
        exact_stretch=exact_stretch,
        compared=compared,
        account=account,
        commissioners=tuple((c.code, c.name) for c in scheme.commissioners),
        scheme_kind=scheme.scheme_kind,
        monitored_month=monthly.month if monthly is not None else None,
        statuses=statuses,
        errors=errors,
        warnings=warnings,
        staged=base,
        claimed=claimed,
        fragments=tuple(placed),
    )
    context = scheme_context(scheme, priced, export, entry, monthly, csv_dir, written)
    from cquin_cli.site.html import render_page

    for key in ("money", "instalments", "account_table", "monitor_table"):
        table = context[key]
        if table is not None:
            with open(os.path.join(folder, table.csv.rsplit("/", 1)[1]), "w", encoding="utf-8", newline="") as handle:
                handle.write(table.csv_text())
    html = render_page("scheme.html", context, depth=1)
    with open(os.path.join(base, f"{page_slug}.html"), "w", encoding="utf-8", newline="") as handle:
        handle.write(html)
    return entry, notes


def _compared(
    scheme, rows: tuple[IndicatorFigures, ...], account: QualityAccount | None, monthly
) -> tuple[ComparedIndicator, ...]:
    lines = {line.number: line for line in account.lines} if account is not None else {}
    latest = {i.number: i.latest for i in monthly.indicators} if monthly is not None else {}
    out = []
    from cquin_cli.rulebook.national import library

    known = library()
    for indicator, row in zip(scheme.indicators, rows):
        # a national indicator of the library is known by its name there (``vte-risk-assessment``:
        # "VTE risk assessment"), so one named so in a year before the library's ids joins it
        entry = known.get(indicator.national_indicator)
        label = entry.name if entry is not None else (indicator.national_indicator or indicator.name)
        line = lines.get(indicator.number)
        measured = latest.get(indicator.number)
        out.append(
            ComparedIndicator(
                key=name_key(label),
                label=label,
                national=bool(indicator.national_indicator) or indicator.provenance in ("national", "regional"),
                number=indicator.number,
                name=indicator.name,
                provenance=indicator.provenance,
                direction=indicator.direction,
                baseline=row.baseline,
                final=row.final,
                stretch=row.stretch,
                value=row.value,
                milestones=len(indicator.milestones),
                measured=measured.value if measured is not None else None,
                measured_month=measured.month if measured is not None else None,
                achievement=line.achievement if line is not None else None,
                spans_years=indicator.spans_years,
                continues=continued_from(indicator.continues),
            )
        )
    return tuple(out)


def continued_from(link: str) -> tuple[str, str] | None:
    """A lineage link as the format writes it (``continues: 2009/10 indicator 3.1``, rule E217)
    as (year, number); None when there is none."""
    parts = link.split(" indicator ", 1) if link else []
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return None
    return parts[0].strip(), parts[1].strip()


# --- the page ---------------------------------------------------------------------


def _template_rows(indicator, year: str) -> list[tuple[str, str]]:
    """The indicator template (DOMAIN.md §2, §5), field by field, in the contract's words."""
    from cquin_cli.render import words

    def period(p) -> str:
        if p is None:
            return ""
        value = words.number(p.value) if p.value is not None else ""
        return ", ".join(x for x in (p.period, value) if x)

    kind_words = {
        "process": "process",
        "outcome": "outcome",
        "patient_reported_outcome": "patient-reported outcome",
        "patient_experience": "patient experience",
        "data_quality": "data collection / data quality",
        "innovation_milestone": "innovation milestone",
    }
    rows = [
        ("Description", indicator.description),
        ("Numerator", indicator.numerator),
        ("Denominator", indicator.denominator),
        ("Rationale for inclusion", indicator.rationale),
        ("Link to outcomes", indicator.outcome_link),
        ("Data source", indicator.data_source),
        ("Frequency of data collection", indicator.collection_frequency),
        ("Organisation responsible for collection", indicator.responsible_organisation),
        ("Frequency of reporting to the commissioner", indicator.reporting_frequency),
        ("Baseline (period, value)", period(indicator.baseline)),
        ("Final indicator (period, value)", period(indicator.final)),
        ("Final reporting date", indicator.final_reporting_date.isoformat() if indicator.final_reporting_date else ""),
        ("Direction", words.direction_words(indicator.direction)),
        ("In-year milestones", words.milestones_text(indicator, year)),
        ("Partial achievement", words.partial_achievement_text(indicator)),
        ("Weighting", format_percent(indicator.weighting)),
        ("Kind", kind_words.get(indicator.kind, indicator.kind.replace("_", " "))),
        ("Provenance", indicator.provenance),
        ("National indicator", indicator.national_indicator),
        ("Pathway", indicator.pathway or ""),
        ("Spans more than one year", "yes" if indicator.spans_years else "no"),
        ("Equality", indicator.equality),
        ("Restates a basic contractual requirement", "yes" if indicator.contractual_requirement else "no"),
    ]
    return [(k, v) for k, v in rows if v != "" or k in ("Description", "Numerator", "Denominator", "Data source")]


def _money_by_commissioner(scheme, priced, csv_dir: str) -> SiteTable:
    """Each goal's expected value and each commissioner's part of it (split by contract share)."""
    from cquin_cli.compute.pricing import by_commissioner

    commissioners = scheme.commissioners
    header = ("Goal", "Name", "Expected value", *(f"{c.name} ({c.code})" for c in commissioners))
    rows = []
    for goal in priced.goals:
        parts = by_commissioner(scheme, goal.value)
        rows.append((Cell(goal.number), Cell(goal.name), money_cell(goal.value), *(money_cell(p) for p in parts)))
    rows.append(
        (
            Cell("Scheme"),
            Cell("Expected value"),
            money_cell(priced.expected_value),
            *(money_cell(c.value) for c in priced.commissioners),
        )
    )
    return SiteTable(
        "money-by-commissioner",
        "Each goal's expected value, and each commissioner's part (split by contract share, to the penny)",
        header,
        tuple(rows),
        csv=f"{csv_dir}/money-by-commissioner.csv",
        numeric=(False, False, True, *(True for _ in commissioners)),
    )


def _instalments(scheme, priced, csv_dir: str) -> SiteTable:
    from cquin_cli.render.words import calendar_month

    header = ("Month", "Calendar month", *(f"{c.name} ({c.code})" for c in priced.commissioners), "Total")
    rows = []
    for k, month in enumerate(priced.instalment_months):
        rows.append(
            (
                Cell(str(month), number=True),
                Cell(calendar_month(scheme.financial_year, month)),
                *(money_cell(c.instalments[k]) for c in priced.commissioners),
                money_cell(priced.instalments[k]),
            )
        )
    rows.append(
        (
            Cell("Total"),
            Cell(""),
            *(money_cell(c.on_account) for c in priced.commissioners),
            money_cell(priced.on_account_total),
        )
    )
    return SiteTable(
        "instalments",
        "On-account instalments, month by month (guidance ¶65)",
        header,
        tuple(rows),
        csv=f"{csv_dir}/instalments.csv",
        numeric=(True, False, *(True for _ in priced.commissioners), True),
    )


def _account_table(account: QualityAccount, csv_dir: str) -> SiteTable:
    from cquin_cli.render.words import number

    rows = []
    for line in account.lines:
        target = number(line.target) if line.target is not None else (line.milestone or "")
        measured = number(line.measured) if line.measured is not None else yes_no(line.met) if line.met is not None else ""
        rows.append(
            (
                Cell(line.number),
                Cell(line.name),
                Cell(format_percent(line.weighting), number=True, value=format(line.weighting, "f")),
                money_cell(line.expected_value),
                Cell(target),
                Cell(measured),
                Cell(line.status.replace("_", " ")),
                Cell(_percent(line.achievement), number=True, value=_percent(line.achievement).rstrip("%")),
                money_cell(line.earned),
            )
        )
    return SiteTable(
        "quality-account",
        f"Achievement at month {account.month}: each indicator's target, measured value and money earned",
        ("Indicator", "Name", "Weighting", "Expected value", "Target", "Measured", "Assessed", "Achieved", "Earned"),
        tuple(rows),
        csv=f"{csv_dir}/quality-account.csv",
        numeric=(False, False, True, True, False, False, False, True, True),
    )


def _percent(value: Decimal) -> str:
    from decimal import ROUND_HALF_UP

    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}%"


def _monitor_table(monthly, csv_dir: str) -> SiteTable:
    from cquin_cli.compute import spc
    from cquin_cli.render.words import number

    rows = []
    for i in monthly.indicators:
        latest = ""
        if i.latest is not None:
            value = number(i.latest.value) if i.latest.value is not None else yes_no(i.latest.met)
            latest = f"{value} (month {i.latest.month})"
        target = f"{number(i.next_target[1])} (month {i.next_target[0]})" if i.next_target else ""
        verdict = ""
        if i.chart is not None:
            verdict = spc.VARIATION_WORDS[i.chart.variation]
            if i.chart.assurance:
                verdict += "; " + spc.ASSURANCE_WORDS[i.chart.assurance]
        rows.append(
            (
                Cell(i.number),
                Cell(i.name),
                Cell(latest),
                Cell(target),
                Cell(i.status_words),
                Cell(i.reason),
                Cell(verdict),
                money_cell(i.value),
            )
        )
    return SiteTable(
        "monitoring",
        f"Month {monthly.month}: each indicator's status (as `cquin monitor` reports it)",
        ("Indicator", "Name", "Latest", "Next target", "Status", "Why", "Process", "Value"),
        tuple(rows),
        csv=f"{csv_dir}/monitoring.csv",
        numeric=(False, False, False, False, False, False, False, True),
    )


def scheme_context(
    scheme, priced, export: et.Export, entry: SchemeEntry, monthly, csv_dir: str, written: list[str]
) -> dict[str, Any]:
    """Everything ``scheme.html`` shows, as plain values and :class:`SiteTable` s."""
    from cquin_cli.render import words
    from cquin_cli.site.charts import chart_view

    sid = entry.figures.scheme_id
    csv = {t.name: f"{csv_dir}/{t.name}.csv" for t in et.TABLES}
    commissioners = export_view(
        export,
        "commissioners",
        (
            ("commissioner_code", "Code"),
            ("name", "Commissioner"),
            ("role", "Role"),
            ("share_percent", "Share %"),
            ("expected_value", "Expected value"),
            ("on_account", "On account"),
        ),
        "Commissioners and their shares of the contract",
        csv["commissioners"],
    )
    goals = export_view(
        export,
        "goals",
        (
            ("number", "Goal"),
            ("name", "Name"),
            ("domain", "Quality domain"),
            ("weighting_percent", "Weighting %"),
            ("expected_value", "Expected value"),
        ),
        "Goals, their weighting and expected value",
        csv["goals"],
    )
    indicators = export_view(
        export,
        "indicators",
        (
            ("number", "Indicator"),
            ("name", "Name"),
            ("domain", "Quality domain"),
            ("kind", "Kind"),
            ("provenance", "Provenance"),
            ("weighting_percent", "Weighting %"),
            ("expected_value", "Expected value"),
            ("baseline_value", "Baseline"),
            ("final_value", "Final"),
            ("direction", "Direction"),
            ("partial_achievement_rule", "Payment rule"),
            ("stretch_percent", "Stretch %"),
        ),
        "Indicators, their weighting, expected value and thresholds",
        csv["indicators"],
    )
    values = {i.number: i.value for i in priced.indicators}
    monitors = {i.number: i for i in monthly.indicators} if monthly is not None else {}
    compared = {c.number: c for c in entry.compared}
    goal_sections = []
    for goal in scheme.goals:
        goal_value = next((g.value for g in priced.goals if g.number == goal.number), None)
        items = []
        for indicator in goal.indicators:
            watched = monitors.get(indicator.number)
            view = chart_view(watched) if watched is not None else None
            c = compared[indicator.number]
            items.append(
                {
                    "number": indicator.number,
                    "name": indicator.name,
                    "anchor": "indicator-" + slug(indicator.number),
                    "value": values.get(indicator.number),
                    "weighting": indicator.weighting,
                    "template": _template_rows(indicator, scheme.financial_year),
                    "chart": view,
                    "monitor": watched,
                    "results": watched.results if watched is not None else (),
                    "national": national_page(c.key) if c.national else "",
                    "national_label": c.label,
                    "pathway": pathway_page(indicator.pathway) if indicator.pathway else "",
                }
            )
        goal_sections.append(
            {
                "number": goal.number,
                "name": goal.name,
                "description": goal.description,
                "domain": words.domain_title(goal.domain),
                "weighting": goal.weighting,
                "value": goal_value,
                "indicators": items,
            }
        )
    milestones = export_view(
        export,
        "milestones",
        (
            ("indicator_id", "Indicator"),
            ("month", "Month"),
            ("target", "Target"),
            ("floor", "Floor"),
            ("description", "What must be done"),
        ),
        "In-year milestones of every indicator",
        csv["milestones"],
    )
    measured = export_view(
        export,
        "achievement",
        (("indicator_id", "Indicator"), ("month", "Month"), ("value", "Value"), ("met", "Met"), ("note", "Note")),
        "Measurements recorded in the achievement data",
        csv["achievement"],
    )
    reconciliations = export_view(
        export,
        "reconciliations",
        (
            ("month", "Month"),
            ("source", "Source"),
            ("base", "Base B(m)"),
            ("expected_value", "Expected value at B(m)"),
            ("earned", "Earned E(m)"),
            ("paid", "Paid P(m)"),
            ("adjustment", "Adjustment A(m)"),
        ),
        "Reconciliations at the checkpoints (guidance ¶66-67)",
        csv["reconciliations"],
    )
    f = entry.figures
    p = scheme.payment
    agreement = scheme.agreement
    facts = [
        ("Provider", f"{scheme.provider.name} ({scheme.provider.code})", provider_page(scheme.provider.code)),
        ("Financial year", scheme.financial_year, year_page(scheme.financial_year)),
        ("Sector", words.words(scheme.provider.sector, {}), sector_page(scheme.provider.sector)),
        ("Foundation trust", "yes" if scheme.provider.foundation_trust else "no", ""),
        (
            "Commissioning route",
            ROUTE_WORDS.get(scheme.commissioning_route, scheme.commissioning_route),
            route_page(scheme.commissioning_route),
        ),
        ("Region (folder)", entry.region, region_page(entry.region)),
        (
            "Coordinating commissioner",
            f"{scheme.coordinating_commissioner.name} ({scheme.coordinating_commissioner.code})",
            challenge_page(scheme.coordinating_commissioner.code, scheme.financial_year),
        ),
        (
            "Scheme kind",
            "quality improvement plan" if scheme.scheme_kind == "quality_improvement_plan" else "full CQUIN scheme",
            "",
        ),
        ("Scheme file", scheme.file, ""),
    ]
    money_facts = [
        ("Tariff income (incl. MFF)", format_money(scheme.contract_value.tariff_income)),
        ("Non-tariff income", format_money(scheme.contract_value.non_tariff_income)),
        ("Excluded income", format_money(scheme.contract_value.excluded_income)),
        ("Base B", format_money(priced.planned_base)),
        ("CQUIN rate", format_percent(scheme.rate) + (f" ({scheme.rate_reason})" if scheme.rate_reason else "")),
        ("Expected value", format_money(priced.expected_value)),
        ("Stretch (mean of its indicators)", "n/a" if f.stretch is None else f"{f.stretch:f}%"),
    ]
    checkpoints = ", ".join(str(m) for m in p.checkpoints)
    payment_facts = [
        (
            "Paid on account",
            f"{format_percent(p.on_account_share)} of the expected value: {format_money(priced.on_account_total)}",
        ),
        ("Instalments", str(p.instalments)),
        ("Reconciled at months", checkpoints),
        ("Arrangement", "the default (guidance ¶65)" if p.is_default else "not the default (guidance ¶65)"),
        ("Agreed by (a non-default arrangement)", ", ".join(p.agreed_by)),
        ("Agreement date", agreement.date.isoformat() if agreement and agreement.date else "not recorded"),
        ("Dispute resolution", "the contract's dispute resolution procedure (guidance ¶49)"),
    ]
    signatories = []
    if agreement is not None:
        signatories = [
            (s.name, s.role, s.organisation, "clinical lead" if s.clinical_lead else "") for s in agreement.signatories
        ]
    sis = scheme.separate_incentive_scheme
    return {
        "title": f"{scheme.provider.name} {scheme.financial_year}",
        "route": ROUTE_WORDS.get(scheme.commissioning_route, scheme.commissioning_route),
        "scheme_id": sid,
        "entry": entry,
        "scheme_facts": facts,
        "money_facts": money_facts,
        "payment_facts": [(k, v) for k, v in payment_facts if v],
        "signatories": signatories,
        "equality": scheme.equality,
        "qip": scheme.quality_improvement_plan,
        "commissioners": commissioners,
        "goals": goals,
        "indicators": indicators,
        "money": _money_by_commissioner(scheme, priced, csv_dir),
        "instalments": _instalments(scheme, priced, csv_dir),
        "goal_sections": goal_sections,
        "measured": measured,
        "reconciliations": reconciliations,
        "account": entry.account,
        "account_table": _account_table(entry.account, csv_dir) if entry.account is not None else None,
        "account_page": quality_account_page(scheme.provider.code) if entry.account is not None else "",
        "monthly": monthly,
        "monitor_table": _monitor_table(monthly, csv_dir) if monthly is not None else None,
        "separate": sis,
        "milestones": milestones,
        "downloads": [(name, csv[name]) for name in written],
    }


__all__ = ["ComparedIndicator", "Fragments", "SchemeEntry", "Worked", "scheme_work"]
