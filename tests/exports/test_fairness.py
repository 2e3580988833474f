"""Export fairness: one user's burst of clicks never stands in front of another user's export.

Each user has at most EXPORT_MAX_ACTIVE_PER_USER exports queued or running; a click for a
draft that already waits replaces the waiting job (whose task then does nothing); a click
beyond the limit is refused with a message the page shows; jobs lost with a dead worker stop
counting. Exports have a queue of their own.

The tests without a worker are plain (non-transactional) database tests: nothing queued
there ever runs, which is what a worker busy with something else looks like to the user.
"""

import base64
import datetime
import json
import threading
import time

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from speechdraft.celery import app, consume_exports_beside_default_queue
from speechdraft.drafts.services import Details, draft_details_update
from speechdraft.exports import services, tasks
from speechdraft.exports.models import ExportJob
from speechdraft.exports.services import (
    SUPERSEDED,
    TIMED_OUT,
    ExportRefused,
    busy_message,
    export_request,
    job_run,
)
from tests.conftest import postgres_mode, redis_mode, wait_until
from tests.exports.test_jobs import HX, filled_draft

BUSY = "您已有 2 个导出任务在进行，请等它们完成后再导出。"


def edited(draft, user, n: int):
    """The draft after one more saved change: a new version, so no finished file is reused."""
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
    draft.refresh_from_db()
    return draft


def click_export(client, draft, profile: str = "gongwen"):
    """导出Word as the page sends it (htmx)."""
    return client.post(f"/drafts/{draft.pk}/export/", {"profile": profile}, headers=HX)


def active(user):
    return ExportJob.objects.filter(user=user, status__in=["queued", "running"])


def test_the_setting_is_the_limit_the_message_names():
    assert settings.EXPORT_MAX_ACTIVE_PER_USER == 2
    assert busy_message(2) == BUSY


# --- one draft clicked again and again ---------------------------------------------------


@pytest.mark.django_db
def test_repeated_clicks_on_one_draft_leave_one_queued_job(client, alice):
    draft = filled_draft(alice)
    client.force_login(alice)
    first = click_export(client, draft)
    assert first.status_code == 200
    for _ in range(3):  # the same version again: the same job, nothing new queued
        assert click_export(client, draft).status_code == 200
    assert ExportJob.objects.count() == 1

    for n in range(5):  # typed a little, clicked again: the new click replaces the waiting one
        response = click_export(client, edited(draft, alice, n))
        assert response.status_code == 200
        assert "排队中" in response.content.decode()
    queued = ExportJob.objects.filter(draft=draft, status="queued")
    assert queued.count() == 1
    assert queued.get().draft_version == draft.version
    replaced = ExportJob.objects.exclude(pk=queued.get().pk)
    assert replaced.count() == 5
    assert set(replaced.values_list("status", "error")) == {("failed", SUPERSEDED)}

    # Another tab still polling a replaced job is told so, with 重试; its task does nothing.
    old = replaced.earliest("pk")
    html = client.get(f"/exports/{old.pk}/status/", headers=HX).content.decode()
    assert "已被对同一讲话稿的新导出请求取代" in html and "重试" in html
    assert tasks.export_render.apply(args=[old.pk]).get() == "skipped"
    old.refresh_from_db()
    assert (old.status, old.error, old.started_at, bool(old.file)) == (
        "failed",
        SUPERSEDED,
        None,
        False,
    )


@pytest.mark.django_db
def test_another_profile_of_the_same_draft_replaces_the_waiting_one_too(alice):
    """The page shows one export status per draft: the waiting job it no longer shows goes."""
    draft = filled_draft(alice)
    gongwen = export_request(draft=draft, user=alice, profile="gongwen")
    large = export_request(draft=draft, user=alice, profile="large")
    gongwen.refresh_from_db()
    assert (gongwen.status, gongwen.error) == ("failed", SUPERSEDED)
    assert list(active(alice)) == [large]


@pytest.mark.django_db
def test_a_running_job_is_never_replaced(alice):
    draft = filled_draft(alice)
    running = export_request(draft=draft, user=alice, profile="gongwen")
    ExportJob.objects.filter(pk=running.pk).update(status="running", started_at=timezone.now())
    newer = export_request(draft=edited(draft, alice, 1), user=alice, profile="gongwen")
    running.refresh_from_db()
    assert running.status == "running"
    assert set(active(alice)) == {running, newer}
    assert job_run(running.pk) == "done"  # delivered again after a crash: still rendered


