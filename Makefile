# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make site   build everything into site/
#   make test   run every check and test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The checkers the browser tests run (axe-core, vnu.jar), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: site test check lint typecheck schema golden serve lock clean system-site system-test

# The system packages (one list, in scripts/system-packages): installed when run as root
# on Debian, otherwise the exact apt-get line is printed and make stops.
system-site:
	@scripts/system-packages site

system-test:
	@scripts/system-packages test

$(STAMP): requirements.lock | system-site
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

$(NODE_STAMP): package-lock.json | system-test
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

site: system-site $(STAMP)
	$(BIN)/python -m generator build

check: $(STAMP)
	$(BIN)/python -m generator check --strict

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

typecheck: $(STAMP)
	$(BIN)/mypy

test: system-test lint typecheck check $(NODE_STAMP)
	$(BIN)/python -m pytest

schema: $(STAMP)
	$(BIN)/python -m generator schema

# Refresh the golden diagrams after an intended change to the drawing; review the diff.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_diagrams.py -k golden

serve: $(STAMP)
	$(BIN)/mkdocs serve

# Re-pin every dependency (needs network access to PyPI and the uv tool).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--index-url https://pypi.org/simple -o requirements.lock

clean:
	rm -rf site .site.new-* .site.tmp-* .site.old .site.lock $(VENV) node_modules
