# `make play` and `make test` each set up .venv on a fresh machine, then run.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLAY_STAMP := $(VENV)/.play-stamp
# The first Python 3.11+ on PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; \
	done)

.PHONY: play test lint typecheck unit screenshots bench docs clean

# Tests run in parallel, one worker per core; `--dist loadfile` keeps each test file in one
# worker, so a module's fixtures (a wheel, a browser, an LRS) are made once. Serial, for
# comparison or debugging: `make test PARALLEL=`.
PARALLEL ?= -n auto --dist loadfile

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Hold the Line needs Python 3.11 or newer on PATH."; exit 1; }
	@echo "Setting up $(VENV) (the first time only: a minute or two)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# -qq: errors still show; setuptools' notes about editable installs do not
	$(BIN)/python -m pip install -qq --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# `make play` installs what playing needs; the developer tools come with the targets below.
$(PLAY_STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Hold the Line needs Python 3.11 or newer on PATH."; exit 1; }
	@echo "Setting up $(VENV) (the first time only: a minute or two)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -qq --disable-pip-version-check -e .
	@touch $(PLAY_STAMP)

play: $(PLAY_STAMP)
	@echo "The hold-the-line command is in $(BIN); 'source $(BIN)/activate' puts it on PATH."
	$(BIN)/hold-the-line play

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PARALLEL)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Everything that needs no server, browser, process kill or full window (see `slow` in
# tests/conftest.py): under a minute, for the edit-test loop. The tests' files (real SQLite
# databases among them) go to memory where there is a /dev/shm: a commit then waits for no
# disk, which is most of what recording tests spend.
UNIT_TMP := $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm)
unit: $(STAMP)
	$(if $(UNIT_TMP),TMPDIR=$(UNIT_TMP)) $(BIN)/python -m pytest -x -q -m "not slow" $(PARALLEL)

screenshots: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m game.ui.screenshots docs/screenshots

# Regenerate every generated file that tests keep current.
docs: $(STAMP)
	$(BIN)/hold-the-line schema > scenarios/schema.json
	$(BIN)/hold-the-line schema --campaign > scenarios/campaign.schema.json
	$(BIN)/python -c "from game.analysis.catalog_doc import techniques_markdown as t; from game.engine.catalog import load_catalog as c; open('docs/techniques.md', 'w').write(t(c()))"
	$(BIN)/hold-the-line curriculum --out docs/curriculum.md
	$(BIN)/python -m game.analysis.codes_doc
	$(BIN)/hold-the-line i18n update

# Every benchmark runs and prints its numbers; the exit status says whether all met their targets.
bench: $(STAMP)
	@status=0; for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
