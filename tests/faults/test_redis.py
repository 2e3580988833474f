"""Redis down or hung: editing and saving go on; 导出Word says 导出服务暂不可用 at once, and the
job can be retried (or is offered 重试) once Redis is back."""

import signal
import time

import pytest

from tests.faults.client import Browser
from tests.faults.conftest import DRAFTER
from tests.faults.helpers import (
    assert_downloads,
    draft_version,
    edit,
    export,
    item_bodies,
    job_row,
    poll,
)

pytestmark = pytest.mark.faults


def test_editing_goes_on_and_export_says_unavailable_while_redis_is_down(site, drafter, draft):
    pk, item = draft["pk"], draft["items"][1]
    site.redis.stop()

    # Logging in counts failures in the cache; the editor and the library panel read it.
    latecomer = Browser(site.base_url)
    latecomer.login(*DRAFTER)
    editor = latecomer.get(f"/drafts/{pk}/")
    assert editor.status == 200 and editor.seconds < 3
    saved = edit(drafter, pk, item, "Redis 停了也能保存的一段话。", draft["version"])
    assert saved.status == 200 and saved.seconds < 3, saved.text[:500]
    assert saved.version() == draft["version"] + 1
    assert item_bodies(site, pk)[item] == "Redis 停了也能保存的一段话。"
    library = drafter.get(f"/drafts/{pk}/library/?q=发展", htmx=True)
    assert library.status == 200 and library.seconds < 3

    job, clicked = export(drafter, pk)
    assert clicked.seconds < 3, "queueing must fail fast, not hold the request"
    assert "导出服务暂不可用" in clicked.text and "重试" in clicked.text
    assert clicked.status == 286  # final state: the page stops polling
    assert job_row(site, job)["status"] == "failed"

    site.redis.start()
    retried = drafter.post(f"/exports/{job}/retry/", htmx=True)
    assert retried.status in (200, 286) and "导出服务暂不可用" not in retried.text
    done = poll(drafter, job, timeout=30)
    assert "下载" in done.text, done.text
    assert_downloads(drafter, job)


def test_a_hung_redis_costs_seconds_not_the_request(site, drafter, draft):
    """A Redis that accepts connections but never answers (frozen, overloaded, half-open)."""
    pk, item = draft["pk"], draft["items"][1]
    site.redis.proc.send_signal(signal.SIGSTOP)
    try:
        saved = edit(drafter, pk, item, "Redis 卡住时保存的一段话。", draft["version"])
        assert saved.status == 200 and saved.seconds < 5, (saved.status, saved.seconds)
        library = drafter.get(f"/drafts/{pk}/library/?q=发展", htmx=True)
        assert library.status == 200 and library.seconds < 5, (library.status, library.seconds)
        job, clicked = export(drafter, pk)
        assert clicked.seconds < 6, clicked.seconds
        assert "导出服务暂不可用" in clicked.text and "重试" in clicked.text
    finally:
        site.redis.proc.send_signal(signal.SIGCONT)
    assert draft_version(site, pk) == draft["version"] + 1
    drafter.post(f"/exports/{job}/retry/", htmx=True)
    assert "下载" in poll(drafter, job, timeout=30).text


def test_a_job_lost_with_redis_is_offered_retry_once_redis_is_back(site, drafter, draft):
    """Queued while no worker runs, then Redis restarts empty: the message is gone for good."""
    site.stop_worker()
    job, _ = export(drafter, draft["pk"])
    assert job_row(site, job)["status"] == "queued"
    site.redis.stop()
    site.redis.start()
    site.start_worker()
    stale = site.env["EXPORT_STALE_SECONDS"]
    started = time.monotonic()
    offered = poll(drafter, job, timeout=int(stale) + 15)
    assert "导出超时" in offered.text and "重试" in offered.text, offered.text
    assert time.monotonic() - started < int(stale) + 15
    drafter.post(f"/exports/{job}/retry/", htmx=True)
    done = poll(drafter, job, timeout=30)
    assert "下载" in done.text, done.text
    assert_downloads(drafter, job)
