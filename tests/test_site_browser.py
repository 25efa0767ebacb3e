"""`cquin site` in a real browser: Debian's Chromium, headless, driven through its own chromedriver.

The site built from the samples is opened from file:// (no server), a link is followed
to a scheme, the search box is used, and what is visible is asserted; axe-core runs in
the pages and must find no serious or critical violation. Chromium runs with no network
of its own (no background networking, component updates, sync or first-run work) and a
fresh profile.

Skipped, with the reason, where Chromium, chromedriver or Selenium is missing (`make
site-check` installs them), and the accessibility check where axe-core is (`make
site-check` installs it from npm under build/npm). With CQUIN_SITE_SCREENSHOTS=1 (as
`make site-check` sets it) the screenshots in docs/screenshots/site-*.png are written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, run_cli

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
AXE = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if os.path.isfile(f"/usr/bin/{name}") else None)
        if found:
            return found
    return None


CHROMIUM = _find("chromium", "chromium-browser")
DRIVER = _find("chromedriver")


def _missing() -> str | None:
    if CHROMIUM is None:
        return "no Chromium installed (make site-check installs Debian's chromium)"
    if DRIVER is None:
        return "no chromedriver installed (make site-check installs Debian's chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (it is in the test extra: pip install -e '.[test]')"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = run_cli("site", str(SAMPLES), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,900")
    try:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    except WebDriverException as exc:  # a browser that cannot start here is a skip, never a failure
        pytest.skip(f"Chromium could not be started: {exc.msg}")
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _exported_schemes() -> list[dict]:
    """The samples' schemes as cquin export has them: the index's counts and total must agree."""
    import json

    result = run_cli("export", str(SAMPLES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["tables"]["schemes"]


def _open(browser, page: Path) -> None:
    browser.get(page.resolve().as_uri())


def _screenshot(browser, name: str, height: int | None = None) -> None:
    if os.environ.get("CQUIN_SITE_SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    if height:
        browser.set_window_size(1280, height)
    browser.save_screenshot(str(SHOTS / f"site-{name}.png"))
    browser.set_window_size(1280, 900)


def test_open_the_index_and_follow_a_link_to_a_scheme(browser, site):
    from selenium.webdriver.common.by import By

    _open(browser, site / "index.html")
    assert browser.title == "CQUIN schemes - CQUIN schemes"
    body = browser.find_element(By.TAG_NAME, "body").text
    schemes = _exported_schemes()
    years = sorted({s["financial_year"] for s in schemes})
    assert f"{len(schemes)} CQUIN schemes for {years[0]} to {years[-1]}" in body
    pence = sum(s["expected_value_pence"] for s in schemes)
    assert f"£{pence // 100:,}.{pence % 100:02d}" in body
    _screenshot(browser, "index", 1400)
    browser.find_element(By.LINK_TEXT, "worked-example").click()
    assert browser.current_url.endswith("/regions/worked-example.html")
    browser.find_element(By.LINK_TEXT, "RNF/2009-10/pct").click()
    assert browser.current_url.endswith("/schemes/rnf-2009-10-pct.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Northfield Hospitals NHS Trust 2009/10"
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "expected value £1,000,000.00" in text
    assert "-£175,730.00" in text
    chart = browser.find_element(By.CSS_SELECTOR, "#indicator-s1 svg")
    assert chart.is_displayed() and chart.size["width"] > 300
    assert len(chart.find_elements(By.CSS_SELECTOR, "circle")) > 10
    # the stylesheet was found: the header is on its dark blue band
    header = browser.find_element(By.CSS_SELECTOR, "header.site")
    assert header.value_of_css_property("background-color") in ("rgba(0, 48, 135, 1)", "rgb(0, 48, 135)")
    browser.execute_script("document.getElementById('indicator-s1').scrollIntoView()")
    _screenshot(browser, "scheme", 1100)


def test_the_search_box_finds_a_scheme_and_goes_there(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, site / "providers" / "index.html")
    box = browser.find_element(By.ID, "search-box")
    box.send_keys("dementia coventry")
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#search-results li a")))
    results = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#search-results li a")]
    assert "Pathway cw-dementia" in results, results
    assert browser.find_element(By.ID, "search-status").text.endswith("found.")
    box.clear()
    box.send_keys("northfield")
    WebDriverWait(browser, 20).until(
        lambda b: any(
            a.text == "Northfield Hospitals NHS Trust 2009/10" for a in b.find_elements(By.CSS_SELECTOR, "#search-results li a")
        )
    )
    _screenshot(browser, "search")
    browser.find_element(By.LINK_TEXT, "Northfield Hospitals NHS Trust 2009/10").click()
    assert browser.current_url.endswith("/schemes/rnf-2009-10-pct.html")
    box = browser.find_element(By.ID, "search-box")
    box.send_keys("no such thing anywhere")
    WebDriverWait(browser, 20).until(lambda b: b.find_element(By.ID, "search-status").text == "Nothing found.")


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "schemes/rnf-2009-10-pct.html",
        "national/vte-risk-assessment-on-admission.html",
        "providers/rvj.html",
        "quality-accounts/rnf.html",
        "pathways/cw-dementia.html",
    ],
)
def test_no_serious_accessibility_violation(browser, site, page):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make site-check installs it from npm under build/npm)")
    _open(browser, site / page)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(60)
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe failed', impact: 'critical', description: String(e), nodes: []}]));"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['description']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