# --- the per-user limit ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_third_draft_beyond_the_limit_gets_the_message(client, alice):
    drafts = [filled_draft(alice) for _ in range(3)]
    client.force_login(alice)
    assert click_export(client, drafts[0]).status_code == 200
    assert click_export(client, drafts[1]).status_code == 200
    refused = click_export(client, drafts[2])
    assert refused.status_code == 422  # swapped into #export-status (templates/base.html)
    html = refused.content.decode()
    assert BUSY in html and 'id="export-status"' in html
    assert not ExportJob.objects.filter(draft=drafts[2]).exists()

    # A new click on a draft that already waits replaces its job: allowed at the limit.
    assert click_export(client, edited(drafts[0], alice, 1)).status_code == 200
    assert active(alice).count() == 2

    # One finishes: the third draft goes through.
    assert job_run(ExportJob.objects.filter(draft=drafts[1]).get().pk) == "done"
    assert click_export(client, drafts[2]).status_code == 200
    assert active(alice).count() == 2


@pytest.mark.django_db
def test_the_limit_is_per_user(client, alice, bob):
    for _ in range(2):
        export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    with pytest.raises(ExportRefused, match=BUSY):
        export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    client.force_login(bob)
    assert click_export(client, filled_draft(bob)).status_code == 200


@pytest.mark.django_db
def test_retry_is_a_new_request_within_the_limit(client, alice):
    failed = export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    ExportJob.objects.filter(pk=failed.pk).update(status="failed", error=services.UNAVAILABLE)
    for _ in range(2):
        export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    client.force_login(alice)
    refused = client.post(f"/exports/{failed.pk}/retry/", headers=HX)
    assert refused.status_code == 422 and BUSY in refused.content.decode()
    failed.refresh_from_db()
    assert failed.status == "failed"  # not queued behind the limit's back

    ExportJob.objects.exclude(pk=failed.pk).update(status="done")
    retried = client.post(f"/exports/{failed.pk}/retry/", headers=HX)
    assert retried.status_code == 200
    failed.refresh_from_db()
    assert failed.status == "queued"


@pytest.mark.django_db
def test_lost_jobs_stop_counting_against_the_limit(alice, settings):
    """A worker that died leaves its jobs queued or running: after EXPORT_STALE_SECONDS they
    are lost (the poll offers 重试) and no longer hold the user's share."""
    lost = [export_request(draft=filled_draft(alice), user=alice, profile="gongwen")]
    lost.append(export_request(draft=filled_draft(alice), user=alice, profile="gongwen"))
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    ExportJob.objects.filter(pk=lost[0].pk).update(created_at=long_ago)  # never delivered
    ExportJob.objects.filter(pk=lost[1].pk).update(status="running", started_at=long_ago)

    fresh = export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    assert fresh.status == "queued"
    for job in lost:
        job.refresh_from_db()
        assert (job.status, job.error) == ("failed", TIMED_OUT)
    assert tasks.export_render.apply(args=[lost[0].pk]).get() == "skipped"
    assert list(active(alice)) == [fresh]


@pytest.mark.django_db
def test_one_users_forty_clicks_do_not_queue_ahead_of_another_users_export(client, alice, bob):
    """Nothing here runs (a busy worker): the queue is the jobs in the order they were made,
    and what stands ahead of bob's export is alice's jobs that will render."""
    client.force_login(alice)
    drafts = [filled_draft(alice) for _ in range(3)]
    answers = []
    for n in range(40):
        draft = edited(drafts[n % 3], alice, n)
        answers.append(click_export(client, draft).status_code)
    assert set(answers) == {200, 422}
    other = Client()
    other.force_login(bob)
    assert click_export(other, filled_draft(bob)).status_code == 200
    theirs = ExportJob.objects.get(user=bob)
    ahead = active(alice).filter(pk__lt=theirs.pk)
    assert ahead.count() <= settings.EXPORT_MAX_ACTIVE_PER_USER
    # The rest of alice's clicks were refused (never queued) or replaced (their task a no-op).
    assert ExportJob.objects.filter(user=alice).count() == answers.count(200)


