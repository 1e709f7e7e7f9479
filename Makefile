# specfirst — `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPECFIRST := $(BIN)/specfirst
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# the checkout's bytecode, as an installed package has it (pip compiles on install; a run with
# PYTHONDONTWRITEBYTECODE set would otherwise compile every module again): the benches time runs, not compiling
BYTECODE := $(BIN)/python -m compileall -q generator reference
export PYTHONPATH := $(CURDIR)/generated:$(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help setup generate validate check docs docs-site lint lint-spec test test-all contract serve mock proxy diff bench bench-setup bench-docs bench-reliability bench-contract bench-editloop clean

help: ## list every target
	@grep -hE '^[a-zA-Z_%-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

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

generate: setup ## validate the specs and regenerate generated/ (a no-op when nothing changed)
	$(SPECFIRST) generate --strict

docs: setup ## rebuild only the API reference in generated/docs (Markdown and HTML per API and language)
	$(SPECFIRST) docs

docs-site: setup ## write the API reference as a static site to SITE (default test-artifacts/site), as Pages publishes it
	$(SPECFIRST) docs --site $(or $(SITE),test-artifacts/site)

bench-docs: setup ## docs in headless Chromium: first paint and a search keystroke, GitHub and Stripe (BENCH_ARGS=--quick)
	@$(BYTECODE)
	$(BIN)/python bench/docs.py $(BENCH_ARGS)

check: setup ## fail when generated/ is not what `make generate` would write
	$(SPECFIRST) check

lint-spec: setup ## lint spec/*.yaml: Spectral/Redocly rules + specfirst's own (LINT_ARGS="--format sarif", "--fail-on warning")
	$(SPECFIRST) lint $(LINT_ARGS)

lint: setup ## ruff (lint and format), and mypy --strict on generator/, reference/ and generated/
	$(BIN)/ruff check generator reference tests bench
	$(BIN)/ruff format --check generator reference tests bench
	$(BIN)/mypy --strict generator reference
	cd generated && ../$(BIN)/mypy --strict $$(ls -d */ | grep -v docs | tr -d /)

test: setup ## run the whole test suite (what CI runs)
	$(BIN)/python -m pytest -q -m "not slow"

test-all: setup ## the test suite including tests marked slow (none today: all nine corpus documents run in `make test`)
	$(BIN)/python -m pytest -q

# every benchmark script; `make bench` runs them all in one run, `make bench-NAME` one of them
BENCHES := $(basename $(notdir $(wildcard bench/*.py)))

bench-setup: setup
	@command -v npm >/dev/null || { echo "make: installing Debian's nodejs and npm (the bench times the Node peers)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	@$(BYTECODE)

bench: bench-setup ## every benchmark in one run (generate vs openapi-python-client, lint, diff, mock, contract, ...)
	@for b in run $(filter-out run,$(BENCHES)); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit $$?; done

bench-%: bench-setup ## one benchmark: bench/NAME.py (e.g. make bench-run BENCH_ARGS=--docs stripe-spec3.yaml)
	$(BIN)/python bench/$*.py $(BENCH_ARGS)

bench-reliability: setup ## reference server under write load (8 and 32 clients) and kill -9; prints a table (BENCH_ARGS=--quick)
	@$(BYTECODE)
	$(BIN)/python bench/reliability.py $(BENCH_ARGS)

bench-contract: setup ## contract speed (cases/s for 1, 2, 4 workers) and shard balance; BENCH_ARGS=--quick for small sizes
	@$(BYTECODE)
	$(BIN)/python bench/contract.py $(BENCH_ARGS)

bench-editloop: setup ## time the edit loop on Stripe: cold, no-op, small edits with the cache, check, check --full
	@$(BYTECODE)
	$(BIN)/python bench/editloop.py $(BENCH_ARGS)

serve: setup ## run the reference server for both APIs (PORT=8080 DB=test-artifacts/reference.sqlite3; tokens: REFERENCE_*_TOKEN)
	$(BIN)/python -m reference --host 127.0.0.1 --port $(or $(PORT),8080) --db $(or $(DB),test-artifacts/reference.sqlite3)

CONTRACT_REPORT := test-artifacts/contract
CONTRACT_ARGS = --seed $(or $(SEED),1) --max-examples $(or $(MAX_EXAMPLES),25) --report $(CONTRACT_REPORT)

contract: setup ## contract-test a server: BASE_URL=URL TOKEN=T [READONLY_TOKEN=T] [SPEC=file] (default: the reference server, started for the run); reports in test-artifacts/contract/
	@mkdir -p $(CONTRACT_REPORT)
ifdef BASE_URL
	@status=0; for spec in $(or $(SPEC),$(wildcard spec/*.yaml)); do \
	  $(SPECFIRST) contract $$spec --base-url "$(BASE_URL)" $(if $(TOKEN),--token "$(TOKEN)") \
	    $(if $(READONLY_TOKEN),--readonly-token "$(READONLY_TOKEN)") $(CONTRACT_ARGS) || status=$$?; \
	done; exit $$status
else
	@rm -f $(CONTRACT_REPORT)/reference.sqlite3; port=$$($(BIN)/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'); \
	env -u REFERENCE_HUAWEI_TOKEN -u REFERENCE_HUAWEI_READONLY_TOKEN -u REFERENCE_RAINBOND_TOKEN \
	  $(BIN)/python -m reference --host 127.0.0.1 --port $$port --db $(CONTRACT_REPORT)/reference.sqlite3 >$(CONTRACT_REPORT)/reference.log 2>&1 & pid=$$!; \
	trap "kill $$pid" EXIT; \
	for i in $$(seq 100); do $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', $$port), 1)" 2>/dev/null && break; sleep 0.2; done; \
	status=0; url=http://127.0.0.1:$$port; \
	$(SPECFIRST) contract spec/huawei-apig.yaml --base-url $$url --token dev-huawei-token \
	  --readonly-token dev-huawei-readonly-token --probe 500:app_id=0badc0de0badc0de0badc0de0badc0de \
	  $(CONTRACT_ARGS) || status=$$?; \
	$(SPECFIRST) contract spec/rainbond-console.yaml --base-url $$url --token dev-rainbond-token \
	  $(CONTRACT_ARGS) || status=$$?; \
	exit $$status
endif

diff: setup ## what the spec changes since BASE break (BASE=origin/main; FORMAT=text|markdown|json|github|junit; FAIL_ON=breaking)
	$(SPECFIRST) diff --base-ref $(or $(BASE),origin/main) --format $(or $(FORMAT),text) --fail-on $(or $(FAIL_ON),breaking)
mock: setup ## serve a stateful mock of a spec: SPEC=file [PORT=4010] [STATE=memory|PATH.sqlite3] [MOCK_ARGS=...]
	$(SPECFIRST) mock $(or $(SPEC),$(error give SPEC=path/to/spec.yaml)) --port $(or $(PORT),4010) --state $(or $(STATE),memory) $(MOCK_ARGS)

proxy: setup ## validate real traffic both ways: SPEC=file UPSTREAM=URL [PORT=4011] [REPORT=dir] [PROXY_ARGS=--enforce]
	$(SPECFIRST) proxy $(or $(SPEC),$(error give SPEC=path/to/spec.yaml)) --upstream $(or $(UPSTREAM),$(error give UPSTREAM=http://host:port)) \
	  --port $(or $(PORT),4011) --report $(or $(REPORT),test-artifacts/proxy) $(PROXY_ARGS)

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache test-artifacts
