# Tejido: the two commands.
#   make run    create .venv, install pinned dependencies, migrate data/tejido.db,
#               load the demo programs if the database is empty, start the app
#               on http://localhost:8501
#   make test   install the dev dependencies and chromium, then lint, type-check and
#               run every test (PostgreSQL too when TEJIDO_TEST_POSTGRES_URL is set)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run test lint bench clean-venv

run:
	@scripts/bootstrap.sh runtime
	$(PY) -m engagement init-db
	$(PY) -m engagement load-demo --if-empty
	$(PY) -m engagement create-user --admin --one-time
	$(PY) -m streamlit run server.py --server.address=localhost --server.port=$(PORT)

test:
	@scripts/bootstrap.sh dev
	@scripts/test-services.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy

bench:
	@scripts/bootstrap.sh dev
	for b in benchmarks/*_bench.py; do $(PY) $$b; done

clean-venv:
	rm -rf $(VENV)
