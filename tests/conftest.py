"""Shared fixtures: named personas, the real Celery worker (Redis mode), the mode we run in."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


# Programs some tests need that a fresh machine may lack: such a test skips with
# skip_missing(program), and the run ends with one line naming what was skipped and the
# packages to install (rather than skips only -ra lists, among the others).
MISSING_PROGRAMS = {
    "chromium": "浏览器测试",
    "LibreOffice": "Word 版式检查",
    "poppler-utils": "Word 版式检查",
    "pandoc": "Word 标题读取检查",
    "python3-uno": "Word 修订检查",
}
INSTALL_PROGRAMS = (
    "apt-get install chromium libreoffice-writer-nogui poppler-utils fonts-noto-cjk pandoc "
    "python3-uno"
)
_MISSING_RE = re.compile(rf"(?:Skipped: )?({'|'.join(MISSING_PROGRAMS)}) not installed")


def skip_missing(program: str, detail: str = "") -> NoReturn:
    assert program in MISSING_PROGRAMS, program
    pytest.skip(f"{program} not installed{detail}")


class _MissingProgramsLine:
    """Registered after the terminal reporter, so its summary wraps the reporter's: the line
    comes after the short summary (-ra), just above the counts."""

    @pytest.hookimpl(wrapper=True)
    def pytest_terminal_summary(self, terminalreporter):
        yield
        kinds: dict[str, int] = {}
        programs: dict[str, set[str]] = {}
        for report in terminalreporter.stats.get("skipped", []):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            found = _MISSING_RE.match(reason)
            if found:
                kind = MISSING_PROGRAMS[found.group(1)]
                kinds[kind] = kinds.get(kind, 0) + 1
                programs.setdefault(kind, set()).add(found.group(1))
        if kinds:
            parts = "、".join(
                f"{kind} {count} 个（缺少 {'、'.join(sorted(programs[kind]))}）"
                for kind, count in kinds.items()
            )
            terminalreporter.write_line(
                f"未运行 {sum(kinds.values())} 个测试：{parts}。安装：{INSTALL_PROGRAMS}",
                yellow=True,
            )


@pytest.hookimpl(trylast=True)
def pytest_configure(config) -> None:
    config.pluginmanager.register(_MissingProgramsLine(), "speechdraft-missing-programs")


def postgres_mode() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def redis_mode() -> bool:
    return bool(os.environ.get("REDIS_URL"))


@pytest.fixture(scope="session", autouse=True)
def media_root(request, tmp_path_factory):
    """Uploads and exports of the test run go to a private folder (shared with the worker)."""
    path = tmp_path_factory.mktemp("media")
    if not request.config.pluginmanager.hasplugin("django"):
        yield path  # pure tests run with -p no:django
        return
    from django.conf import settings

    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = path
    yield path
    settings.MEDIA_ROOT = previous


@pytest.fixture(autouse=True)
def library_stats_fresh(request):
    """Library search keeps table sizes and word counts for a minute: not across tests."""
    if request.config.pluginmanager.hasplugin("django"):
        from speechdraft.library.selectors import stats_cache_clear

        stats_cache_clear()
    yield


@pytest.fixture(autouse=True)
def revision_rate_unlimited(request):
    """Tests change drafts far faster than a person can: the per-minute limit of new revisions
    is off, except where a test sets it (tests/drafts/test_revision_limits.py)."""
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").REVISION_RATE_PER_MINUTE = 0
    yield


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password=PASSWORD)


@pytest.fixture
def editor(django_user_model):
    from speechdraft.accounts.services import curator_group_sync

    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(curator_group_sync())
    return user


@pytest.fixture
def tasks_run(request):
    """Make queued tasks run: in Redis mode by the real worker; embedded, they run in-process.

    Tests using it must be transactional (the worker only sees committed rows).
    """
    if redis_mode():
        return request.getfixturevalue("celery_worker")
    return None


def wait_until(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# What ingesting the samples writes: the first test to need them ingests them for real, the
# others load the rows it wrote (parsing and segmenting five documents again per test took
# seconds each; the ingestion tests themselves ingest on their own).
_SAMPLE_TABLES = ("corpus", "library", "review.reusesignature", "review.reuseband")
# Seeded by a migration, not written by ingestion: already in every test database.
_SEEDED_TABLES = ("library.synonymgroup", "library.synonym", "library.formulation")


def _load_rows(dump) -> None:
    """loaddata, in bulk: one INSERT per model rather than per row."""
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    from speechdraft.units.models import default_unit_id

    # The sample is the default unit's, whose id a transactional test's flush may have changed.
    unit_id = default_unit_id()
    groups: dict = {}
    for row in serializers.deserialize("json", dump.read_text()):
        if hasattr(row.object, "unit_id"):
            row.object.unit_id = unit_id
        groups.setdefault(type(row.object), []).append(row)
    for model, rows in groups.items():
        model.objects.bulk_create([r.object for r in rows], batch_size=500)
        for r in rows:
            for name, values in r.m2m_data.items():
                getattr(r.object, name).set(values)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(groups)):
            cursor.execute(sql)


@pytest.fixture
def sample_library(db, tmp_path_factory):
    """The five sample documents ingested and approved, as `make run` leaves them."""
    from django.core.management import call_command

    dump = tmp_path_factory.getbasetemp() / "sample-library.json"
    with open(os.devnull, "w") as sink:
        if dump.exists():
            _load_rows(dump)
            return
        call_command("ingest", str(ROOT / "fixtures" / "corpus"), approve=True, stdout=sink)
        call_command(
            "dumpdata", *_SAMPLE_TABLES, exclude=_SEEDED_TABLES, output=str(dump), verbosity=0
        )


@pytest.fixture
def formulations(db):
    """The starting 提法与用字 list (transactional tests flush what the migration seeded)."""
    from speechdraft.library.services import formulations_seed

    formulations_seed()


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def _database_url_for(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{auth}@{host}:{port}/{settings_dict['NAME']}"


# The corpus worker's time limits in the test run: well above a sample document's ingestion
# (under a second, plus the dictionary load in a fresh process), well below a long one's.
CORPUS_SOFT_TIME_LIMIT = 8
CORPUS_TIME_LIMIT = 30


def _start_worker(queue: str, *, pool: str, env: dict, log_path: Path) -> subprocess.Popen:
    # The worker holds its own copy of the descriptor: ours closes once it is started.
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "speechdraft",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "-n",
                f"{queue}@localhost",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool processes can be ended with it
        )


def _wait_ready(proc: subprocess.Popen, log_path: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited early:\n{log_path.read_text()}")
        if "ready." in log_path.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"celery worker not ready in 60 s:\n{log_path.read_text()}")


def _stop_worker(proc: subprocess.Popen) -> None:
    # A prefork/solo worker can hang on shutdown: bounded wait, then kill it and its pool.
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def _reroute(app) -> None:
    """Celery reads task_routes once, at the first task sent: make it read them again."""
    app.amqp.flush_routes()
    del app.amqp.router


# How long a transactional test's teardown waits for the workers to finish what the test queued.
DRAIN_SECONDS = 30


def _workers_idle(app, nodes: list[str], queues: list[str]) -> bool:
    """Nothing waits in the private queues and no worker holds a task. A solo worker answers
    control messages only between tasks: a node that does not answer is busy."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    if any(client.llen(queue) for queue in queues):
        return False
    inspect = app.control.inspect(destination=nodes, timeout=1)
    for replies in (inspect.active() or {}, inspect.reserved() or {}):
        if set(replies) != set(nodes) or any(replies.values()):
            return False
    return True


