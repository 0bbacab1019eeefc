# Two commands do everything on a fresh machine with Python 3.11:
#   make run    build the environment if needed, then a full refresh on the bundled data
#   make test   build the environment if needed, then every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: .venv run test test-tools fuzz bench docs lint lock dagster-ui chromium libreoffice ocr-tools compat-reader clean bi-check \
  fresh-check
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.venv: $(STAMP)

# Reinstall only when the dependencies change, so a second `make run` starts at once.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

run: $(STAMP) ocr-tools
	$(BIN)/ntt-warehouse refresh

# Everything the tests use besides the Python packages, installed once and never while tests run.
test-tools: chromium ocr-tools libreoffice compat-reader

# Style first (seconds), then every test on every core; the summary, the slowest tests and a JUnit file
# (test-output/junit.xml) make a failed run readable afterwards. One file: `make test PYTEST_ARGS=tests/x.py`.
# A test file goes to one worker (loadfile): its module fixtures (a story's refreshes, the fuzz corpus, the
# OCR readings) then run once, not once per worker; the two files of one season of nights (tests/season.py)
# go together, so its session fixture runs once (tests/file_order.py). One worker per core, for the 5-minute
# budget (issue 24): each worker collects the suite and loads Dagster's definitions, dbt's manifest and GX
# once (12-15 CPU-s of imports alone), which a third worker on 2 cores repeats. Warm runs on 2 cores, each
# pair alternated: in a slow hour, the one where the budget is at stake, 2 workers were faster (332.8 and
# 334.6 s, 557 and 551 CPU-s) than 3 (346.7 and 340.0 s, 607 and 602 CPU-s); in a fast hour 3 were
# faster at the same CPU (242.1 and 214.1 s against 254.8 and 234.6 s; 424/378 against 419/380 CPU-s):
# a third worker then fills the seconds the others wait (timeouts, subprocesses). `make test TEST_WORKERS=3`.
# Files go out slowest first, by the last run's seconds (tests/file_order.py; xdist would otherwise sort them
# by their number of tests, which starts the long stories late).
# Python keeps the project's compiled modules (__pycache__/, git-ignored) for the next run: an environment
# that turns that off (PYTHONDONTWRITEBYTECODE=1, as some images set) would make every test worker, CLI
# refresh and read process compile ingest/, store/, dagster_project/ and tests/ again (pytest -n 0 collection:
# 15.0 CPU-s without them, 12.4 with; issue 24).
unexport PYTHONDONTWRITEBYTECODE
TEST_WORKERS ?= $(shell nproc)
PYTEST_ARGS ?= -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -rA --durations=15 \
  --junitxml=test-output/junit.xml
test: $(STAMP) test-tools lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The first and the second `make test` of a fresh clone, on this clone (not part of `make test`; long: run it
# as `nice -n 10 make fresh-check` on a shared machine). Removes what the suite leaves (.cache/ with the tool
# profiles and the test warehouse, test-output/, dbt/target/, dbt/logs/), runs `make test` twice and prints
# one line per run; fails unless both are green. Logs in test-output/fresh-check/.
fresh-check:
	$(PYTHON) scripts/fresh_check.py

# The RAT layout fuzzer at scale (400 layouts; RAT_FUZZ_LAYOUTS=N for another count). Renderings are
# cached in .cache/rat-fuzz/, so only new layouts cost LibreOffice time.
fuzz: $(STAMP) libreoffice
	RAT_FUZZ_LAYOUTS=$${RAT_FUZZ_LAYOUTS:-400} $(BIN)/python -m pytest -q tests/test_rat_fuzz.py

# The report test renders the page in headless Chromium (Debian's package).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Chromium for the report test"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# The RAT layout fuzzer exports Word documents to PDF with LibreOffice, as planners do (Debian's package,
# with the Liberation and DejaVu fonts the layouts use).
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "installing LibreOffice Writer for the RAT layout fuzzer"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core; }

