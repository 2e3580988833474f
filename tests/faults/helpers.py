"""What a drafter does in the scenarios (edit, export, poll), and what the database then holds."""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass

from speechdraft.drafts.revisions import chain_states
from tests.faults.client import Browser, Response
from tests.faults.stack import Stack

STALE = "此稿已在其他窗口修改"


def edit(browser: Browser, pk: int, item: int, body: str, version: int | None) -> Response:
    """Save one item's text as the editor does (htmx, with the version the page showed)."""
    return browser.post(
        f"/drafts/{pk}/items/{item}/edit/",
        {"heading": "", "body": body, "version": version, "current_version": version},
        htmx=True,
    )


def revisions(stack: Stack, pk: int) -> list[dict]:
    """The draft's revision chain, oldest first, each with its snapshot's item bodies."""
    rows = stack.pg.sql(
        "SELECT version, parent_version, snapshot FROM drafts_revision "
        "WHERE draft_id = %s ORDER BY version",
        pk,
    )
    # Revisions are deltas of the one before (speechdraft.drafts.revisions): replay the chain.
    states = dict(chain_states((version, bytes(snapshot)) for version, _, snapshot in rows))
    chain = []
    for version, parent, _ in rows:
        bodies = {i["id"]: i["body"] for i in states[version]["items"]}
        chain.append({"version": version, "parent": parent, "bodies": bodies})
    return chain


def item_bodies(stack: Stack, pk: int) -> dict[int, str]:
    return dict(stack.pg.sql("SELECT id, body FROM drafts_draftitem WHERE draft_id = %s", pk))


def draft_version(stack: Stack, pk: int) -> int:
    return stack.pg.sql("SELECT version FROM drafts_draft WHERE id = %s", pk)[0][0]


def export(browser: Browser, pk: int, profile: str = "gongwen") -> tuple[int, Response]:
    """Click 导出Word: the job's id and the status fragment the click got back."""
    response = browser.post(f"/drafts/{pk}/export/", {"profile": profile}, htmx=True)
    assert response.status in (200, 286), response.text[:500]
    return int(re.search(r"/exports/(\d+)/", response.text).group(1)), response


def poll(browser: Browser, job: int, timeout: float) -> Response:
    """Poll the status fragment every second, as the page does, until htmx would stop (286)."""
    deadline = time.monotonic() + timeout
    while True:
        response = browser.get(f"/exports/{job}/status/", htmx=True)
        assert response.status in (200, 286), response.text[:500]
        if response.status == 286 or time.monotonic() > deadline:
            return response
        time.sleep(1)


def job_row(stack: Stack, job: int) -> dict:
    status, attempts, error = stack.pg.sql(
        "SELECT status, attempts, error FROM exports_exportjob WHERE id = %s", job
    )[0]
    return {"status": status, "attempts": attempts, "error": error}


def assert_downloads(browser: Browser, job: int) -> None:
    response = browser.get(f"/exports/{job}/download/")
    assert response.status == 200
    assert response.body[:2] == b"PK"  # a .docx is a zip file


# --- many hands on one draft -------------------------------------------------------------


@dataclass
class Attempt:
    token: str  # the unique text this attempt saves
    item: int
    based_on: int | None  # the version the edit says it was made on
    status: int = 0  # 0: no HTTP answer at all
    version: int | None = None  # the version the answer carries
    message: str = ""


def attempt(browser: Browser, pk: int, item: int, token: str, based_on: int | None) -> Attempt:
    record = Attempt(token, item, based_on)
    try:
        response = edit(browser, pk, item, token, based_on)
    except OSError as exc:  # connection refused or reset, timeout
        record.message = repr(exc)
        return record
    record.status, record.version = response.status, response.version()
    record.message = STALE if STALE in response.text else response.text[:200]
    return record


def keep_editing(browser, pk, items, version, stop, out: list, *, name: str, pause: float = 0):
    """One tab: save, and on 409 take the version the refusal names and save again."""
    n = 0
    while not stop.is_set():
        n += 1
        record = attempt(browser, pk, items[n % len(items)], f"{name}-{n}", version)
        out.append(record)
        if record.version is not None:
            version = record.version
        time.sleep(pause)


def check_chain(stack: Stack, pk: int, attempts: list[Attempt], start_version: int) -> dict:
    """No lost update: versions unique and contiguous; every accepted edit is the revision it
    was answered with, made on the version it was based on; every refused one left no trace.
    Returns the tokens of edits that failed without an answer yet landed (5xx after commit)."""
    chain = revisions(stack, pk)
    versions = [r["version"] for r in chain]
    assert versions == list(range(1, len(chain) + 1)), versions
    assert draft_version(stack, pk) == versions[-1]
    assert all(r["parent"] in (None, r["version"] - 1) for r in chain)
    by_version = {r["version"]: r for r in chain}
    # Where each token appears first: the revision that made it.
    made = {}
    for r in chain[start_version:]:
        for body in r["bodies"].values():
            made.setdefault(body, r["version"])

    accepted = [a for a in attempts if a.status == 200]
    assert len({a.version for a in accepted}) == len(accepted), "two edits got one version"
    for a in accepted:
        assert a.version == a.based_on + 1, a
        assert by_version[a.version]["bodies"][a.item] == a.token, a
        assert made[a.token] == a.version, a
    for a in attempts:
        if a.status == 409:
            assert a.message == STALE, a
            assert a.token not in made, f"refused yet saved: {a}"
    landed_unanswered = {
        a.token for a in attempts if a.status not in (200, 409) and a.token in made
    }
    assert len(chain) - start_version == len(accepted) + len(landed_unanswered)

    final = item_bodies(stack, pk)
    for item in {a.item for a in accepted}:
        last = max(
            (a for a in attempts if a.item == item and a.token in made),
            key=lambda a: made[a.token],
        )
        assert final[item] == last.token, (item, final[item], last)
    return {"accepted": len(accepted), "landed_unanswered": landed_unanswered}


@contextlib.contextmanager
def signed_in_page(browser, site):
    """A chromium page signed in as the demo drafter on the private stack."""
    from tests.faults.conftest import DRAFTER

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{site.base_url}/accounts/login/")
        page.get_by_label("用户名").fill(DRAFTER[0])
        page.get_by_label("密码").fill(DRAFTER[1])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{site.base_url}/")
        yield page
    finally:
        context.close()


def typing_target(page):
    """The body of the draft's first part, where the scenarios type."""
    page.wait_for_function("window.speechdraftEditor")
    first_part = page.locator("#document ol.root > li.level-1").first
    return first_part.locator(':scope > .item-row [data-field="body"]').first


def wait_idle(page, timeout: float = 30_000) -> None:
    page.wait_for_function("speechdraftEditor.idle()", timeout=timeout)
