"""Ingestion runs on its own queue within a time limit, so a slow file never holds an export.

Routing is read from the settings; the time limit is tested in both modes: in-process
(embedded, the deadline in the web process) and with the real workers, one per queue, where
an export requested beside an ingestion that runs into its limit finishes in its usual time.
"""

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from celery import Celery
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from speechdraft.corpus.models import Paragraph, SourceDocument
from speechdraft.drafts.services import Details, draft_details_update
from speechdraft.exports.models import ExportJob
from tests.conftest import ROOT, redis_mode, wait_until
from tests.corpus.large import CORPUS, long_speech
from tests.exports.test_jobs import filled_draft

UPLOAD_URL = "/admin/corpus/sourcedocument/upload/"
HX = {"HX-Request": "true"}
SAMPLE = sorted(CORPUS.glob("*.txt"))[4]


def settings_router():
    """The router the configured settings give (the test run's workers use private queues)."""
    app = Celery("probe", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    return app


def queue_of(app, task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_ingestion_goes_to_the_corpus_queue_exports_to_theirs_and_the_rest_to_the_default():
    app = settings_router()
    assert queue_of(app, "corpus.ingest_document") == settings.CELERY_CORPUS_QUEUE == "corpus"
    assert queue_of(app, "exports.render") == settings.CELERY_EXPORT_QUEUE
    for name in ("review.run", "review.items_index", "library.reindex_terms", "core.ping"):
        assert queue_of(app, name) == settings.CELERY_TASK_DEFAULT_QUEUE, name
    # A worker started without -Q consumes all three.
    assert set(app.amqp.queues) == {
        settings.CELERY_TASK_DEFAULT_QUEUE,
        "corpus",
        settings.CELERY_EXPORT_QUEUE,
    }


def test_queue_names_and_limits_come_from_the_environment():
    probe = (
        "import django, json; from django.conf import settings; django.setup();"
        "from speechdraft.celery import app; from speechdraft.corpus.tasks import ingest_document;"
        "route = lambda name: app.amqp.router.route({}, name)['queue'].name;"
        "print(json.dumps([route('corpus.ingest_document'), route('exports.render'),"
        " ingest_document.soft_time_limit, ingest_document.time_limit]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="speechdraft.settings",
        CELERY_QUEUE="site-a",
        CELERY_CORPUS_QUEUE="site-a-corpus",
        CORPUS_TASK_SOFT_TIME_LIMIT="45",
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["site-a-corpus", "site-a-exports", 45, 75]


def upload(client, name: str, data: bytes):
    response = client.post(UPLOAD_URL, {"files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    return SourceDocument.objects.get(file_name=name)


def state_of(document) -> str:
    document.refresh_from_db()
    return document.state


def assert_timed_out(document, seconds: int) -> None:
    document.refresh_from_db()
    assert document.state == "failed", (document.state, document.error)
    assert document.error.startswith("处理超时："), document.error
    assert f"超过 {seconds} 秒" in document.error and document.file_name in document.error
    # Nothing half-stored: the store step is one transaction.
    assert not document.skeletons.exists()
    assert not Paragraph.objects.filter(skeleton__document=document).exists()
    assert document.clean_text == ""


@pytest.mark.skipif(redis_mode(), reason="embedded mode: the task runs in this process")
@pytest.mark.django_db(transaction=True)
def test_embedded_an_upload_past_the_limit_fails_with_the_reason_and_the_next_one_works(
    client, editor, settings
):
    """In-process, the upload request itself is what waits: it must come back at the limit.
    The request runs in a thread of its own, as in runserver (no signals there)."""
    settings.CORPUS_TASK_SOFT_TIME_LIMIT = 1
    client.force_login(editor)
    data = long_speech(400_000).encode()  # about 4 s to ingest here
    outcome = {}

    def request():
        start = time.monotonic()
        outcome["document"] = upload(client, "long.txt", data)
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=request)
    thread.start()
    thread.join(timeout=60)
    assert outcome["seconds"] < 1 + 3  # the limit, the upload and a loaded machine
    assert_timed_out(outcome["document"], 1)

    settings.CORPUS_TASK_SOFT_TIME_LIMIT = 120
    normal = upload(client, SAMPLE.name, SAMPLE.read_bytes())
    assert normal.state == "done", normal.error
    assert normal.skeletons.exists()


def export_seconds(draft, user, client, n: int) -> float:
    """From the export click to the finished job, for a new version (else the file is reused)."""
    draft.refresh_from_db()
    draft_details_update(
        draft,
        user=user,
        version=draft.version,
        details=Details(
            title=draft.title,
            meeting_name=draft.meeting_name,
            speaker=draft.speaker,
            date=draft.date,
            variables={"地区": f"江城{n}"},
        ),
    )
    start = time.monotonic()
    response = client.post(f"/drafts/{draft.pk}/export/", {"profile": "gongwen"}, headers=HX)
    assert response.status_code in (200, 286)
    job = ExportJob.objects.latest("pk")

    def finished():
        job.refresh_from_db()
        return job.finished

    assert wait_until(finished, timeout=60, interval=0.05)
    seconds = time.monotonic() - start
    assert job.status == "done", job.error
    return seconds


# Ingesting it takes several times the test workers' soft limit (about 4 s per 400,000
# characters here, with PostgreSQL).
LONG_CHARS = 1_500_000


@pytest.mark.slow
@pytest.mark.skipif(not redis_mode(), reason="needs REDIS_URL: the real workers")
@pytest.mark.django_db(transaction=True)
def test_an_ingestion_past_its_limit_fails_and_never_holds_an_export(alice, editor, celery_worker):
    limit = celery_worker["corpus"]["soft_time_limit"]
    drafter, curator = Client(), Client()
    drafter.force_login(alice)
    curator.force_login(editor)
    draft = filled_draft(alice)

    export_seconds(draft, alice, drafter, 0)  # the worker's first render loads its modules
    usual = max(export_seconds(draft, alice, drafter, n) for n in (1, 2))

    started = time.monotonic()
    document = upload(curator, "long.txt", long_speech(LONG_CHARS).encode())
    assert wait_until(lambda: state_of(document) == "processing", timeout=30, interval=0.05)
    beside = export_seconds(draft, alice, drafter, 3)
    assert state_of(document) == "processing"  # the export did not wait for the ingestion
    assert wait_until(lambda: state_of(document) != "processing", timeout=limit + 30)
    stopped = time.monotonic() - started
    print(f"\nexport usual {usual:.2f} s, beside the ingestion {beside:.2f} s; ingestion stopped")
    print(f"after {stopped:.1f} s (soft limit {limit} s)")
    # Generous for a loaded 2-core machine, well under the limit an export behind it would wait.
    assert beside <= usual + 3
    assert_timed_out(document, limit)

    normal = upload(curator, SAMPLE.name, SAMPLE.read_bytes())
    assert wait_until(lambda: state_of(normal) in ("done", "failed"), timeout=60)
    assert normal.state == "done", normal.error
    assert normal.skeletons.exists()

    # What the broker delivered, and to whom: each task to the worker of its own queue.
    export_log = celery_worker["log"].read_text()
    corpus_log = celery_worker["corpus"]["log"].read_text()
    ingest, render = "Task corpus.ingest_batch[", "Task exports.render["
    assert ingest in corpus_log and ingest not in export_log
    assert render in export_log and render not in corpus_log
    # Each document of a batch has its own limit, enforced in the corpus worker.
    assert f"ingest of document {document.pk} stopped at its time limit" in corpus_log


@pytest.mark.django_db
def test_a_worker_process_killed_at_the_hard_limit_leaves_the_document_failed_not_processing():
    """The worker's main process runs on_failure then: the pool process is gone."""
    from celery.exceptions import TimeLimitExceeded

    from speechdraft.corpus.tasks import ingest_document

    stuck = SourceDocument.objects.create(file_name="stuck.txt", state="processing")
    stored = SourceDocument.objects.create(file_name="stored.txt", state="done")
    for document in (stuck, stored):
        ingest_document.on_failure(TimeLimitExceeded(150), "task-id", [document.pk], {}, None)
    assert_timed_out(stuck, settings.CORPUS_TASK_SOFT_TIME_LIMIT)
    assert state_of(stored) == "done"
