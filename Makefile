# The two commands of the README: `make run` (demo catalogue) and `make test` (whole suite).
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(VENV)/.installed-app
TESTS  := $(VENV)/.installed-test
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install install-test translations demo run test lint bench clean

# `make run` installs what the app needs; `make test` adds the test tools (pytest, playwright, ruff, mypy).
$(APP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(APP)

$(TESTS): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(TESTS) $(APP)

install: $(APP) translations
	scripts/viewers
install-test: $(TESTS) translations
	scripts/viewers

# The interface's message catalogues (.po, in git) compiled to the .mo files the app reads (not in git).
translations: $(APP)
	BIN=$(BIN) scripts/translations compile

# Safe to re-run: the schema migrates only when behind, museums, records and themes are upserts, images
# are stored by content, the demo's secretariat admin is made once. With no mail server set, its
# invitation (a link to choose a password) is printed here instead of mailed.
demo: install
	$(BIN)/catalogue db upgrade
	$(BIN)/catalogue museum load demo/museums.json
	$(BIN)/catalogue import demo/records.jsonl
	$(BIN)/catalogue import demo/image_records.jsonl
	$(BIN)/catalogue import-images demo/images.jsonl
	$(BIN)/catalogue theme load demo/themes.json
	CATALOGUE_BASE_URL="$${CATALOGUE_BASE_URL:-http://$(HOST):$(PORT)}" \
	  $(BIN)/catalogue user create --if-missing --email admin@example.org --name "Demo secretariat" --role admin

# Links in the API and pages point at this server unless CATALOGUE_BASE_URL says otherwise.
run: demo
	CATALOGUE_BASE_URL="$${CATALOGUE_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/catalogue run --host $(HOST) --port $(PORT)

# Lint and type checks, then every test against a real Elasticsearch and PostgreSQL (scripts/test
# starts both and stops them at the end, also on failure).
test: install-test
	scripts/test

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install-test
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/date_agreement.py
	scripts/elasticsearch start >/dev/null && $(BIN)/python bench/index_bench.py; scripts/elasticsearch stop

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache .ruff_cache
