"""The portfolio's pages, made from the schemes' entries: the index, the lists and the comparisons.

Each page is a title, some words and :class:`~cquin_cli.site.tables.SiteTable` s, drawn by
``page.html``; each table's CSV is written beside the pages under ``csv/``. A long list is
split into pages of :data:`PAGE_ROWS` rows (its CSV keeps every row), so no page grows
with the portfolio. The figures are the portfolio report's own
(``cquin_cli.portfolio.aggregate``): a scheme's stretch and money from
:func:`~cquin_cli.portfolio.aggregate.scheme_figures`, equivalent challenge from
:func:`~cquin_cli.portfolio.aggregate.equivalent_challenge` (¶71), pathway groups from
:func:`~cquin_cli.portfolio.aggregate.pathway_groups` (¶56), Quality Accounts from
:func:`~cquin_cli.portfolio.aggregate.quality_accounts` (¶48).

Orders are fixed (years, then codes and names), so the same entries give the same pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from cquin_cli.money import ZERO, format_money, format_percent
from cquin_cli.portfolio.aggregate import equivalent_challenge, pathway_groups
from cquin_cli.render.words import number
from cquin_cli.site import scheme_page as sp
from cquin_cli.site.scheme_page import SchemeEntry, money_cell
from cquin_cli.site.slugs import slug
from cquin_cli.site.tables import Cell, SiteTable

PAGE_ROWS = 100
SECTOR_TITLES = {
    "acute": "Acute",
    "community": "Community",
    "mental_health": "Mental health",
    "ambulance": "Ambulance",
    "specialised": "Specialised",
    "independent_sector": "Independent sector",
}


@dataclass
class Section:
    title: str = ""
    key: str = ""
    paragraphs: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (text, href, detail)
    tables: list[SiteTable] = field(default_factory=list)


@dataclass
class Page:
    path: str
    title: str
    intro: list[str] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    paging: dict[str, Any] | None = None

    def context(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "intro": self.intro,
            "summary": self.summary,
            "sections": self.sections,
            "crumbs": self.crumbs,
            "paging": self.paging,
        }


class Site:
    """Where the portfolio pages go: ``write(path, text)`` for each page and CSV file as it is
    made (so no page is held once written), and the search entries gathered on the way.
    Without ``write`` (the tests) the pages and CSV files are kept in ``pages`` and ``csv``."""

    def __init__(self, write: Callable[[str, str], None] | None = None) -> None:
        self.write = write
        self.pages: list[Page] = []
        self.csv: dict[str, str] = {}
        self.search: list[dict[str, str]] = []
        self.written = 0

    def add(self, page: Page) -> None:
        self.written += 1
        if self.write is None:
            self.pages.append(page)
            return
        from cquin_cli.site.html import render_page

        self.write(page.path, render_page("page.html", page.context(), depth=page.path.count("/")))

    def table(self, page_path: str, key: str, caption: str, header, rows, numeric=(), note: str = "") -> SiteTable:
        csv_path = f"csv/{page_path[: -len('.html')]}/{key}.csv"
        table = SiteTable(key, caption, tuple(header), tuple(rows), csv=csv_path, numeric=tuple(numeric), note=note)
        if self.write is None:
            self.csv[csv_path] = table.csv_text()
        else:
            self.write(csv_path, table.csv_text())
        return table

    def listing(
        self,
        path: str,
        title: str,
        key: str,
        caption: str,
        header,
        rows: Sequence[tuple[Cell, ...]],
        numeric=(),
        *,
        intro: Sequence[str] = (),
        summary: Sequence[tuple[str, str]] = (),
        crumbs: Sequence[tuple[str, str]] = (),
        before: Sequence[Section] = (),
        after: Sequence[Section] = (),
    ) -> None:
        """A table split over pages of PAGE_ROWS rows: ``path``, ``path-2.html``, ...; one CSV of every row."""
        whole = self.table(path, key, caption, header, rows, numeric)
        chunks = [rows[i : i + PAGE_ROWS] for i in range(0, len(rows), PAGE_ROWS)] or [rows]
        stem = path[: -len(".html")]
        names = [path] + [f"{stem}-{n}.html" for n in range(2, len(chunks) + 1)]
        for n, (name, chunk) in enumerate(zip(names, chunks), start=1):
            part = SiteTable(
                whole.key,
                whole.caption
                + (
                    f" (rows {(n - 1) * PAGE_ROWS + 1}-{(n - 1) * PAGE_ROWS + len(chunk)} of {len(rows)})"
                    if len(chunks) > 1
                    else ""
                ),
                whole.header,
                tuple(chunk),
                csv=whole.csv,
                numeric=whole.numeric,
            )
            sections = [*(before if n == 1 else ()), Section(tables=[part]), *(after if n == 1 else ())]
            self.add(
                Page(
                    name,
                    title if n == 1 else f"{title} (page {n})",
                    intro=list(intro),
                    summary=list(summary),
                    sections=sections,
                    crumbs=list(crumbs),
                    paging={"number": n, "count": len(chunks), "pages": list(zip(range(1, len(chunks) + 1), names))},
                )
            )

    def find(self, title: str, url: str, kind: str, *words: str) -> None:
        """A search entry: its title, address and kind, and more words it is found by."""
        entry = {"t": title, "u": url, "k": kind}
        more = " ".join(" ".join(words).split())
        if more:
            entry["w"] = more
        self.search.append(entry)


def _year_key(year: str) -> str:
    return year


def _stretch(value: Decimal | None) -> Cell:
    return Cell("n/a" if value is None else f"{value:f}%", number=True, value="" if value is None else format(value, "f"))


def _pct_cell(value: Decimal | None) -> Cell:
    return Cell("" if value is None else format_percent(value), number=True, value="" if value is None else format(value, "f"))


def _num_cell(value: Decimal | None) -> Cell:
    return Cell(number(value), number=True, value="" if value is None else format(value, "f"))


SCHEME_HEADER = (
    "Scheme",
    "Provider",
    "Code",
    "Year",
    "Sector",
    "Route",
    "Region",
    "Coordinating commissioner",
    "Indicators",
    "Expected value",
    "Stretch",
)
SCHEME_NUMERIC = (False,) * 8 + (True, True, True)


def scheme_row(e: SchemeEntry) -> tuple[Cell, ...]:
    f = e.figures
    return (
        Cell(f.scheme_id, href=e.page),
        Cell(f.provider_name, href=sp.provider_page(f.provider_code)),
        Cell(f.provider_code),
        Cell(f.financial_year),
        Cell(SECTOR_TITLES.get(f.sector, f.sector)),
        Cell(sp.ROUTE_WORDS.get(f.commissioning_route, f.commissioning_route)),
        Cell(e.region, href=sp.region_page(e.region)),
        Cell(f"{f.coordinating_commissioner_name} ({f.coordinating_commissioner})"),
        Cell(str(f.indicators), number=True),
        money_cell(f.expected_value),
        _stretch(f.stretch),
    )


def _totals(entries: Sequence[SchemeEntry]) -> list[tuple[str, str]]:
    value = sum((e.figures.expected_value for e in entries), ZERO)
    return [
        ("Schemes", str(len(entries))),
        ("Providers", str(len({e.figures.provider_code for e in entries}))),
        ("Indicators", str(sum(e.figures.indicators for e in entries))),
        ("Expected value", format_money(value)),
    ]


def _group_table(
    site: Site,
    path: str,
    key: str,
    caption: str,
    groups: dict[str, list[SchemeEntry]],
    title_of: Callable[[str], str],
    href_of: Callable[[str], str],
    heading: str,
) -> SiteTable:
    rows = []
    for name in sorted(groups, key=_year_key):
        members = groups[name]
        rows.append(
            (
                Cell(title_of(name), href=href_of(name)),
                Cell(str(len(members)), number=True),
                Cell(str(len({m.figures.provider_code for m in members})), number=True),
                Cell(str(sum(m.figures.indicators for m in members)), number=True),
                money_cell(sum((m.figures.expected_value for m in members), ZERO)),
            )
        )
    everyone = [m for members in groups.values() for m in members]
    rows.append(
        (
            Cell("Total"),
            Cell(str(len(everyone)), number=True),
            Cell(str(len({m.figures.provider_code for m in everyone})), number=True),
            Cell(str(sum(m.figures.indicators for m in everyone)), number=True),
            money_cell(sum((m.figures.expected_value for m in everyone), ZERO)),
        )
    )
    return site.table(
        path,
        key,
        caption,
        (heading, "Schemes", "Providers", "Indicators", "Expected value"),
        rows,
        (False, True, True, True, True),
    )


PROVIDERS_PER_JOB = 250
GROUPS_PER_JOB = 250


def page_jobs(entries: Sequence[SchemeEntry], notes: Sequence[str] = ()) -> list[Callable[[Site], None]]:
    """The portfolio's pages as independent jobs, each writing its pages into a :class:`Site`.

    Each job is a pure function of the entries, so jobs can run in any process in any
    order; the builder runs them in worker processes for a large portfolio and puts the
    search entries together in job order.
    """
    ordered = sorted(
        entries, key=lambda e: (e.figures.financial_year, e.figures.provider_code, e.figures.commissioning_route, e.file)
    )
    by = {
        "years": _grouped(ordered, lambda e: e.figures.financial_year),
        "regions": _grouped(ordered, lambda e: e.region),
        "sectors": _grouped(ordered, lambda e: e.figures.sector),
        "routes": _grouped(ordered, lambda e: e.figures.commissioning_route),
    }
    jobs: list[Callable[[Site], None]] = [
        partial(_scheme_search, ordered=ordered),
        partial(_index, entries=ordered, by=by, notes=notes),
    ]
    for kind in GROUP_KINDS:
        jobs.append(partial(_group_pages, kind=kind, groups=by[kind]))
    by_provider = _grouped(ordered, lambda e: e.figures.provider_code)
    codes = sorted(by_provider)
    jobs.append(partial(_providers_index, entries=ordered, by_provider=by_provider))
    for start in range(0, len(codes), PROVIDERS_PER_JOB):
        jobs.append(partial(_provider_pages, codes=codes[start : start + PROVIDERS_PER_JOB], by_provider=by_provider))
    jobs.append(partial(_quality_accounts, entries=ordered))
    national = _national_groups(ordered)
    jobs.append(partial(_national_index, groups=national))
    for key in national:
        jobs.append(partial(_national_page, key=key, group=national[key]))
    groups = equivalent_challenge([e.figures for e in ordered], {e.figures.scheme_id: e.exact_stretch for e in ordered})
    pages = {e.figures.scheme_id: e.page for e in ordered}
    jobs.append(partial(_challenge_index, groups=groups))
    for start in range(0, len(groups), GROUPS_PER_JOB):
        jobs.append(partial(_challenge_pages, groups=groups[start : start + GROUPS_PER_JOB], pages=pages))
    jobs.append(partial(_pathways, entries=ordered))
    return jobs


def build_pages(entries: Sequence[SchemeEntry], notes: Sequence[str] = ()) -> Site:
    """Every page made from all the schemes, kept in memory (the scheme pages are their workers')."""
    site = Site()
    for job in page_jobs(entries, notes):
        job(site)
    return site


def _provider_pages(site: Site, codes: Sequence[str], by_provider: dict[str, list[SchemeEntry]]) -> None:
    for code in codes:
        _provider_page(site, code, by_provider[code])


def _challenge_pages(site: Site, groups, pages: dict[str, str]) -> None:
    for g in groups:
        _challenge_page(site, g, pages)


def _scheme_search(site: Site, ordered: Sequence[SchemeEntry]) -> None:
    for e in ordered:
        f = e.figures
        site.find(
            f"{f.provider_name} {f.financial_year}",
            e.page,
            "scheme",
            f.provider_code,
            sp.ROUTE_WORDS.get(f.commissioning_route, ""),
            f.sector.replace("_", " "),
            e.region,
            *(f"{name} {code}" for code, name in e.commissioners),
        )


def _grouped(entries: Sequence[SchemeEntry], key: Callable[[SchemeEntry], str]) -> dict[str, list[SchemeEntry]]:
    groups: dict[str, list[SchemeEntry]] = defaultdict(list)
    for e in entries:
        groups[key(e)].append(e)
    return dict(groups)


GROUP_KINDS = {
    "years": ("Financial year", "years", sp.year_page, lambda k: k),
    "regions": ("Region (folder)", "regions", sp.region_page, lambda k: k),
    "sectors": ("Sector", "sectors", sp.sector_page, lambda k: SECTOR_TITLES.get(k, k)),
    "routes": ("Commissioning route", "routes", sp.route_page, lambda k: sp.ROUTE_WORDS.get(k, k)),
}


def _index(site: Site, entries: Sequence[SchemeEntry], by: dict[str, dict[str, list[SchemeEntry]]], notes: Sequence[str]) -> None:
    from cquin_cli.portfolio.export_tables import TABLES

    sections = []
    for kind, (heading, _, href, title) in GROUP_KINDS.items():
        sections.append(
            Section(
                title=f"By {heading.lower()}",
                key=f"by-{kind}",
                tables=[
                    _group_table(
                        site, "index.html", f"by-{kind}", f"Schemes by {heading.lower()}", by[kind], title, href, heading
                    )
                ],
            )
        )
    providers = len({e.figures.provider_code for e in entries})
    sections.insert(
        2,
        Section(
            title="By provider",
            key="by-provider",
            paragraphs=[f"{providers} provider{'s' if providers != 1 else ''}, each with its schemes year on year."],
            links=[("Every provider, with its schemes and totals", "providers/index.html", "")],
        ),
    )
    sections.append(
        Section(
            title="Comparisons",
            key="comparisons",
            links=[
                ("One national indicator across providers", "national/index.html", "baselines, targets, stretch and achievement"),
                (
                    "Equivalent challenge",
                    "challenge/index.html",
                    "each coordinating commissioner's providers side by side (guidance ¶71)",
                ),
                ("Pathway groups", "pathways/index.html", "indicators shared along a clinical pathway (guidance ¶56)"),
                ("Quality Accounts", "quality-accounts/index.html", "what each provider achieved and earned (guidance ¶48)"),
            ],
        )
    )
    sections.append(
        Section(
            title="Downloads",
            key="downloads",
            paragraphs=["The whole portfolio as the tables of cquin export (CSV, one file per table):"],
            links=[(f"{t.name}.csv", f"data/{t.name}.csv", t.description) for t in TABLES],
        )
    )
    if notes:
        sections.append(Section(title="Left out", key="left-out", paragraphs=list(notes)))
    years = sorted(by["years"])
    site.add(
        Page(
            "index.html",
            "CQUIN schemes",
            intro=[
                f"{len(entries)} CQUIN scheme{'s' if len(entries) != 1 else ''} "
                + (f"for {years[0]} to {years[-1]}" if len(years) > 1 else f"for {years[0]}" if years else "")
                + ", published so that they can be compared (guidance ¶36, ¶76, ¶80).",
            ],
            summary=_totals(entries),
            sections=sections,
        )
    )


def _group_pages(site: Site, kind: str, groups: dict[str, list[SchemeEntry]]) -> None:
    heading, _, href, title = GROUP_KINDS[kind]
    for name, members in sorted(groups.items()):
        path = href(name)
        site.listing(
            path,
            f"{heading}: {title(name)}",
            "schemes",
            f"Schemes, {heading.lower()} {title(name)}",
            SCHEME_HEADER,
            [scheme_row(e) for e in members],
            SCHEME_NUMERIC,
            summary=_totals(members),
            crumbs=[("Index", "index.html")],
        )
        if kind in ("regions", "sectors", "years"):
            site.find(f"{heading}: {title(name)}", path, kind[:-1], name)


def _providers_index(site: Site, entries: Sequence[SchemeEntry], by_provider: dict[str, list[SchemeEntry]]) -> None:
    rows = []
    for code in sorted(by_provider):
        members = by_provider[code]
        rows.append(
            (
                Cell(members[0].figures.provider_name, href=sp.provider_page(code)),
                Cell(code),
                Cell(SECTOR_TITLES.get(members[0].figures.sector, members[0].figures.sector)),
                Cell(", ".join(sorted({m.figures.financial_year for m in members}))),
                Cell(str(len(members)), number=True),
                money_cell(sum((m.figures.expected_value for m in members), ZERO)),
            )
        )
    site.listing(
        "providers/index.html",
        "Providers",
        "providers",
        "Providers, their years and the expected value of their schemes",
        ("Provider", "Code", "Sector", "Years", "Schemes", "Expected value"),
        rows,
        (False, False, False, False, True, True),
        summary=_totals(entries),
        crumbs=[("Index", "index.html")],
    )


def _provider_page(site: Site, code: str, members: list[SchemeEntry]) -> None:
    path = sp.provider_page(code)
    name = members[0].figures.provider_name
    members = sorted(members, key=lambda e: (e.figures.financial_year, e.figures.commissioning_route, e.file))
    site.find(name, path, "provider", code)
    schemes = site.table(
        path,
        "schemes",
        "Schemes year on year",
        (*SCHEME_HEADER, "Earned (latest checkpoint)"),
        [(*scheme_row(e), money_cell(e.account.earned) if e.account else Cell("", number=True)) for e in members],
        (*SCHEME_NUMERIC, True),
    )
    years_published = sorted({e.figures.financial_year for e in members})
    if len(years_published) < 2:
        year_on_year = Section(
            title="Year on year",
            key="year-on-year",
            paragraphs=[
                f"Only {years_published[0]} is published for this provider; its indicators are on the scheme's page. "
                "With schemes for more years, this page sets each indicator beside its counterpart year by year."
            ],
        )
        _provider_add(site, path, code, name, members, schemes, year_on_year)
        return
    # Each indicator joins the line of the indicator it continues (its recorded lineage),
    # else of the same national indicator or name.
    lineage: dict[str, list[tuple[SchemeEntry, sp.ComparedIndicator]]] = defaultdict(list)
    line_of: dict[tuple[str, str], str] = {}
    for e in members:
        for c in e.compared:
            key = line_of.get(c.continues, c.key) if c.continues else c.key
            line_of[(e.figures.financial_year, c.number)] = key
            lineage[key].append((e, c))
    rows = []
    for key in sorted(lineage, key=lambda k: (lineage[k][0][1].label.casefold(), k)):
        for e, c in lineage[key]:
            rows.append(
                (
                    Cell(lineage[key][0][1].label),
                    Cell(e.figures.financial_year),
                    Cell(f"{c.number} {c.name}", href=f"{e.page}#indicator-{slug(c.number)}"),
                    _num_cell(c.baseline),
                    _num_cell(c.final),
                    _stretch(c.stretch),
                    money_cell(c.value),
                    _num_cell(c.measured),
                    _pct_cell(c.achievement),
                    Cell("yes" if c.spans_years else "no"),
                )
            )
    years = site.table(
        path,
        "indicators-year-on-year",
        "Indicators year on year",
        (
            "Indicator",
            "Year",
            "In the scheme",
            "Baseline",
            "Final",
            "Stretch",
            "Expected value",
            "Latest measured",
            "Achieved",
            "Spans years",
        ),
        rows,
        (False, False, False, True, True, True, True, True, True, False),
        note="Indicators are followed from year to year by their recorded lineage (continues: 2009/10 indicator 3.1), "
        "else by their national indicator reference, else by their name (case, punctuation and spacing ignored).",
    )
    _provider_add(site, path, code, name, members, schemes, Section(title="Year on year", key="year-on-year", tables=[years]))


def _provider_add(
    site: Site, path: str, code: str, name: str, members: list[SchemeEntry], schemes: SiteTable, year_on_year: Section
) -> None:
    links = [
        (
            f"{e.figures.financial_year}: equivalent challenge under {e.figures.coordinating_commissioner_name}",
            sp.challenge_page(e.figures.coordinating_commissioner, e.figures.financial_year),
            "",
        )
        for e in members
    ]
    if any(e.account for e in members):
        links.append(("Quality Accounts", sp.quality_account_page(code), "what was achieved and earned"))
    site.add(
        Page(
            path,
            f"{name} ({code})",
            summary=_totals(members),
            sections=[
                Section(tables=[schemes]),
                year_on_year,
                Section(title="See also", links=links),
            ],
            crumbs=[("Index", "index.html"), ("Providers", "providers/index.html")],
        )
    )


def _quality_accounts(site: Site, entries: Sequence[SchemeEntry]) -> None:
    with_account = [e for e in entries if e.account is not None]
    by_provider = _grouped(with_account, lambda e: e.figures.provider_code)
    rows = []
    for code in sorted(by_provider):
        members = by_provider[code]
        rows.append(
            (
                Cell(members[0].figures.provider_name, href=sp.quality_account_page(code)),
                Cell(code),
                Cell(", ".join(f"{m.figures.financial_year} month {m.account.month}" for m in members if m.account)),
                money_cell(sum((m.account.pot for m in members if m.account), ZERO)),
                money_cell(sum((m.account.earned for m in members if m.account), ZERO)),
            )
        )
    site.listing(
        "quality-accounts/index.html",
        "Quality Accounts",
        "providers",
        "Providers with achievement data, and what they earned",
        ("Provider", "Code", "Years (checkpoint)", "Expected value at the checkpoint", "Earned"),
        rows,
        (False, False, False, True, True),
        intro=[
            "Quality Accounts (guidance ¶48; seed 000): for each provider, each indicator's target, what was measured, "
            "and the money earned, at the latest checkpoint its achievement data can be reconciled.",
            f"{len(with_account)} of {len(entries)} schemes have achievement data that can be reconciled.",
        ],
        crumbs=[("Index", "index.html")],
    )
    for code in sorted(by_provider):
        members = sorted(by_provider[code], key=lambda e: (e.figures.financial_year, e.figures.commissioning_route))
        path = sp.quality_account_page(code)
        sections = []
        for e in members:
            a = e.account
            assert a is not None
            lines = []
            for line in a.lines:
                lines.append(
                    (
                        Cell(f"{line.number} {line.name}", href=f"{e.page}#indicator-{slug(line.number)}"),
                        Cell(line.domain.replace("_", " ")),
                        _pct_cell(line.weighting),
                        Cell(number(line.target) if line.target is not None else line.milestone),
                        Cell(
                            number(line.measured)
                            if line.measured is not None
                            else ("met" if line.met else "not met" if line.met is not None else "")
                        ),
                        Cell(line.status.replace("_", " ")),
                        Cell(
                            f"{line.achievement.quantize(Decimal('0.1'))}%",
                            number=True,
                            value=format(line.achievement.quantize(Decimal("0.1")), "f"),
                        ),
                        money_cell(line.earned),
                    )
                )
            table = site.table(
                path,
                f"account-{slug(e.figures.scheme_id)}",
                f"{e.figures.financial_year} ({sp.ROUTE_WORDS.get(e.figures.commissioning_route, '')}), month {a.month}",
                ("Indicator", "Domain", "Weighting", "Target", "Measured", "Assessed", "Achieved", "Earned"),
                lines,
                (False, False, True, False, False, False, True, True),
            )
            sections.append(
                Section(
                    title=f"{e.figures.financial_year}: {e.figures.scheme_id}",
                    paragraphs=[
                        f"At month {a.month}: base {format_money(a.base)} ({a.base_source}); expected value {format_money(a.pot)}; "
                        f"earned {format_money(a.earned)}; paid {format_money(a.paid)}; adjustment {format_money(a.adjustment)}.",
                        *a.notes,
                    ],
                    links=[("The scheme", e.page, "")],
                    tables=[table],
                )
            )
        name = members[0].figures.provider_name
        site.find(f"Quality Accounts: {name}", path, "quality account", code)
        site.add(
            Page(
                path,
                f"Quality Accounts: {name} ({code})",
                sections=sections,
                crumbs=[("Index", "index.html"), ("Quality Accounts", "quality-accounts/index.html")],
            )
        )


def _national_groups(entries: Sequence[SchemeEntry]) -> dict[str, list[tuple[SchemeEntry, sp.ComparedIndicator]]]:
    """National (and regional) indicators by their key, in the order of their labels."""
    groups: dict[str, list[tuple[SchemeEntry, sp.ComparedIndicator]]] = defaultdict(list)
    for e in entries:
        for c in e.compared:
            if c.national and c.key:
                groups[c.key].append((e, c))
    keys = sorted(groups, key=lambda k: (groups[k][0][1].label.casefold(), k))
    return {k: groups[k] for k in keys}


def _national_index(site: Site, groups: dict[str, list[tuple[SchemeEntry, sp.ComparedIndicator]]]) -> None:
    rows = []
    for key, members in groups.items():
        rows.append(
            (
                Cell(members[0][1].label, href=sp.national_page(key)),
                Cell(str(len({e.figures.provider_code for e, _ in members})), number=True),
                Cell(str(len(members)), number=True),
                Cell(", ".join(sorted({e.figures.financial_year for e, _ in members}))),
            )
        )
    site.listing(
        "national/index.html",
        "National indicators across providers",
        "indicators",
        "National and regional indicators, and how many providers' schemes hold each",
        ("Indicator", "Providers", "Schemes", "Years"),
        rows,
        (False, True, True, False),
        intro=[
            "One national (or regional) indicator set side by side across providers: baselines, targets, stretch and "
            "achievement (guidance ¶55, ¶57). Indicators are matched by their national indicator reference, else by "
            "their name, case, punctuation and spacing ignored.",
        ],
        crumbs=[("Index", "index.html")],
    )


def _national_page(site: Site, key: str, group: list[tuple[SchemeEntry, sp.ComparedIndicator]]) -> None:
    members = sorted(group, key=lambda m: (m[0].figures.financial_year, m[0].figures.provider_code, m[0].file, m[1].number))
    label = members[0][1].label
    path = sp.national_page(key)
    site.find(label, path, "national indicator", *sorted({c.name for _, c in members})[:5])
    detail = []
    for e, c in members:
        detail.append(
            (
                Cell(e.figures.provider_name, href=sp.provider_page(e.figures.provider_code)),
                Cell(e.figures.financial_year),
                Cell(f"{c.number} {c.name}", href=f"{e.page}#indicator-{slug(c.number)}"),
                Cell({"higher": "higher", "lower": "lower"}.get(c.direction or "", "")),
                _num_cell(c.baseline),
                _num_cell(c.final),
                Cell(str(c.milestones), number=True),
                _stretch(c.stretch),
                money_cell(c.value),
                _num_cell(c.measured),
                _pct_cell(c.achievement),
            )
        )
    stretched = sorted(c.stretch for _, c in members if c.stretch is not None)
    summary = [
        ("Providers", str(len({e.figures.provider_code for e, _ in members}))),
        ("Schemes", str(len(members))),
        ("Expected value", format_money(sum((c.value for _, c in members), ZERO))),
        ("Stretch", f"{stretched[0]:f}% to {stretched[-1]:f}%" if stretched else "n/a"),
    ]
    site.listing(
        path,
        label,
        "providers",
        f"{label}: each provider's baseline, target, stretch and achievement",
        (
            "Provider",
            "Year",
            "Indicator",
            "Better",
            "Baseline",
            "Final (target)",
            "Milestones",
            "Stretch",
            "Expected value",
            "Latest measured",
            "Achieved",
        ),
        detail,
        (False, False, False, False, True, True, True, True, True, True, True),
        summary=summary,
        crumbs=[("Index", "index.html"), ("National indicators", "national/index.html")],
    )


def _challenge_index(site: Site, groups) -> None:
    rows = []
    for g in groups:
        rows.append(
            (
                Cell(
                    f"{g.coordinating_commissioner_name} ({g.coordinating_commissioner})",
                    href=sp.challenge_page(g.coordinating_commissioner, g.financial_year),
                ),
                Cell(g.financial_year),
                Cell(str(len(g.providers)), number=True),
                _stretch(g.spread),
            )
        )
    site.listing(
        "challenge/index.html",
        "Equivalent challenge",
        "commissioners",
        "Coordinating commissioners by year: how far apart their providers' stretch is",
        ("Coordinating commissioner", "Year", "Providers", "Spread of stretch"),
        rows,
        (False, False, True, True),
        intro=[
            "Guidance ¶71 asks that schemes offer roughly equivalent challenge to each provider. For each coordinating "
            "commissioner and year, each provider's stretch (the mean of its indicators' stretch: how far the final value "
            "is beyond the baseline, in the indicator's direction) side by side; the spread is the highest minus the lowest.",
        ],
        crumbs=[("Index", "index.html")],
    )


def _challenge_page(site: Site, g, pages: dict[str, str]) -> None:
    path = sp.challenge_page(g.coordinating_commissioner, g.financial_year)
    detail = [
        (
            Cell(p.provider_name, href=sp.provider_page(p.provider_code)),
            Cell(p.provider_code),
            Cell(", ".join(p.scheme_ids), href=pages[p.scheme_ids[0]] if len(p.scheme_ids) == 1 else ""),
            Cell(str(p.indicators_with_stretch), number=True),
            _stretch(p.stretch),
        )
        for p in g.providers
    ]
    site.listing(
        path,
        f"Equivalent challenge: {g.coordinating_commissioner_name}, {g.financial_year}",
        "providers",
        "Each provider's stretch",
        ("Provider", "Code", "Schemes", "Indicators with a stretch", "Stretch"),
        detail,
        (False, False, False, True, True),
        summary=[
            ("Coordinating commissioner", f"{g.coordinating_commissioner_name} ({g.coordinating_commissioner})"),
            ("Financial year", g.financial_year),
            ("Providers", str(len(g.providers))),
            (
                "Spread of stretch",
                "n/a (fewer than two providers with a stretch)" if g.spread is None else f"{g.spread:f} percentage points",
            ),
        ],
        crumbs=[("Index", "index.html"), ("Equivalent challenge", "challenge/index.html")],
    )


def _pathways(site: Site, entries: Sequence[SchemeEntry]) -> None:
    figures = [e.figures for e in entries]
    rows_in = [r for e in entries for r in e.pathway_rows]
    pages = {e.figures.scheme_id: e.page for e in entries}
    groups = pathway_groups(figures, rows_in)
    index_rows = [
        (
            Cell(g.pathway, href=sp.pathway_page(g.pathway)),
            Cell(str(g.providers), number=True),
            Cell(str(len(g.parts)), number=True),
            money_cell(g.value),
        )
        for g in groups
    ]
    site.listing(
        "pathways/index.html",
        "Pathway groups",
        "pathways",
        "Pathways shared by several schemes",
        ("Pathway", "Providers", "Schemes", "Expected value"),
        index_rows,
        (False, True, True, True),
        intro=[
            "Guidance ¶56 and the 2010/11 direction encourage indicators along a clinical pathway shared by several "
            "providers. Each group holds the indicators that carry the same pathway tag.",
        ],
        crumbs=[("Index", "index.html")],
    )
    for g in groups:
        path = sp.pathway_page(g.pathway)
        site.find(f"Pathway {g.pathway}", path, "pathway", *(p.provider_name for p in g.parts[:5]))
        detail = [
            (
                Cell(p.provider_name, href=sp.provider_page(p.provider_code)),
                Cell(SECTOR_TITLES.get(p.sector, p.sector)),
                Cell(p.financial_year),
                Cell(p.scheme_id, href=pages.get(p.scheme_id, "")),
                Cell("; ".join(f"{n} {name}" for n, name in zip(p.indicators, p.indicator_names))),
                money_cell(p.value),
            )
            for p in g.parts
        ]
        site.listing(
            path,
            f"Pathway: {g.pathway}",
            "parts",
            "Each scheme's part of the pathway",
            ("Provider", "Sector", "Year", "Scheme", "Indicators", "Expected value"),
            detail,
            (False, False, False, False, False, True),
            summary=[("Providers", str(g.providers)), ("Schemes", str(len(g.parts))), ("Expected value", format_money(g.value))],
            crumbs=[("Index", "index.html"), ("Pathways", "pathways/index.html")],
        )


__all__ = ["Page", "Section", "Site", "build_pages", "page_jobs", "PAGE_ROWS"]
