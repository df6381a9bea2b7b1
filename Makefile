# Two commands on a fresh machine: `make run` (service on the embedded defaults) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run install install-dev ingest test lint eval bench bench-ingest clean

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

run: install
	$(BIN)/kis ingest --if-missing
	$(BIN)/kis ask

ingest: install
	$(BIN)/kis ingest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench-ingest: install
	$(BIN)/kis bench ingest

bench: bench-ingest

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
