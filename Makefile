# Two commands do everything on a fresh machine with Python 3.11:
#   make run    build the environment if needed, then a full refresh on the bundled data
#   make test   build the environment if needed, then every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: .venv run test fuzz bench docs lint lock dagster-ui chromium libreoffice clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.venv: $(STAMP)

# Reinstall only when the dependencies change, so a second `make run` starts at once.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

run: $(STAMP)
	$(BIN)/ntt-warehouse refresh

test: $(STAMP) chromium libreoffice
	$(BIN)/python -m pytest

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

docs: $(STAMP)
	$(BIN)/ntt-warehouse docs

# Prints a table and writes bench/results.json (about 10 minutes with the national-scale run).
bench: $(STAMP)
	$(BIN)/python -m bench.run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: $(STAMP)
	@{ head -2 requirements.lock; $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock

dagster-ui: $(STAMP)
	$(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf $(VENV) dbt/target dbt/logs warehouse/.build .cache/rat-fuzz
