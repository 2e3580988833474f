"""A Celery worker killed mid-render: the job is run again, or marked failed with 重试 — never
left "running" for ever."""

import os
import signal

import pytest

from tests.faults.helpers import assert_downloads, export, job_row, poll
from tests.faults.stack import wait_for

pytestmark = pytest.mark.faults


def test_a_render_whose_pool_process_is_killed_is_run_again(site, drafter, draft):
    """The pool process dies (OOM killer, segfault): the worker puts the task back and a new
    process renders it, without the user doing anything."""
    site.stop_worker(signal.SIGKILL)
    site.start_worker(render_delay="3")
    job, _ = export(drafter, draft["pk"])
    victim = wait_for(site.render_started, 20, "render started")["pid"]
    os.kill(victim, signal.SIGKILL)
    done = poll(drafter, job, timeout=30)
    assert "下载" in done.text, done.text
    assert job_row(site, job)["attempts"] == 2
    assert_downloads(drafter, job)


def test_a_job_whose_worker_died_entirely_is_offered_retry(site, drafter, draft):
    """The whole worker dies (machine restarted): its task stays unacknowledged in Redis, so
    after EXPORT_STALE_SECONDS the status poll says so and offers 重试, which works."""
    site.stop_worker(signal.SIGKILL)
    site.start_worker(render_delay="30")
    job, _ = export(drafter, draft["pk"])
    wait_for(site.render_started, 20, "render started")
    site.stop_worker(signal.SIGKILL)
    site.start_worker()
    stale = int(site.env["EXPORT_STALE_SECONDS"])
    offered = poll(drafter, job, timeout=stale + 15)
    assert "导出超时" in offered.text and "重试" in offered.text, offered.text
    retried = drafter.post(f"/exports/{job}/retry/", htmx=True)
    assert "导出超时" not in retried.text  # queued afresh: not judged stale by its first try
    done = poll(drafter, job, timeout=30)
    assert "下载" in done.text, done.text
    assert_downloads(drafter, job)


def test_a_render_that_kills_its_worker_every_time_ends_failed_with_retry(site, drafter, draft):
    """Delivered again after each crash, it would loop for ever with the job "running"."""
    site.stop_worker(signal.SIGKILL)
    site.start_worker(render_crash="1")
    job, _ = export(drafter, draft["pk"])
    failed = poll(drafter, job, timeout=90)
    assert "导出多次中断" in failed.text and "重试" in failed.text, failed.text
    row = job_row(site, job)
    assert row["status"] == "failed" and row["attempts"] == 4

    site.stop_worker(signal.SIGKILL)
    site.start_worker()
    drafter.post(f"/exports/{job}/retry/", htmx=True)
    done = poll(drafter, job, timeout=30)
    assert "下载" in done.text, done.text
