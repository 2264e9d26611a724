# The README's commands. Everything they need is installed here, so they work on a fresh Debian machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck pytest bench-registry bench-plan install postgres chromium screenshots serve clean

demo: $(STAMP)
	$(BIN)/homecoming demo

test: $(STAMP) postgres chromium lint typecheck pytest

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# PostgreSQL's server binaries from Debian; the tests start their own throwaway cluster with them.
postgres:
	@scripts/ensure-postgres

# Debian's Chromium for the browser tests (tests/e2e).
chromium:
	@scripts/ensure-chromium

# Refresh the README's screenshots (the browser tests write them to docs/screenshots).
screenshots: $(STAMP) chromium
	HOMECOMING_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/e2e

serve: $(STAMP)
	$(BIN)/homecoming serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

bench-registry: $(STAMP)
	$(BIN)/python bench/registry_import.py

bench-plan: $(STAMP)
	$(BIN)/python bench/plan.py

clean:
	rm -rf $(VENV) homecoming.db homecoming-demo.db .pytest_cache .mypy_cache .ruff_cache
