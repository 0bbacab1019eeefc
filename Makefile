# Two commands do everything on a fresh machine with Python 3.11:
#   make run    build the environment if needed, then a full refresh on the bundled data
#   make test   build the environment if needed, then every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: .venv run test bench docs lint lock dagster-ui chromium ocr-tools clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.venv: $(STAMP)

# Reinstall only when the dependencies change, so a second `make run` starts at once.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

run: $(STAMP) ocr-tools
	$(BIN)/ntt-warehouse refresh

test: $(STAMP) chromium ocr-tools
	$(BIN)/python -m pytest

# The report test renders the page in headless Chromium (Debian's package).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Chromium for the report test"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

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
	rm -rf $(VENV) dbt/target dbt/logs warehouse/.build
