# The README's commands. Everything they need is installed here, so they work on a fresh Debian machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lock lint typecheck pytest bench-registry bench-plan install postgres chromium screenshots serve clean messages bench-load

demo: $(STAMP)
	$(BIN)/homecoming demo

test: $(STAMP) postgres chromium lint typecheck pytest

# Every package, pip and setuptools included, comes from the lock at its pinned version and hash; the project itself
# is installed without resolving anything more. Then the lock is checked against pyproject.toml.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python scripts/check-lock
	$(BIN)/python -m pip check
	$(BIN)/python -m homecoming.optimisation.sequencing.warm  # compile the Numba code into its cache now, not in a solve
	rm -f $(VENV)/.installed-*
	touch $@

# Refresh the lock after changing pyproject.toml (`make lock LOCK_FLAGS=--upgrade` takes every newest release): resolve,
# hash, stamp.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip-compile --quiet $(LOCK_FLAGS) --generate-hashes --allow-unsafe --all-build-deps --strip-extras \
		--extra=dev --extra=postgres --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		--output-file=$(LOCK) pyproject.toml
	$(BIN)/python scripts/check-lock --stamp

install: $(STAMP)

# PostgreSQL's server binaries from Debian; the tests start their own throwaway cluster with them.
postgres:
	@scripts/ensure-postgres

# Debian's Chromium for the browser tests (tests/e2e).
chromium:
	@scripts/ensure-chromium

# Refresh the README's screenshots from the demo a new user gets (`homecoming demo` into a temporary database, then
# `homecoming serve`), at 1366 px and 375 px, in English and Azerbaijani.
screenshots: $(STAMP) chromium
	$(BIN)/python scripts/screenshots.py docs/screenshots

serve: $(STAMP)
	$(BIN)/homecoming serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite on two processes (pytest-xdist; the machine has two cores), each with its own PostgreSQL cluster. A
# test file stays on one process (--dist loadfile: its module fixtures are built once); the next file goes to whichever
# process is free, so the two stay balanced as the suite grows.
pytest: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile --durations=25

bench-registry: $(STAMP)
	$(BIN)/python bench/registry_import.py

bench-plan: $(STAMP)
	$(BIN)/python bench/plan.py

# The pages' catalogues: extract every marked text, merge it into each language, compile the .mo files the package
# ships (committed, so a fresh install needs no build step). Then translate the new entries (docs/translating.md).
LOCALE := src/homecoming/locale
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k Phrase --project=Homecoming --add-location=file --sort-output --no-wrap \
		-o $(LOCALE)/messages.pot .
	$(BIN)/pybabel --quiet update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALE) --statistics

# Requests per second and latency of the overview page and a list endpoint on the national-scale data (PostgreSQL).
bench-load: $(STAMP) postgres
	$(BIN)/python bench/load.py --workers 2

clean:
	rm -rf $(VENV) homecoming.db homecoming-demo.db .pytest_cache .mypy_cache .ruff_cache
