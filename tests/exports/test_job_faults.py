"""Export jobs never stay stuck: a broker that is down, a render that keeps killing its worker
and a retry long after the first try each end with a status the page can act on.
(`make faults` plays these against a real stack: tests/faults/test_redis.py, test_worker.py.)"""

import datetime

import pytest
from django.utils import timezone

from speechdraft.exports import tasks
from speechdraft.exports.models import ExportJob
from speechdraft.exports.services import (
    INTERRUPTED,
    MAX_ATTEMPTS,
    UNAVAILABLE,
    export_request,
    job_enqueue,
    job_retry,
    job_run,
    job_sweep,
)
from tests.exports.test_jobs import HX, filled_draft

pytestmark = pytest.mark.django_db


def test_a_broker_that_cannot_be_reached_fails_the_job_with_retry(client, alice, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_render, "delay", broker_down)
    draft = filled_draft(alice)
    job = ExportJob.objects.create(
        draft=draft, draft_version=draft.version, title=draft.title, user=alice
    )
    job_enqueue(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", UNAVAILABLE)
    client.force_login(alice)
    html = client.get(f"/exports/{job.pk}/status/", headers=HX).content.decode()
    assert "导出服务暂不可用" in html and "重试" in html


def test_a_render_that_keeps_killing_its_worker_is_stopped_with_retry(alice):
    """Each crash delivers the task again (acks_late + reject_on_worker_lost) and bumps the
    job's attempts; without a cap it would loop for ever with the job "running"."""
    draft = filled_draft(alice)
    job = export_request(draft=draft, user=alice, profile="gongwen")
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=MAX_ATTEMPTS, started_at=timezone.now()
    )
    assert job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", INTERRUPTED)
    assert "重试" in INTERRUPTED

    job = job_retry(job)
    assert job.attempts == 0  # a retry gets the full number of runs again
    assert job_run(job.pk) == "done"


def test_the_task_retries_transient_errors_within_the_same_budget():
    assert tasks.export_render.max_retries == MAX_ATTEMPTS - 1
    assert tasks.export_render.ignore_result  # no result-backend round trip to fail


def test_a_retry_long_after_the_first_try_is_not_judged_stale_at_once(alice, settings):
    """The wait of a retried job counts from the retry, not from when the job was created:
    otherwise the first status poll after 重试 said 导出超时 again."""
    draft = filled_draft(alice)
    job = export_request(draft=draft, user=alice, profile="gongwen")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(
        status="failed", error=UNAVAILABLE, created_at=an_hour_ago, finished_at=an_hour_ago
    )
    job.refresh_from_db()
    job = job_retry(job)
    assert job.status == "queued"
    assert job_sweep(job).status == "queued"

    ExportJob.objects.filter(pk=job.pk).update(
        requeued_at=timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    )
    job.refresh_from_db()
    assert job_sweep(job).status == "failed"  # and one lost after its retry still ends
