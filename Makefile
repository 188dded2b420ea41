# The two commands of the README: `make run` (demo catalogue) and `make test` (whole suite).
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install demo run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Safe to re-run: museums and records are upserts, images are stored by content.
demo: install
	$(BIN)/catalogue museum load demo/museums.json
	$(BIN)/catalogue import demo/records.jsonl
	$(BIN)/catalogue import demo/image_records.jsonl
	$(BIN)/catalogue import-images demo/images.jsonl

# Links in the API and pages point at this server unless CATALOGUE_BASE_URL says otherwise.
run: demo
	CATALOGUE_BASE_URL="$${CATALOGUE_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/catalogue run --host $(HOST) --port $(PORT)

# Starts a real Elasticsearch (fetched once with mvn), runs every test, stops it again.
test: install
	scripts/test

bench: install
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/date_agreement.py
	scripts/elasticsearch start >/dev/null && $(BIN)/python bench/index_bench.py; scripts/elasticsearch stop

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
