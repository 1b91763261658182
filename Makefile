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
# The book's kernels use an IPython profile of their own (tools/ipython): no user start-up files, no log noise.
IPYTHON_PROFILE := _build/ipython/profile_default/ipython_kernel_config.py
export IPYTHONDIR := $(CURDIR)/_build/ipython

.DEFAULT_GOAL := help
.PHONY: help venv lint unit book book-fresh notebooks nbval chapter lab browser browser-deps test clean

help:
	@echo "make book       create .venv if needed, build the book into _build/html (re-runs changed chapters only)"
	@echo "make test       lint, unit tests + doctests, the book built from scratch (every chapter"
	@echo "                executed once, 60 s budget each, zero warnings), then the site in headless Chromium"
	@echo "make chapter C=book/part/chapter.md   one chapter: export, run it under nbval, rebuild the book"
	@echo "make notebooks  write every chapter as a plain .ipynb under $(NOTEBOOKS) that reads well in Jupyter:"
	@echo "                roles, references, glued values and {source} listings resolved, solutions collapsed"
	@echo "                (numbers and values come from the last build: run make book first to get them)"
	@echo "make lab        install pinned JupyterLab (requirements-lab.txt) into .venv and open book/ in it"
	@echo "                (jupytext opens the .md chapters as notebooks: right-click, Open With, Notebook)"
	@echo "make lint | unit | browser | nbval   one part (browser: the built site in headless Chromium;"
	@echo "                nbval runs every chapter as pytest items and is not part of test)"
	@echo "make clean      remove _build and test caches (keeps .venv)"

# The environment: exact pins from requirements.txt plus the package in editable mode. pip shows what it
# fetches (the first install is large, see the README). TORCH_INDEX picks where torch comes from, e.g.
# `make venv TORCH_INDEX=https://download.pytorch.org/whl/cpu` for the CPU build (PyPI's default is CUDA).
TORCH_VERSION := $(shell sed -n 's/^torch==//p' requirements.txt)
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(if $(TORCH_INDEX),$(BIN)/python -m pip install --disable-pip-version-check torch==$(TORCH_VERSION) --index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt -e .
	@touch $@

venv: $(STAMP)

$(IPYTHON_PROFILE): tools/ipython/ipython_kernel_config.py
	@mkdir -p $(dir $@)
	@cp $< $@

lint: $(STAMP)
	$(BIN)/ruff check $(RUFF_PATHS)
	$(BIN)/ruff format --check $(RUFF_PATHS)

unit: $(STAMP)
	$(BIN)/python -m pytest -W error --doctest-modules src tests --ignore=tests/browser

book: $(STAMP) $(IPYTHON_PROFILE)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# Every chapter executed exactly once, from an empty cache: the cells' asserts run against the package as it
# is now (the cache keys on a notebook's code only), and dlnotes.drill.execution fails any chapter over 60 s.
book-fresh: $(STAMP) $(IPYTHON_PROFILE)
	rm -rf _build/.jupyter_cache
	$(BIN)/jupyter-book build . --all $(JB_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html; times in _build/execution-times.json"

# Readable notebooks: MyST turned into plain Markdown, with the numbers and glued values of _build if the book
# was built (stand-ins otherwise). The code cells are the chapter's, so nbval runs them unchanged.
notebooks: $(STAMP)
	$(BIN)/python -m tools.notebooks --out $(NOTEBOOKS) --build _build

# JupyterLab (exact pin, not part of requirements.txt; the book's own pins as constraints) on the book folder.
lab: $(STAMP) requirements-lab.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-lab.txt -c requirements.txt
	$(BIN)/jupyter lab book/

nbval: notebooks $(IPYTHON_PROFILE)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p tools.nbtiming $(NOTEBOOKS)

# A writer's inner loop: the one chapter as pytest items (failing cell, time budget), then the book, where the
# cache re-executes only the chapters whose code changed.
chapter: $(STAMP) $(IPYTHON_PROFILE)
	@test -n "$(C)" || { echo "usage: make chapter C=book/<part>/<chapter>.md"; exit 2; }
	$(BIN)/python -m tools.notebooks --out $(NOTEBOOKS) --only $(C) --no-resolve
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p tools.nbtiming $(NOTEBOOKS)/$(basename $(C)).ipynb
	$(BIN)/jupyter-book build . $(JB_FLAGS)

# The built site in headless Chromium (tests/browser): Debian's chromium and a CJK font are an install step
# when missing, never a reason to skip.
SUDO := $(shell test "$$(id -u)" -eq 0 || echo sudo)
browser-deps:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh | grep -q .; then \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	    --no-install-recommends chromium fonts-noto-cjk; \
	fi

browser: $(STAMP) browser-deps
	$(BIN)/python -m pytest -W error tests/browser

test: lint unit book-fresh browser

clean:
	rm -rf _build .pytest_cache .hypothesis