@pytest.mark.skipif(not postgres_mode(), reason="row locks: PostgreSQL (SQLite has one writer)")
@pytest.mark.django_db(transaction=True)
def test_clicks_racing_from_several_tabs_cannot_pass_the_limit_together(alice, monkeypatch):
    """Each request checks the count, then adds its job: the user's row lock makes that one
    step. The pause between the check and the insert only widens the window a race needs."""
    monkeypatch.setattr(services, "job_enqueue", lambda job_id: None)  # the worker is busy
    admit = services._admit

    def slow_admit(*args, **kwargs):
        admit(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "_admit", slow_admit)
    drafts = [filled_draft(alice) for _ in range(6)]
    barrier = threading.Barrier(len(drafts))
    outcomes = []

    def click(draft):
        try:
            barrier.wait(timeout=30)
            export_request(draft=draft, user=alice, profile="gongwen")
            outcomes.append("queued")
        except ExportRefused as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == sorted(["queued"] * 2 + [BUSY] * 4)
    assert active(alice).count() == 2


@pytest.mark.skipif(not postgres_mode(), reason="row locks: PostgreSQL (SQLite has one writer)")
@pytest.mark.django_db(transaction=True)
def test_the_admission_lock_lets_a_change_of_the_users_draft_commit(alice):
    """An export holds the user's admission lock, then waits for the draft's lock; a change of
    the draft (by a co-drafter, say) holds that and, committing, re-checks the draft's owner key
    (its row was updated twice in its transaction): that must not wait for the export, or the
    two deadlock (found by make load)."""
    import psycopg
    from django.db import transaction

    from tests.conftest import _database_url_for

    draft = filled_draft(alice)
    with transaction.atomic():
        services._lock_user(alice.pk)
        with psycopg.connect(_database_url_for(connection.settings_dict)) as change:
            change.execute("SET lock_timeout = '5s'")
            change.execute("SELECT id FROM drafts_draft WHERE id = %s FOR UPDATE", (draft.pk,))
            for column in ("version", "revision_bytes"):  # draft.save(), then _count_bytes
                change.execute(
                    f"UPDATE drafts_draft SET {column} = {column} WHERE id = %s", (draft.pk,)
                )
            change.commit()  # FOR UPDATE on the user's row: LockNotAvailable after 5 s


# --- the queue of its own ----------------------------------------------------------------


def settings_router():
    """The router the configured settings give (the test run's workers use private queues)."""
    probe = Celery("probe", set_as_current=False)
    probe.config_from_object("django.conf:settings", namespace="CELERY")
    return probe


