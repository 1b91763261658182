# dlnotes. `make book` builds the book, `make test` runs every check; both create .venv first if needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.dlnotes-installed
NOTEBOOKS := _build/notebooks
# -n: warn on every broken reference; -W: a warning fails the build; --keep-going: report them all first.
JB_FLAGS := -n -W --keep-going

.DEFAULT_GOAL := help
.PHONY: help venv book notebooks unit nbval test clean

help:
	@echo "make book       create .venv if needed, build the book into _build/html"
	@echo "make test       unit tests + doctests, every notebook under nbval, and the book build (zero warnings)"
	@echo "make notebooks  write every chapter as a plain .ipynb under $(NOTEBOOKS)"
	@echo "make unit | nbval   one part of 'make test'"
	@echo "make clean      remove _build and test caches (keeps .venv)"

# The environment: exact pins from requirements.txt plus the package in editable mode.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -e .
	@touch $@

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html"

notebooks: $(STAMP)
	$(BIN)/python -m tools.notebooks --out $(NOTEBOOKS)

unit: $(STAMP)
	$(BIN)/python -m pytest -W error --doctest-modules src tests

nbval: notebooks
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p tools.nbtiming $(NOTEBOOKS)

test: unit nbval book

clean:
	rm -rf _build .pytest_cache .hypothesis
