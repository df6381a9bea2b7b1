# Two commands on a fresh machine: `make run` (service on the embedded defaults) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run api ui install install-dev ingest crawl test test-unit lint pytest eval bench bench-ingest bench-crawl bench-retrieval bench-answer bench-api bench-cost clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The API (port 8000) in the background and the UI (port 8501) in front; Ctrl-C stops both.
run: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/kis serve & api=$$!; trap 'kill $$api 2>/dev/null' EXIT INT TERM; $(BIN)/kis ui

api: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/kis serve

ui: install
	$(BIN)/kis ui

ingest: install
	$(BIN)/kis ingest

# The web sources of corpus/sources.toml crawled, then the index rebuilt with them.
crawl: install
	$(BIN)/kis crawl
	$(BIN)/kis ingest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install-dev
	$(BIN)/pytest

# The fast tier alone: no model, no network, no index.
test-unit: install-dev
	$(BIN)/pytest tests/unit

# The README's test command: lint, types and the test suite.
test: lint pytest

eval: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/kis eval run --label make-eval --gate

bench-ingest: install
	$(BIN)/kis bench ingest

# The pipeline at the real site's scale with the model-free hash embedder, then the embedder ratio
# with the real embedder on a site it indexes in minutes on 2 cores.
bench-crawl: install
	$(BIN)/kis bench crawl --hash-embedder
	$(BIN)/kis bench crawl --pages 300 --pdfs 20

bench-retrieval: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/kis bench retrieval

bench-answer: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/kis bench answer

bench-api: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/python -m kis.bench.api

bench-cost: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/python -m kis.bench.api cost

bench: bench-ingest bench-retrieval bench-answer

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache artifacts
