"""Playwright driving Debian's chromium (never a downloaded browser)."""

import os
import shutil
import time

import pytest

from speechdraft.drafts.services import Placement, draft_create, draft_item_insert
from tests.conftest import skip_missing

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# The sync Playwright API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        skip_missing("chromium", f" at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _open(request) -> bool:
    try:
        return not request.frame.page.is_closed()
    except Exception:  # a request of no page (a worker's): nothing waits on it
        return False


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    asking = set()  # requests the pages have sent and not had their answer to
    context.on("request", lambda r: asking.add(r))
    context.on("requestfinished", lambda r: asking.discard(r))
    context.on("requestfailed", lambda r: asking.discard(r))
    page = context.new_page()
    page.set_default_timeout(10_000)
    # htmx only logs an attribute it cannot read (the element then does nothing, or less):
    # any page of any test that logs one fails.
    unreadable = []
    context.on("console", lambda m: "htmx:syntax:error" in m.text and unreadable.append(m.page.url))
    yield page
    # The test is done, but a page may still be asking the server something (a panel that
    # loads by itself, the top bar's 我的待办): let the answers come before the database is
    # emptied under the server's feet.
    deadline = time.monotonic() + 10
    while not page.is_closed() and any(_open(r) for r in asking) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    context.close()
    assert not unreadable, f"htmx could not read an attribute on {sorted(set(unreadable))}"


@pytest.fixture
def speech(alice):
    """The blank frame (opening, three parts, closing) with two points under part 二."""
    draft = draft_create(owner=alice, title="在全市安全生产工作会议上的讲话", region="江城")
    second = draft.items.filter(numbered=True).order_by("position")[1]
    for n, heading in enumerate(["压实安全责任", "排查重大隐患"]):
        draft_item_insert(
            draft,
            user=alice,
            version=draft.version,
            placement=Placement(second.pk, n),
            numbered=True,
            heading=heading,
            body=f"第{n + 1}个要点的正文。",
        )
    return draft
