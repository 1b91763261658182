# dlnotes. `make book` builds the book, `make test` runs every check; both create .venv first if needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.dlnotes-installed
NOTEBOOKS := _build/notebooks
# -n: warn on every broken reference; -W: a warning fails the build; --keep-going: report them all first.
JB_FLAGS := -n -W --keep-going
RUFF_PATHS := src tests tools

.DEFAULT_GOAL := help
.PHONY: help venv lint unit book book-fresh notebooks nbval chapter test clean

help:
	@echo "make book       create .venv if needed, build the book into _build/html (re-runs changed chapters only)"
	@echo "make test       lint, unit tests + doctests, then the book built from scratch: every chapter"
	@echo "                executed once (its asserts are the test, 60 s budget each), zero warnings"
	@echo "make chapter C=book/part/chapter.md   one chapter: export, run it under nbval, rebuild the book"
	@echo "make notebooks  write every chapter as a plain .ipynb under $(NOTEBOOKS)"
	@echo "make lint | unit | nbval   one part (nbval runs every chapter as pytest items; not part of test)"
	@echo "make clean      remove _build and test caches (keeps .venv)"

# The environment: exact pins from requirements.txt plus the package in editable mode.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -e .
	@touch $@

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check $(RUFF_PATHS)
	$(BIN)/ruff format --check $(RUFF_PATHS)

unit: $(STAMP)
	$(BIN)/python -m pytest -W error --doctest-modules src tests

book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# Every chapter executed exactly once, from an empty cache: the cells' asserts run against the package as it
# is now (the cache keys on a notebook's code only), and dlnotes.drill.execution fails any chapter over 60 s.
book-fresh: $(STAMP)
	rm -rf _build/.jupyter_cache
	$(BIN)/jupyter-book build . --all $(JB_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html; times in _build/execution-times.json"

notebooks: $(STAMP)
	$(BIN)/python -m tools.notebooks --out $(NOTEBOOKS)

nbval: notebooks
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p tools.nbtiming $(NOTEBOOKS)

# A writer's inner loop: the one chapter as pytest items (failing cell, time budget), then the book, where the
# cache re-executes only the chapters whose code changed.
chapter: $(STAMP)
	@test -n "$(C)" || { echo "usage: make chapter C=book/<part>/<chapter>.md"; exit 2; }
	$(BIN)/python -m tools.notebooks --out $(NOTEBOOKS) --only $(C)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p tools.nbtiming $(NOTEBOOKS)/$(basename $(C)).ipynb
	$(BIN)/jupyter-book build . $(JB_FLAGS)

test: lint unit book-fresh

clean:
	rm -rf _build .pytest_cache .hypothesis
