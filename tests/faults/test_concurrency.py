"""Many tabs editing one draft at once, for real: threads here, three gunicorn processes,
PostgreSQL row locks. No lost update: what was accepted is in the revision chain, what was
refused was refused with 此稿已在其他窗口修改, and versions are unique and contiguous."""

import threading
import time

import pytest

from tests.faults.helpers import STALE, attempt, check_chain, keep_editing, revisions

pytestmark = pytest.mark.faults

TABS = 12


def test_edits_made_on_the_same_version_at_once_let_exactly_one_through(drafter, site, draft):
    pk, items, version = draft["pk"], draft["items"], draft["version"]
    browsers = [drafter.tab() for _ in range(TABS)]
    ready = threading.Barrier(TABS)
    results = [None] * TABS

    def fire(i):
        ready.wait()
        results[i] = attempt(browsers[i], pk, items[i % len(items)], f"same-{i}", version)

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(TABS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    statuses = sorted(r.status for r in results)
    assert statuses == [200] + [409] * (TABS - 1), statuses
    assert all(r.message == STALE for r in results if r.status == 409)
    summary = check_chain(site, pk, results, version)
    assert summary == {"accepted": 1, "landed_unanswered": set()}


def test_tabs_that_keep_editing_with_fresh_versions_lose_nothing(drafter, site, draft):
    pk, items, version = draft["pk"], draft["items"], draft["version"]
    browsers = [drafter.tab() for _ in range(TABS)]
    stop = threading.Event()
    results: list = []
    threads = [
        threading.Thread(
            target=keep_editing,
            args=(browsers[i], pk, items, version, stop, results),
            kwargs={"name": f"tab{i}"},
        )
        for i in range(TABS)
    ]
    for t in threads:
        t.start()
    # Edit for at least 5 s and until enough edits landed and collided to mean something
    # (a slow machine takes longer), at most 30 s.
    deadline = time.monotonic() + 30
    time.sleep(5)
    while time.monotonic() < deadline and (
        sum(r.status == 200 for r in results) < 20 or sum(r.status == 409 for r in results) < 20
    ):
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=60)

    statuses = {r.status for r in results}
    assert statuses <= {200, 409}, statuses
    summary = check_chain(site, pk, results, version)
    assert summary["landed_unanswered"] == set()
    assert summary["accepted"] >= 20, summary  # enough accepted edits to mean something
    assert sum(r.status == 409 for r in results) >= 20  # and enough real collisions
    assert len(revisions(site, pk)) == version + summary["accepted"]
