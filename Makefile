# speechdraft: `make run` sets everything up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# Local runs are development runs unless the caller says otherwise.
export DEBUG ?= true

.PHONY: run serve setup test lint format bench clean manage

# Settings for local runs, read by speechdraft/settings.py for what the environment leaves
# unset: written once with a generated SECRET_KEY, so that `.venv/bin/python manage.py …` and
# pytest work without exporting anything. Git-ignored and kept out of the Docker image.
LOCAL_ENV := .env.local
$(LOCAL_ENV):
	@umask 077 && { \
	  echo "# Local settings (make wrote this file; not committed). The environment wins over it."; \
	  echo "# Any variable of .env.example may be added. Delete the file to get a new key."; \
	  echo "DEBUG=true"; \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	} > $@.tmp && mv $@.tmp $@
	@echo "已生成 $@（本地设置：DEBUG 与随机生成的 SECRET_KEY，不提交到 git）"

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(LOCAL_ENV)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Any management command, e.g. make manage ARGS="search 营商环境".
manage: $(VENV)/.installed $(LOCAL_ENV)
	$(PY) manage.py $(ARGS)

setup: $(VENV)/.installed $(LOCAL_ENV)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py create_demo_users --site http://$(HOST):$(PORT)/
	$(PY) manage.py ingest --approve fixtures/corpus

# `make run` serves the site as its users see it: DEBUG off, so a missing page or someone
# else's draft is the Chinese 404 page and an error the 500 page (the traceback goes to this
# terminal), static files collected and served by WhiteNoise as in production; over plain
# HTTP (SECURE_COOKIES off). RUN_DEBUG=true serves Django's debug pages instead.
RUN_DEBUG ?= false
STATIC_MANIFEST := staticfiles/staticfiles.json

$(STATIC_MANIFEST): $(VENV)/.installed $(shell find static -type f) | $(LOCAL_ENV)
	DEBUG=false $(PY) manage.py collectstatic --noinput --clear --verbosity 0

run: setup $(STATIC_MANIFEST)
	@echo "speechdraft 正在 http://$(HOST):$(PORT)/ 运行（Ctrl+C 停止）"
	DEBUG=$(RUN_DEBUG) SECURE_COOKIES=false $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed $(LOCAL_ENV)
	$(PY) -m pytest $(PYTEST_ARGS)

# With REDIS_URL (and DATABASE_URL) set, tasks go to Redis: run these two workers, each in
# a terminal of its own, beside `manage.py runserver` or gunicorn. `make run` needs neither:
# without REDIS_URL its tasks run in the web process.
.PHONY: worker-export worker-corpus
# Word exports (their own queue, CELERY_EXPORT_QUEUE, which a worker of CELERY_QUEUE also
# consumes: speechdraft/celery.py), review runs and term re-indexing: two at a time.
worker-export: $(VENV)/.installed
	@test -n "$$REDIS_URL" || { echo "未设置 REDIS_URL：嵌入模式下任务在网页进程内运行，无需 worker"; exit 1; }
	$(VENV)/bin/celery -A speechdraft worker -Q $${CELERY_QUEUE:-speechdraft} -n export@%h \
		--concurrency=2 --loglevel=INFO

# Ingestion: prefork (the pool that enforces CORPUS_TASK_SOFT_TIME_LIMIT), one at a time.
worker-corpus: $(VENV)/.installed
	@test -n "$$REDIS_URL" || { echo "未设置 REDIS_URL：嵌入模式下任务在网页进程内运行，无需 worker"; exit 1; }
	$(VENV)/bin/celery -A speechdraft worker -Q $${CELERY_CORPUS_QUEUE:-corpus} -n corpus@%h \
		--pool=prefork --concurrency=1 --loglevel=INFO

# Benchmarks that need PostgreSQL/Redis use BENCH_DATABASE_URL / BENCH_REDIS_URL
# (default: the local servers; a database speechdraft_bench is created if missing).
bench: $(VENV)/.installed
	$(PY) bench/ingest.py
	$(PY) bench/ingest_quality.py
	$(PY) bench/ingest_linear.py
	$(PY) bench/highlight_linear.py
	$(PY) bench/library_search.py
	$(PY) bench/library_quality.py
	$(PY) bench/review_reuse.py
	$(PY) bench/review_hints.py
	$(PY) bench/editor.py
	$(PY) bench/editor_browser.py
	$(PY) bench/drafts_list.py
	$(PY) bench/export_docx.py
	$(PY) bench/revision_storage.py
	@echo "结果已写入 bench/RESULTS.md"

# The fault scenarios of issue #8 (Redis down, worker killed, PostgreSQL restarted, tabs racing)
# against a private PostgreSQL, Redis, gunicorn and Celery worker that they stop and restart;
# never the shared servers. FAULTS_TIMEOUT bounds the whole run (seconds).
FAULTS_TIMEOUT ?= 300
.PHONY: faults
faults: $(VENV)/.installed
	timeout --kill-after=20 $(FAULTS_TIMEOUT) $(PY) -m pytest -m faults tests/faults $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy speechdraft/text speechdraft/ooxml
	# The import contract: apps import one way, no module cycles (tests/test_import_contract.py).
	$(PY) -m pytest -q -p no:cacheprovider tests/test_import_contract.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Load test (issue #8): LOAD_USERS drafters for LOAD_SECONDS against gunicorn, PostgreSQL, Redis
# and one Celery worker, all started and stopped by bench/load.py. Its database is dropped and
# recreated, its Redis database flushed. Fails on any request error or a failed integrity check;
# runs of 120 s or more also update bench/RESULTS.md (CI's short run only checks).
LOAD_SECONDS ?= 180
LOAD_USERS ?= 50
export LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/speechdraft_load
export LOAD_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: load
load: $(VENV)/.installed
	$(PY) bench/load.py --seconds $(LOAD_SECONDS) --users $(LOAD_USERS)

# A long fuzz run of the ingestion pipeline (make test runs 100 examples per property).
FUZZ_EXAMPLES ?= 5000
.PHONY: fuzz
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/text/test_fuzz.py -p no:django -q --hypothesis-show-statistics
