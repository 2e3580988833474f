# speechdraft: `make run` sets everything up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# Local runs are development runs unless the caller says otherwise.
export DEBUG ?= true

.PHONY: run serve setup test lint format bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py create_demo_users
	$(PY) manage.py ingest --approve fixtures/corpus

run: setup
	@echo "speechdraft 正在 http://$(HOST):$(PORT)/ 运行（Ctrl+C 停止）"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks that need PostgreSQL/Redis use BENCH_DATABASE_URL / BENCH_REDIS_URL
# (default: the local servers; a database speechdraft_bench is created if missing).
bench: $(VENV)/.installed
	$(PY) bench/ingest.py
	$(PY) bench/library_search.py
	$(PY) bench/review_reuse.py
	$(PY) bench/editor.py
	$(PY) bench/export_docx.py
	@echo "结果已写入 bench/RESULTS.md"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
