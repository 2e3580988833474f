"""The private stack (one per session) and a logged-in drafter with a fresh draft per test.

These tests are deselected from `make test` (marker `faults`); `make faults` runs them.
FAULTS_KEEP=1 keeps the stack's folder (/tmp/speechdraft-faults-*: server, web and worker
logs) after the run.
"""

import re
import signal

import pytest

from tests.e2e.conftest import browser  # noqa: F401  (chromium, skipped where missing)
from tests.faults.client import Browser
from tests.faults.stack import Stack

DRAFTER = ("drafter", "drafter-demo-2024")  # created by manage.py create_demo_users


def _interrupt(signum, frame):
    # `timeout` (make faults) sends SIGTERM, to pytest and again to its process group: turn the
    # first into an interrupt so that the stack's teardown stops the private servers, and let
    # no second one cut that teardown short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def stack():
    previous = signal.signal(signal.SIGTERM, _interrupt)
    stack = Stack()
    try:
        stack.setup()
        yield stack
    finally:
        stack.close()
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def site(stack):
    """The stack with everything running, whatever the previous scenario left stopped."""
    stack.restore()
    return stack


@pytest.fixture
def drafter(site) -> Browser:
    drafter = Browser(site.base_url)
    drafter.login(*DRAFTER)
    return drafter


@pytest.fixture
def draft(drafter) -> dict:
    """A new draft with its slots filled (so it can be exported): pk, item ids, version."""
    response = drafter.post(
        "/drafts/new/",
        {
            "title": "在全市经济工作会议上的讲话",
            "meeting_name": "全市经济工作会议",
            "speaker": "市长 张三",
            "date": "2024-03-05",
            "region": "江城",
        },
    )
    assert response.status == 302, response.text[:500]
    pk = int(re.search(r"/drafts/(\d+)/", response.headers["Location"]).group(1))
    editor = drafter.get(f"/drafts/{pk}/")
    items = [int(i) for i in re.findall(r'id="item-(\d+)"', editor.text)]
    return {"pk": pk, "items": items, "version": editor.version()}