def _drain_workers(app, nodes: list[str], queues: list[str]) -> None:
    """Wait (bounded) until the workers are idle. A task still running when a transactional
    test's teardown empties the database holds row locks that its TRUNCATE waits for, and the
    two can deadlock: "Database ... couldn't be flushed", and the next test starts on the
    last one's rows. Gives up quietly after DRAIN_SECONDS (a test may have stopped a worker)."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        if _workers_idle(app, nodes, queues):
            return
        time.sleep(0.1)


@contextlib.contextmanager
def _drained_before_flush(app, nodes: list[str], queues: list[str]):
    """While the workers run, every transactional test's teardown first lets them finish what
    was queued since the last teardown (tasks sent by a change the test committed: the 审稿
    index after a draft's save, say), then empties the database. Wraps Django's own
    teardown, so it runs after the test's fixtures (a live server, a browser) have stopped
    sending anything."""
    from celery.signals import after_task_publish
    from django.test import TransactionTestCase

    sent = {"published": 0, "drained": 0}

    def count(**_kwargs):
        sent["published"] += 1

    original = TransactionTestCase._fixture_teardown

    def fixture_teardown(self):
        if sent["published"] != sent["drained"]:
            sent["drained"] = sent["published"]
            _drain_workers(app, nodes, queues)
        return original(self)

    after_task_publish.connect(count, weak=False)
    TransactionTestCase._fixture_teardown = fixture_teardown
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = original
        after_task_publish.disconnect(count)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, media_root, tmp_path_factory):
    """Real `celery worker` processes consuming from Redis, pointed at the test database: one
    for the default queue and the export queue (solo pool) and one for the corpus queue
    (prefork: Celery enforces time limits only there), as in docker-compose.yml.

    Only in Redis mode: in embedded mode tasks run in-process and there is nothing to start.
    Tests that need the worker to see rows they wrote must use transactional tests.
    The returned dict describes the default-queue worker, and the corpus one under "corpus".
    """
    if not redis_mode():
        pytest.skip("REDIS_URL is not set: no broker for a real worker (embedded mode)")
    from django.conf import settings
    from django.db import connection

    from speechdraft.celery import app

    queue = f"pytest-{uuid.uuid4().hex[:8]}"
    corpus_queue = f"{queue}-corpus"
    # Exports: consumed by the default-queue worker too, as worker-export does in production
    # (speechdraft/celery.py adds the export queue to a worker of the default queue).
    export_queue = f"{queue}-exports"
    private = {
        settings.CELERY_CORPUS_QUEUE: corpus_queue,
        settings.CELERY_EXPORT_QUEUE: export_queue,
    }
    # The test process publishes to private queues that only these workers consume.
    previous = {
        "task_default_queue": app.conf.task_default_queue,
        "task_routes": app.conf.task_routes,
    }
    app.conf.update(
        task_default_queue=queue,
        task_routes={
            pattern: {**route, "queue": private[route["queue"]]}
            for pattern, route in settings.CELERY_TASK_ROUTES.items()
            if route["queue"] in private
        },
    )
    _reroute(app)
    env = dict(
        os.environ,
        CELERY_QUEUE=queue,
        CELERY_CORPUS_QUEUE=corpus_queue,
        CELERY_EXPORT_QUEUE=export_queue,
        DJANGO_SETTINGS_MODULE="speechdraft.settings",
        MEDIA_ROOT=str(media_root),
    )
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _database_url_for(connection.settings_dict)
    logs = tmp_path_factory.mktemp("celery")
    log_path, corpus_log = logs / "worker.log", logs / "worker-corpus.log"
    proc = _start_worker(queue, pool="solo", env=env, log_path=log_path)
    corpus_env = dict(
        env,
        CORPUS_TASK_SOFT_TIME_LIMIT=str(CORPUS_SOFT_TIME_LIMIT),
        CORPUS_TASK_TIME_LIMIT=str(CORPUS_TIME_LIMIT),
    )
    corpus = _start_worker(corpus_queue, pool="prefork", env=corpus_env, log_path=corpus_log)
    try:
        deadline = time.monotonic() + 60
        _wait_ready(proc, log_path, deadline)
        _wait_ready(corpus, corpus_log, deadline)
        nodes = [f"{queue}@localhost", f"{corpus_queue}@localhost"]
        with _drained_before_flush(app, nodes, [queue, export_queue, corpus_queue]):
            yield {
                "node": f"{queue}@localhost",
                "queue": queue,
                "pid": proc.pid,
                "log": log_path,
                "exports": {"queue": export_queue},
                "corpus": {
                    "node": f"{corpus_queue}@localhost",
                    "queue": corpus_queue,
                    "pid": corpus.pid,
                    "log": corpus_log,
                    "soft_time_limit": CORPUS_SOFT_TIME_LIMIT,
                },
            }
    finally:
        _stop_worker(proc)
        _stop_worker(corpus)
        app.conf.update(**previous)
        _reroute(app)
