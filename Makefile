# specfirst — `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPECFIRST := $(BIN)/specfirst
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PYTHONPATH := $(CURDIR)/generated:$(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help setup generate validate check docs lint test test-all contract serve bench clean

help: ## list every target
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found (Python 3.11 is required)" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP) ## create .venv with the pinned dependencies, and Debian's chromium for the docs tests
	@command -v chromium >/dev/null || { echo "make: installing Debian's chromium (the docs tests drive it headless)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei; }

validate: setup ## validate spec/*.yaml (file:line:col for every problem)
	$(SPECFIRST) validate

generate: setup ## validate the specs, then regenerate generated/ (a no-op when nothing changed)
	@$(SPECFIRST) validate
	$(SPECFIRST) generate

docs: setup ## rebuild only the API reference in generated/docs (Markdown zh and en, one HTML page per API)
	$(SPECFIRST) docs

check: setup ## fail when generated/ is not what `make generate` would write
	$(SPECFIRST) check

lint: setup ## ruff, and mypy --strict on generator/, reference/ and generated/
	$(BIN)/ruff check generator reference tests
	$(BIN)/mypy --strict generator reference
	cd generated && ../$(BIN)/mypy --strict $$(ls -d */ | grep -v docs | tr -d /)

test: setup ## run the whole test suite (what CI runs)
	$(BIN)/python -m pytest -q -m "not slow"

test-all: setup ## the test suite including the slow corpus documents
	$(BIN)/python -m pytest -q

serve: setup ## run the reference server for both APIs (PORT=8080 DB=test-artifacts/reference.sqlite3; tokens: REFERENCE_*_TOKEN)
	$(BIN)/python -m reference --host 127.0.0.1 --port $(or $(PORT),8080) --db $(or $(DB),test-artifacts/reference.sqlite3)

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache test-artifacts