# BI drivers bundle DuckDB 1.x: a DuckDB 1.4 reader in its own environment opens the published file in a test.
COMPAT_READER := .venv-compat/duckdb-1.4.4
compat-reader: $(COMPAT_READER)/.installed
$(COMPAT_READER)/.installed:
	@test -x $(COMPAT_READER)/bin/python || $(PYTHON) -m venv $(COMPAT_READER)
	$(COMPAT_READER)/bin/python -m pip install --quiet duckdb==1.4.4
	@touch $@

# Scanned RAT plans are read with Tesseract (Indonesian and English); the OCR tests make their scans
# with Ghostscript, Poppler's pdftoppm and ImageMagick (Debian's packages).
OCR_PACKAGES := tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng ghostscript poppler-utils imagemagick
ocr-tools:
	@{ command -v tesseract && tesseract --list-langs 2>&1 | grep -qx ind && tesseract --list-langs 2>&1 | grep -qx eng \
	  && command -v gs && command -v pdftoppm && command -v convert; } >/dev/null 2>&1 || { \
	  echo "installing $(OCR_PACKAGES) for scanned plans"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(OCR_PACKAGES); }

docs: $(STAMP)
	$(BIN)/ntt-warehouse docs

# Prints a table and writes bench/results.json: about 10 minutes with the national-scale refresh, and the
# read phase's scale-out curve on the national corpus after it (three engines x 5 rounds: hours on 2 cores,
# see docs/scaling.md; `python -m bench.run --skip-scale-out` leaves it out, `python -m bench.scale_out
# --quick` is a short check).
bench: $(STAMP)
	$(BIN)/python -m bench.run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: $(STAMP)
	@{ head -2 requirements.lock; $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock

# BI tools against the published warehouse (not part of `make test`): plain SQLAlchemy in .venv, Apache
# Superset in its own .venv-bi (it needs SQLAlchemy 1.4), Node.js with @duckdb/node-api. PASS/FAIL per step.
BI_VENV := .venv-bi
BI_STAMP := $(BI_VENV)/.installed
BI_NODE := bi/node/node_modules/.package-lock.json
WAREHOUSE ?= warehouse/ntt_poverty.duckdb

$(BI_STAMP): bi/superset/requirements.txt bi/superset/requirements.lock
	@test -x $(BI_VENV)/bin/python || $(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/python -m pip install --quiet -c bi/superset/requirements.lock -r bi/superset/requirements.txt
	@touch $@

$(BI_NODE): bi/node/package.json bi/node/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "installing Node.js for the BI check"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@# `npm install --no-save` installs the locked versions; `npm ci` would refuse a lock that lists only the
	@# platform bindings the registry offered (Linux here), though every platform's come from the same pin.
	cd bi/node && npm install --no-save --no-audit --no-fund --loglevel=error

bi-check: $(STAMP) $(BI_STAMP) $(BI_NODE)
	@test -f $(WAREHOUSE) || $(BIN)/ntt-warehouse refresh --warehouse $(WAREHOUSE)
	@status=0; \
	echo "== SQLAlchemy + duckdb-engine (.venv)"; $(BIN)/python bi/sqlalchemy/check_sqlalchemy.py $(WAREHOUSE) || status=1; \
	echo "== Apache Superset ($(BI_VENV))"; \
	  $(BI_VENV)/bin/python bi/superset/check_superset.py $(WAREHOUSE) 2>$(BI_VENV)/superset.log || status=1; \
	echo "== Node.js (@duckdb/node-api)"; node bi/node/check.mjs $(WAREHOUSE) || status=1; \
	if [ $$status = 0 ]; then echo "bi-check: every step passed"; else echo "bi-check: FAILED (Superset log: $(BI_VENV)/superset.log)"; fi; \
	exit $$status

# The UI and the daemon, on the repo's Dagster instance (dagster_home/dagster.yaml: one refresh run at a time).
# dbt on PATH: under `dagster dev`, dagster-dbt parses the project with the `dbt` it finds there.
dagster-ui: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH DAGSTER_HOME=$(CURDIR)/dagster_home $(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf $(VENV) dbt/target dbt/logs warehouse/.build .cache/rat-fuzz
