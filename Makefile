# make demo   (default) set everything up, then run the walk-through
# make test   set everything up, then run the tests (PYTEST_ARGS="-k foo")
# make figures  regenerate the README's gallery, docs/*.png
# make bench  set up (with micrograd, the anchor), then time micrograd_nn against it
# Each target does every set-up step it needs, on a fresh Debian/Ubuntu box.

PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=

BIN := $(VENV)/bin
# pip's output goes here, not to the screen; a failed step shows the end of it.
SETUP_LOG := $(VENV)/setup.log
# Marks a completed `pip install`; newer than the packaging files = up to date.
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
SETUP_SYSTEM := PYTHON="$(PYTHON)" bash tools/setup-system.sh

.DEFAULT_GOAL := demo
.PHONY: demo test figures bench venv dot browser chktex clean help
# The venv and dot steps may both run apt-get, which cannot run twice at once.
.NOTPARALLEL:

demo: $(STAMP) dot
	$(BIN)/micrograd-nn

test: $(STAMP) dot browser chktex
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's gallery: small PNGs written by the train and graph commands (docs/figures.py).
figures: $(STAMP) dot
	$(BIN)/python docs/figures.py

# The benchmarks (benchmarks/*.py): a table of anchor vs micrograd_nn, about 30 s.
# Exits non-zero only if a benchmark crashes; a missed target says MISSED in the table.
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run

$(BENCH_STAMP): $(STAMP)
	@$(call quietly,installing micrograd (the benchmarks' anchor),\
	    $(BIN)/python -m pip install -e '.[bench]' --config-settings editable_mode=compat)
	@touch $@

venv: $(STAMP)

# Reinstall when dependencies or entry points change. `python -m venv` is run
# even if $(VENV) exists: it is cheap, and it repairs a venv left without pip
# by an earlier failed attempt (e.g. before python3-venv was installed).
# Each step prints one line ("... done"); its output goes to $(SETUP_LOG), shown
# (its last 40 lines) only when the step fails. The editable install is the "compat"
# kind (a path in a .pth file): Python starts ~30 ms sooner than with setuptools'
# import hook, which is the part of start-up where Ctrl-C shows Python's own traceback.
$(STAMP): setup.cfg setup.py pyproject.toml
	@$(SETUP_SYSTEM) venv
	@mkdir -p $(VENV) && : > $(SETUP_LOG)
	@$(call quietly,creating the venv $(VENV),$(PYTHON) -m venv $(VENV))
	@$(call quietly,upgrading pip,$(BIN)/python -m pip install --upgrade pip)
	@$(call quietly,installing micrograd_nn and its test tools (pip install -e '.[test]'),\
	    $(BIN)/python -m pip install -e '.[test]' --config-settings editable_mode=compat)
	@touch $@

# $(call quietly,WHAT,COMMAND): run COMMAND with its output in $(SETUP_LOG); one line on screen.
quietly = printf '%s ... ' "$(1)"; \
	if { echo "=== $(1)"; $(2); } >>$(SETUP_LOG) 2>&1; then echo done; \
	else echo FAILED; echo "the last lines of $(SETUP_LOG):"; tail -n 40 $(SETUP_LOG); exit 1; fi

dot:
	@$(SETUP_SYSTEM) dot

# Chromium and chromedriver for the explorer's browser tests (tests/test_explore_browser.py).
browser:
	@$(SETUP_SYSTEM) browser

# chktex, a LaTeX lint, for derive --format latex (tests/test_derive_formats.py).
chktex:
	@$(SETUP_SYSTEM) chktex

clean:
	rm -rf $(VENV) build dist .eggs *.egg-info .pytest_cache .hypothesis out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

help:
	@echo "make demo    set up (venv, deps, Graphviz) and run the walk-through (default)"
	@echo "make test    set up and run the tests; extra pytest args: PYTEST_ARGS=..."
	@echo "make figures regenerate the README's gallery (docs/*.png)"
	@echo "make bench   set up (with micrograd) and run the benchmarks, micrograd_nn vs its anchors"
	@echo "make venv    create $(VENV) and pip install -e '.[test]'"
	@echo "make dot     install the Graphviz dot program if missing"
	@echo "make clean   remove $(VENV), build artefacts and caches"
	@echo "variables:   PYTHON=$(PYTHON) VENV=$(VENV)"
