"""The web server killed (kill -9, every gunicorn process) while a drafter types, then started
again: nothing typed before, during or after the outage is lost."""

import signal

import pytest

from tests.faults.helpers import item_bodies, signed_in_page, typing_target, wait_idle
from tests.faults.stack import _stop

pytestmark = pytest.mark.faults


def test_typing_through_a_killed_web_server_loses_nothing(site, draft, browser):
    from playwright.sync_api import expect

    before, during, after = "服务器停止前写的，", "服务器停止时接着写的，", "服务器回来后又写的。"
    with signed_in_page(browser, site) as page:
        page.goto(f"{site.base_url}/drafts/{draft['pk']}/")
        body = typing_target(page)
        body.click()
        page.keyboard.press("End")
        page.keyboard.type(before)
        _stop(site.web, signal.SIGKILL)  # mid-typing: the save of `before` may or may not land
        page.keyboard.type(during)
        expect(page.locator("#save-state")).to_have_text("保存失败，正在重试", timeout=20_000)
        expect(body).to_contain_text(before + during)
        site.start_web()
        page.keyboard.type(after)
        wait_idle(page, timeout=60_000)
        expect(page.locator("#save-state")).to_contain_text("已保存")
    assert any(b.endswith(before + during + after) for b in item_bodies(site, draft["pk"]).values())
