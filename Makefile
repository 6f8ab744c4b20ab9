# Everyday targets. `make run` and `make test` set everything up on first use:
# a virtual environment in .venv with the pinned dependencies of requirements-dev.lock.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help venv run test lint format openapi lock bench bench-extract clean

help:
	@echo "make run      set up and serve the seeded API on http://localhost:8000"
	@echo "make test     set up and run the test suite"
	@echo "make lint     ruff, ruff format --check, mypy --strict, import-linter"
	@echo "make openapi  regenerate openapi.yaml from the code"
	@echo "make lock     re-pin requirements*.lock from pyproject.toml (needs uv)"
	@echo "make bench    HTTP benchmark against a local PostgreSQL (needs wrk; ~25 min)"

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Python 3.11 or newer is needed: make PYTHON=python3.11 ..."; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/python -m service serve

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: venv
	$(BIN)/python -m service openapi write openapi.yaml

# DATABASE_URL names the PostgreSQL to fill (default: database `bench` on
# 127.0.0.1:5432, created when missing). README, "Performance".
bench: venv
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/http_bench.py --growth 10000,100000 --soak 300

lock:
	uv pip compile pyproject.toml --universal --python-version 3.11 -o requirements.lock --quiet
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements-dev.lock --quiet

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
