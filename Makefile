# Two commands for a fresh machine (Python 3.11+):
#   make run   - set up and run the demo on http://127.0.0.1:8000 (SQLite, no Redis, sandbox fakes)
#   make test  - set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[test]"
	touch $@

.env:
	$(BIN)/python scripts/make_env.py > .env
	@echo "wrote .env (demo settings with fresh random keys)"

setup: $(VENV)/.installed .env
	$(BIN)/python manage.py migrate --noinput -v0 --skip-checks
	$(BIN)/python manage.py setup_demo

run: setup
	@echo "Privacy Portal on http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

setup-test: $(VENV)/.installed-test
	@scripts/ensure_chromium.sh

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python tests/bench/traversal.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
