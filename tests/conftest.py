"""Shared fixtures: named personas, the real Celery worker (Redis mode), the mode we run in."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


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


def _load_rows(dump) -> None:
    """loaddata, in bulk: one INSERT per model rather than per row."""
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    groups: dict = {}
    for row in serializers.deserialize("json", dump.read_text()):
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
        call_command("dumpdata", *_SAMPLE_TABLES, output=str(dump), verbosity=0)


@pytest.fixture
def formulations(db):
    """The starting 提法与用字 list (transactional tests flush what the migration seeded)."""
    from speechdraft.review.services import formulations_seed

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


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, media_root, tmp_path_factory):
    """A real `celery worker` process consuming from Redis, pointed at the test database.

    Only in Redis mode: in embedded mode tasks run in-process and there is nothing to start.
    Tests that need the worker to see rows they wrote must use transactional tests.
    """
    if not redis_mode():
        pytest.skip("REDIS_URL is not set: no broker for a real worker (embedded mode)")
    from django.db import connection

    from speechdraft.celery import app

    queue = f"pytest-{uuid.uuid4().hex[:8]}"
    node = f"{queue}@localhost"
    # The test process publishes to the private queue that only this worker consumes.
    app.conf.task_default_queue = queue
    env = dict(
        os.environ,
        CELERY_QUEUE=queue,
        DJANGO_SETTINGS_MODULE="speechdraft.settings",
        MEDIA_ROOT=str(media_root),
    )
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _database_url_for(connection.settings_dict)
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "speechdraft",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-n",
            node,
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
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited early:\n{log_path.read_text()}")
        if "ready." in log_path.read_text():
            break
        time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"celery worker not ready in 60 s:\n{log_path.read_text()}")
    yield {"node": node, "queue": queue, "pid": proc.pid, "log": log_path}
    # A prefork/solo worker can hang on shutdown: bounded wait, then kill.
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    log.close()
    app.conf.task_default_queue = os.environ.get("CELERY_QUEUE", "speechdraft")
