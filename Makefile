# The README's commands. Everything they need is installed here, so they work on a fresh Debian machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck pytest bench-registry bench-plan install postgres clean

demo: $(STAMP)
	$(BIN)/homecoming demo

test: $(STAMP) postgres lint typecheck pytest

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
