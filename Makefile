# Pantau: `make run` starts the product, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test check lint typecheck security imports deadcode unit unit-postgres system-deps test-deps audit clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

system-deps:
	@bash scripts/apt-install.sh run

test-deps:
	@bash scripts/apt-install.sh test

## run: set up, migrate, load the demo world when empty, start worker + dashboard
run: $(RUNTIME_STAMP) system-deps
	$(PY) cli.py serve

## test: lint, format, types, security lint, the whole suite on SQLite, then the whole suite
## again on a private PostgreSQL 15 cluster
test: $(DEV_STAMP) system-deps test-deps check unit clock unit-postgres

check: lint typecheck security imports deadcode

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy .

## imports: the layering contract (pyproject.toml [tool.importlinter]; docs/architecture.md)
imports: $(DEV_STAMP)
	$(VENV)/bin/lint-imports --no-logo

## deadcode: vulture over the product ([tool.vulture] in pyproject.toml, a short allow-list)
deadcode: $(DEV_STAMP)
	$(VENV)/bin/vulture

security: $(DEV_STAMP)
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

unit: $(DEV_STAMP)
	$(VENV)/bin/pytest

unit-postgres: $(DEV_STAMP) test-deps
	PANTAU_TEST_DB=postgresql $(VENV)/bin/pytest -q

## clock: the clock-sensitive tests under faketime, started a minute before midnight WIB and a
## minute before a month's end (issue #14; scripts/clock-check.sh)
.PHONY: clock
clock: $(DEV_STAMP) test-deps
	bash scripts/clock-check.sh

## bench: every benchmark of issue #8 (P1-P5, then R1 if time allows), the sign-in storm (S1) and
## the hostile imports (H1), one line each, within 10 minutes; builds the province world on first use (see bench/README.md). Fails if any fails.
.PHONY: bench
bench: $(DEV_STAMP) system-deps
	PYTHONPATH=. $(PY) -m bench.run_all

## audit: dependency vulnerability audit; needs internet access to PyPI's advisory data.
## --strict: a package that could not be audited is a failure, not a silent pass
audit: $(DEV_STAMP)
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit --strict -r requirements.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
