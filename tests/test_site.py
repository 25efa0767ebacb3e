"""`cquin site`: the portfolio as a static site, read back as a user's browser would get it.

Every page is parsed (html.parser), every link followed on disk, every figure checked
against the worked example (DOMAIN.md §4) or the export; hostile scheme text must come
out as text; the same input must give the same bytes; no page may grow past 200 KB.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT, SAMPLES, WORKED_EXAMPLE, run_cli

PAGE_LIMIT = 200 * 1024


class Page(HTMLParser):
    """The links, scripts, event-handler attributes and visible text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.scripts: list[str] = []  # src of each <script>; "" for an inline one
        self.handlers: list[tuple[str, str]] = []  # on* attributes
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((name, value or ""))
            if name in ("href", "src") and value is not None and tag != "script":
                self.links.append(value)
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")

    def handle_data(self, data):
        self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def build(paths, out: Path, *extra: str):
    return run_cli("site", *map(str, paths), "-o", str(out), *extra)


@pytest.fixture(scope="module")
def samples() -> list[dict]:
    """The samples' schemes as the export has them: the site's counts and totals must agree."""
    import json

    result = run_cli("export", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["tables"]["schemes"]


@pytest.fixture(scope="module")
def site(tmp_path_factory, samples) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = build([SAMPLES], out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out / 'index.html'}: {len(samples)} schemes, ")
    return out


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --- the site as a whole --------------------------------------------------------


def test_every_link_and_asset_is_a_file_in_the_site(site):
    """Works from file:// with no server: every address is relative and names a file in the folder."""
    checked = 0
    for page in pages_of(site):
        parsed = parse(page)
        assert parsed.scripts == ["../" * (len(page.relative_to(site).parts) - 1) + "assets/search.js"], page
        for link in parsed.links:
            url = urlparse(link)
            assert not url.scheme and not url.netloc, f"{page}: {link} leaves the site"
            if not url.path:
                continue
            target = (page.parent / unquote(url.path)).resolve()
            assert target.is_file(), f"{page}: {link} is not a file of the site"
            assert site.resolve() in target.parents
            checked += 1
    assert checked > 1000
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@media print" in css and "url(" not in css and "@import" not in css


def test_no_page_is_larger_than_200_kb(site):
    sizes = {p: p.stat().st_size for p in pages_of(site)}
    assert max(sizes.values()) <= PAGE_LIMIT, max(sizes.items(), key=lambda kv: kv[1])


def test_the_portfolio_csv_files_are_the_bytes_of_cquin_export(site, tmp_path):
    exported = tmp_path / "export"
    result = run_cli("export", str(SAMPLES), "--format", "csv", "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in exported.glob("*.csv"))
    assert names == sorted(p.name for p in (site / "data").glob("*.csv"))
    for name in names:
        assert (site / "data" / name).read_bytes() == (exported / name).read_bytes(), name


def test_every_table_has_a_csv_file_with_its_rows(site):
    tables = 0
    for page in pages_of(site):
        text = page.read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="table".*?</figure>', text, flags=re.S)
        for figure in figures:
            rows = len(re.findall(r"<tr>", figure.split("<tbody>")[1])) if "None recorded." not in figure else 0
            link = re.search(r'<a href="([^"]+\.csv)" download>Download this table as CSV</a>', figure)
            assert link, f"{page}: a table without its CSV"
            csv = (page.parent / link.group(1)).read_text(encoding="utf-8")
            if "cquin export" not in figure and not re.search(r"\(rows \d+-\d+ of \d+\)", figure):  # all its rows here
                assert len(csv.splitlines()) == rows + 1, f"{page}: {link.group(1)}"
            tables += 1
    assert tables > 150


def test_the_same_samples_give_the_same_bytes(site, tmp_path):
    again = tmp_path / "again"
    assert build([SAMPLES], again).exit_code == 0
    assert tree(again) == tree(site)


def pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def test_the_index_counts_by_year_region_provider_sector_and_route(site, samples):
    index = parse(site / "index.html").visible
    years = sorted({s["financial_year"] for s in samples})
    total = pounds(sum(s["expected_value_pence"] for s in samples))
    assert f"{len(samples)} CQUIN schemes for {years[0]} to {years[-1]}" in index
    assert f"Expected value {total}" in index
    for heading in ("By financial year", "By region (folder)", "By provider", "By sector", "By commissioning route"):
        assert heading in index
    assert "worked-example 1 1 4 £1,000,000.00" in index
    providers = len({s["provider_code"] for s in samples})
    indicators = sum(s["indicators"] for s in samples)
    assert f"Total {len(samples)} {providers} {indicators} {total}" in index
    region = parse(site / "regions" / "coventry-warwickshire.html").visible
    assert "Schemes 3" in region and "Providers 3" in region


# --- a scheme's page: the worked example ------------------------------------------


@pytest.fixture(scope="module")
def worked(site) -> str:
    return parse(site / "schemes" / "rnf-2009-10-pct.html").visible


def test_the_worked_example_money_to_the_penny(worked):
    assert "expected value £1,000,000.00" in worked
    assert "Northfield PCT coordinating 70 £700,000.00 £630,000.00" in worked
    assert "Bramley PCT associate 20 £200,000.00 £180,000.00" in worked
    # each goal and indicator split by commissioner (70/20/10)
    assert "1 Reduce avoidable harm from venous thromboembolism £300,000.00 £210,000.00 £60,000.00 £30,000.00" in worked
    assert "1 April 2009 £52,500.00 £15,000.00 £7,500.00 £75,000.00" in worked
    assert "Total £630,000.00 £180,000.00 £90,000.00 £900,000.00" in worked


def test_the_worked_example_payment_arrangement_and_reconciliations(worked):
    assert "Paid on account 90% of the expected value: £900,000.00" in worked
    assert "Reconciled at months 6, 9, 12" in worked
    assert "the default (guidance ¶65)" in worked
    for month, adjustment in ((6, "-£128,700.00"), (9, "£154,050.00"), (12, "-£175,730.00")):
        assert re.search(rf"\b{month} computed .*? {re.escape(adjustment)}", worked), month
    assert "earned £749,620.00" in worked


def test_every_field_of_the_indicator_template_is_shown(worked):
    for field in (
        "Numerator",
        "Denominator",
        "Rationale for inclusion",
        "Data source",
        "Frequency of data collection",
        "Organisation responsible for collection",
        "Frequency of reporting to the commissioner",
        "Baseline (period, value)",
        "Final indicator (period, value)",
        "Final reporting date",
        "In-year milestones",
        "Partial achievement",
        "Kind",
        "Provenance",
    ):
        assert field in worked, field
    assert "Linear: nothing at the floor of 70 or worse, in full at the target" in worked


def test_monthly_charts_are_inline_svg_of_the_monitor_figures(site):
    from cquin_cli.check.pipeline import check_paths
    from cquin_cli.compute.monitoring import latest_month, monitor
    from cquin_cli.portfolio.export_tables import achievements_of_run

    run = check_paths([str(WORKED_EXAMPLE), str(WORKED_EXAMPLE).replace(".yaml", ".achievement.yaml")])
    scheme = run.records[0]
    data = achievements_of_run(run)[scheme.file]
    report = monitor(scheme, data, latest_month(data), with_forecast=False)
    text = (site / "schemes" / "rnf-2009-10-pct.html").read_text(encoding="utf-8")
    charts = re.findall(r"<svg .*?</svg>", text, flags=re.S)
    assert len(charts) == sum(1 for i in report.indicators if i.points)
    s1 = next(i for i in report.indicators if i.number == "S1")
    chart = charts[0]
    assert chart.count("<circle") == len(s1.points)
    assert f"{len(s1.points)} monthly values" in chart
    from cquin_cli.compute.spc import as_decimal

    assert f"mean {as_decimal(s1.chart.mean).normalize():f}" in chart
    assert "<image" not in text and "http" not in chart.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert f"Month {report.month}: {s1.status_words}" in parse(site / "schemes" / "rnf-2009-10-pct.html").visible


# --- comparisons --------------------------------------------------------------------


def test_one_national_indicator_across_providers(site):
    # the library's id (2010/11) and the same name (2009/10) side by side
    page = parse(site / "national" / "vte-risk-assessment.html")
    assert "VTE risk assessment" in page.visible and "Providers 3" in page.visible
    for provider, year in (
        ("Northfield Hospitals", "2009/10"),
        ("North Bristol", "2010/11"),
        ("University Hospitals Coventry", "2010/11"),
    ):
        assert re.search(rf"{provider}[^|]*? {year} ", page.visible), provider
    other = parse(site / "national" / "vte-risk-assessment-on-admission.html").visible
    assert "Providers 2" in other and "Guy's and St Thomas'" in other and "Imperial College" in other


def test_equivalent_challenge_per_coordinating_commissioner(site):
    index = parse(site / "challenge" / "index.html").visible
    assert "Equivalent challenge" in index and "¶71" in index
    pages = [p for p in (site / "challenge").glob("*.html") if p.name != "index.html"]
    assert pages
    assert any("Spread of stretch" in parse(p).visible for p in pages)


def test_pathway_group_and_provider_year_on_year(site):
    pathway = parse(site / "pathways" / "cw-dementia.html").visible
    assert "Providers 3" in pathway
    provider = parse(site / "providers" / "rvj.html").visible
    assert "Indicators year on year" in provider
    assert re.search(r"Stroke patients spending 90% of their stay on a stroke unit 2009/10 .* 2010/11", provider)


def test_quality_accounts_per_provider(site):
    account = parse(site / "quality-accounts" / "rnf.html").visible
    assert "earned £749,620.00" in account
    assert "adjustment -£175,730.00" in account


def test_the_search_index_names_every_scheme(site, samples):
    import json

    document = json.loads((site / "search-index.json").read_text(encoding="utf-8"))
    schemes = [e for e in document["entries"] if e["k"] == "scheme"]
    assert len(schemes) == len(samples)
    for e in document["entries"]:
        assert (site / e["u"]).is_file(), e
    script = (site / "search-index.js").read_text(encoding="utf-8")
    assert script == f"window.cquinSearchIndex = {(site / 'search-index.json').read_text(encoding='utf-8').strip()};\n"


# --- hostile text --------------------------------------------------------------------

HOSTILE_NAME = "<script>alert(1)</script> Hospital"
HOSTILE_ATTRIBUTE = '"onload="alert(2)'
HOSTILE_URL = "javascript:alert(3)"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The worked example with markup, an attribute break-out and a script address in its text and folder."""
    root = tmp_path_factory.mktemp("hostile")
    region = root / "schemes" / f"{HOSTILE_URL}<b>"
    region.mkdir(parents=True)
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("name: Northfield Hospitals NHS Trust", f"name: {HOSTILE_NAME!r}".replace("'", '"'))
    text = text.replace("code: RNF", 'code: "R<i>NF\\"onload=x"')
    text = re.sub(r"(\n\s+data_source: ).*", lambda m: m.group(1) + HOSTILE_URL, text, count=1)
    text = re.sub(r"(\n\s+- number: 1\n\s+name: ).*", lambda m: m.group(1) + "'" + HOSTILE_ATTRIBUTE + "'", text, count=1)
    text = text.replace("pathway:", "notes:") if "pathway:" in text else text
    assert HOSTILE_NAME in text and HOSTILE_URL in text and HOSTILE_ATTRIBUTE in text
    (region / "hostile.yaml").write_text(text, encoding="utf-8")
    achievement = WORKED_EXAMPLE.with_name("northfield-acute-2009-10.achievement.yaml").read_text(encoding="utf-8")
    (region / "hostile.achievement.yaml").write_text(achievement, encoding="utf-8")
    out = root / "site"
    result = build([root / "schemes"], out)
    assert result.exit_code in (0, 1), result.stderr
    assert "1 schemes" in result.stdout
    return out


def test_hostile_text_never_becomes_markup_or_script(hostile):
    seen = {"name": 0, "attribute": 0, "url": 0}
    for page in pages_of(hostile):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text
        assert "<i>" not in text and "<b>" not in text
        assert '"onload=' not in text and "onload=" not in text.replace("&#34;onload=", "")
        assert 'href="javascript:' not in text and 'src="javascript:' not in text
        parsed = parse(page)
        assert not parsed.handlers, f"{page}: {parsed.handlers}"
        assert parsed.tags.count("script") == 1
        for link in parsed.links:
            assert not urlparse(link).scheme, f"{page}: {link}"
        seen["name"] += HOSTILE_NAME in parsed.visible
        seen["attribute"] += HOSTILE_ATTRIBUTE in parsed.visible
        seen["url"] += HOSTILE_URL in parsed.visible
    assert all(seen.values()), seen  # shown, as text


def test_hostile_names_make_safe_file_names(hostile):
    for path in hostile.rglob("*"):
        relative = path.relative_to(hostile).as_posix()
        assert re.fullmatch(r"[a-z0-9._/-]+", relative.replace("search-index", "search")), relative


def test_hostile_text_in_the_csv_files_is_guarded(hostile):
    providers = (hostile / "data" / "schemes.csv").read_text(encoding="utf-8")
    assert HOSTILE_NAME in providers
    money = next((hostile / "schemes").glob("*/money-by-commissioner.csv")).read_text(encoding="utf-8")
    assert '1,"""onload=""alert(2)",300000.00,' in money  # one quoted field, quotes doubled


def test_search_results_are_built_as_text():
    script = (ROOT / "cquin_cli" / "site" / "static" / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "eval(" not in script and "document.write" not in script
    assert "textContent" in script


# --- scale: pages stay small however large the portfolio ------------------------------


def test_long_lists_are_split_into_pages_of_bounded_size(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from cquin_cli.site import pages

    monkeypatch.setattr(pages, "PAGE_ROWS", 10)
    generate(str(tmp_path / "portfolio"), 30, seed=4)
    result = build([tmp_path / "portfolio"], tmp_path / "site")
    # exit 1 where the generator's schemes break a rule of their year (E225): published all the same
    assert result.exit_code in (0, 1), result.stderr
    assert "wrote" in result.stdout and ": 30 schemes," in result.stdout
    years = sorted(p.name for p in (tmp_path / "site" / "years").glob("*.html"))
    assert "2009-10-2.html" in years or "2010-11-2.html" in years, years
    first = parse(tmp_path / "site" / "years" / "2009-10.html").visible
    assert "Page 1 of" in first
    for page in pages_of(tmp_path / "site"):
        assert page.stat().st_size <= PAGE_LIMIT, page


# --- what a user is told ------------------------------------------------------------


def test_a_broken_file_is_named_and_the_rest_is_published(tmp_path):
    folder = tmp_path / "schemes"
    shutil.copytree(SAMPLES / "worked-example", folder / "worked-example")
    (folder / "broken.yaml").write_text("financial_year: [unclosed\n", encoding="utf-8")
    result = build([folder], tmp_path / "site")
    assert result.exit_code == 1
    assert re.search(r"broken\.yaml:\d+:\d+: error E\d+", result.stderr)
    assert "1 schemes" in result.stdout
    assert (tmp_path / "site" / "schemes" / "rnf-2009-10-pct.html").is_file()


def test_two_files_for_one_scheme_publish_the_first_and_name_the_other(tmp_path):
    folder = tmp_path / "schemes"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(WORKED_EXAMPLE, folder / name)
    result = build([folder], tmp_path / "site")
    assert result.exit_code == 1
    assert "E203" in result.stderr
    assert f"{folder / 'b.yaml'}: left out, scheme RNF/2009-10/pct is already published from {folder / 'a.yaml'}" in result.stderr
    assert "Scheme file " + str(folder / "a.yaml") in parse(tmp_path / "site" / "schemes" / "rnf-2009-10-pct.html").visible


def test_nothing_to_publish_writes_nothing(tmp_path):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "broken.yaml").write_text("financial_year: [unclosed\n", encoding="utf-8")
    result = build([folder], tmp_path / "site")
    assert result.exit_code == 2
    assert "nothing to publish" in result.stderr
    assert not (tmp_path / "site").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cquin")]


def test_a_folder_it_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = build([WORKED_EXAMPLE], out)
    assert result.exit_code == 2
    assert "cquin site did not write" in result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_site_is_never_written_over_its_inputs(tmp_path):
    folder = tmp_path / "schemes"
    shutil.copytree(SAMPLES / "worked-example", folder)
    before = tree(folder)
    result = build([folder], folder)
    assert result.exit_code == 2
    assert "cquin site did not write" in result.stderr
    out = tmp_path / "site"
    assert build([folder], out).exit_code == 0
    shutil.copytree(folder, out / "inside")  # schemes put inside a previous site
    result = build([out / "inside"], out)
    assert result.exit_code == 2
    assert "holds an input file" in result.stderr
    assert tree(folder) == before and (out / "inside" / WORKED_EXAMPLE.name).is_file()


def test_a_previous_site_is_replaced_whole(tmp_path):
    out = tmp_path / "site"
    assert build([SAMPLES / "bristol"], out).exit_code == 0
    assert (out / "schemes" / "rvj-2010-11-pct.html").is_file()
    assert build([WORKED_EXAMPLE], out).exit_code == 0
    assert not (out / "schemes" / "rvj-2010-11-pct.html").exists()
    assert (out / "schemes" / "rnf-2009-10-pct.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cquin")]


def test_the_command_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| `cquin site PATH... -o DIR` |" in readme
    assert "**jinja2**" in readme
    assert os.path.isfile(ROOT / "docs" / "site.md")


def test_two_files_of_one_scheme_are_e203_at_the_provider_code(cquin, tmp_path):
    from conftest import WORKED_EXAMPLE

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(WORKED_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = cquin("site", str(tmp_path / "in"), "-o", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'in' / 'a.yaml'}:7:3: error E203" in result.stdout + result.stderr
    assert f"see also {tmp_path / 'in' / 'b.yaml'}:7:3" in result.stdout + result.stderr