def test_the_export_task_routes_to_its_own_queue():
    probe = settings_router()
    route = probe.amqp.router.route({}, tasks.export_render.name)["queue"].name
    assert route == settings.CELERY_EXPORT_QUEUE == f"{settings.CELERY_TASK_DEFAULT_QUEUE}-exports"
    assert route not in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_CORPUS_QUEUE)
    for name in ("review.run", "library.reindex_terms", "core.ping"):
        assert probe.amqp.router.route({}, name)["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE
    # A worker started without -Q consumes every queue.
    assert settings.CELERY_EXPORT_QUEUE in probe.amqp.queues


@pytest.mark.skipif(redis_mode(), reason="embedded mode: the in-memory broker is inspected")
@pytest.mark.django_db
def test_apply_async_publishes_an_export_on_the_export_queue(alice):
    """With tasks really sent (not run in-process), the message lands on the export queue."""
    job = export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write() as conn:
            channel = conn.default_channel
            for name in (settings.CELERY_EXPORT_QUEUE, settings.CELERY_TASK_DEFAULT_QUEUE):
                channel.queue_declare(name)
                channel.queue_purge(name)
            services.job_enqueue(job.pk)
            message = channel.basic_get(settings.CELERY_EXPORT_QUEUE, no_ack=True)
            assert channel.basic_get(settings.CELERY_TASK_DEFAULT_QUEUE, no_ack=True) is None
    finally:
        app.conf.task_always_eager = previous
    assert message is not None
    assert message.headers["task"] == "exports.render"
    assert json.loads(message.body)[0] == [job.pk]


def test_a_worker_of_the_default_queue_consumes_the_export_queue_too():
    """worker-export runs `-Q $CELERY_QUEUE` (docker-compose.yml, Makefile, the fault and load
    stacks): it serves exports from their queue; a corpus worker does not."""

    class Worker:
        def __init__(self, *queues):
            self.app = settings_router()
            self.app.amqp.queues.select(list(queues))

        def consumes(self):
            consume_exports_beside_default_queue(sender="w@h", instance=self, conf=self.app.conf)
            return set(self.app.amqp.queues.consume_from)

    default, corpus = settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_CORPUS_QUEUE
    assert Worker(default).consumes() == {default, settings.CELERY_EXPORT_QUEUE}
    assert Worker(corpus).consumes() == {corpus}
    assert Worker(settings.CELERY_EXPORT_QUEUE).consumes() == {settings.CELERY_EXPORT_QUEUE}


# --- with the real broker and worker -----------------------------------------------------


def queued_job_ids(queue: str) -> list[int]:
    """The export jobs waiting in Redis, first to be delivered first."""
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    ids = []
    for raw in reversed(client.lrange(queue, 0, -1)):  # LPUSH in, BRPOP out
        message = json.loads(raw)
        assert message["headers"]["task"] == "exports.render"
        ids.append(json.loads(base64.b64decode(message["body"]))[0][0])
    return ids


@pytest.mark.skipif(not redis_mode(), reason="needs REDIS_URL: the real worker")
@pytest.mark.django_db(transaction=True)
def test_the_worker_consumes_exports_from_their_own_queue(alice, celery_worker):
    node, queue = celery_worker["node"], celery_worker["exports"]["queue"]
    replies = app.control.inspect([node], timeout=10).active_queues()
    consumed = {q["name"] for q in replies[node]}
    assert consumed == {celery_worker["queue"], queue}
    job = export_request(draft=filled_draft(alice), user=alice, profile="gongwen")
    assert wait_until(lambda: ExportJob.objects.get(pk=job.pk).finished, timeout=60)
    assert ExportJob.objects.get(pk=job.pk).status == "done"


@pytest.mark.skipif(not redis_mode(), reason="needs REDIS_URL: the real worker")
@pytest.mark.django_db(transaction=True)
def test_one_users_forty_clicks_do_not_stand_in_front_of_another_users_export(
    alice, bob, celery_worker
):
    """The worker stops taking exports while alice clicks 40 times and bob once; then the
    broker's queue is read: what stands ahead of bob's job, and what the worker then renders
    before it. Positions, not seconds: the machine's speed does not matter."""
    node, queue = celery_worker["node"], celery_worker["exports"]["queue"]
    mine, theirs = Client(), Client()
    mine.force_login(alice)
    theirs.force_login(bob)
    drafts = [filled_draft(alice) for _ in range(3)]
    other_draft = filled_draft(bob)
    paused = app.control.cancel_consumer(queue, destination=[node], reply=True, timeout=10)
    assert paused and "ok" in paused[0][node], paused
    try:
        time.sleep(1.5)  # a fetch already waiting on the queue returns empty first
        answers = [click_export(mine, edited(drafts[n % 3], alice, n)) for n in range(40)]
        assert click_export(theirs, other_draft).status_code == 200
        job = ExportJob.objects.get(user=bob)

        waiting = queued_job_ids(queue)
        assert waiting[-1] == job.pk  # bob's is the last message
        ahead = ExportJob.objects.filter(pk__in=waiting[:-1])
        assert set(ahead.values_list("user", flat=True)) == {alice.pk}
        # Ahead of bob: at most alice's share of renders; the rest are replaced jobs, which
        # the worker drops at once. Refused clicks were never queued at all.
        assert ahead.filter(status="queued").count() <= settings.EXPORT_MAX_ACTIVE_PER_USER
        assert set(ahead.exclude(status="queued").values_list("error", flat=True)) <= {SUPERSEDED}
        assert len(waiting) - 1 == sum(a.status_code == 200 for a in answers)
        assert {a.status_code for a in answers} == {200, 422}
        assert BUSY in next(a for a in answers if a.status_code == 422).content.decode()
    finally:
        app.control.add_consumer(queue, destination=[node], reply=True, timeout=10)

    assert wait_until(lambda: ExportJob.objects.get(pk=job.pk).finished, timeout=60)
    job.refresh_from_db()
    assert job.status == "done", job.error
    rendered_first = ExportJob.objects.filter(user=alice, started_at__lt=job.started_at)
    assert rendered_first.count() <= settings.EXPORT_MAX_ACTIVE_PER_USER
    replaced = ExportJob.objects.filter(user=alice, error=SUPERSEDED)
    assert replaced.exists() and not replaced.exclude(started_at=None).exists()
