"""When a save cannot go through (login expired, server error, connection lost), the browser
says so in Chinese and the text being typed stays in the editor."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests.e2e.test_editor import login, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "这是我花了一个小时写的一段话，不能丢。"


def open_editor_and_type(page, live_server):
    login(page, live_server)
    page.get_by_role("link", name="新建讲话稿").first.click()
    page.get_by_label("标题 *").fill("故障演练")
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    page.locator("#document .item-text").nth(1).click()
    expect(page.locator("form.item-edit textarea")).to_be_visible()
    settled(page)
    page.locator("form.item-edit textarea").fill(TYPED)


def save_and_expect_message(page, text):
    page.locator("form.item-edit").get_by_role("button", name="保存").click()
    expect(page.locator("#flash [role=alert]")).to_contain_text(text)
    expect(page.locator("form.item-edit textarea")).to_have_value(TYPED)


def test_an_expired_login_keeps_the_text_and_says_so(page, live_server, alice):
    open_editor_and_type(page, live_server)
    Session.objects.all().delete()  # the session ends while the user is typing
    save_and_expect_message(page, "登录已过期")
    expect(page.locator("h1", has_text="登录 speechdraft")).to_have_count(0)


def test_a_server_error_keeps_the_text_and_says_so(page, live_server, alice):
    open_editor_and_type(page, live_server)
    page.route(
        re.compile(r".*/edit/$"),
        lambda route: route.fulfill(status=500, body="<h1>Server Error</h1>"),
    )
    save_and_expect_message(page, "服务器暂时出错")


def test_a_lost_connection_keeps_the_text_and_says_so(page, live_server, alice):
    open_editor_and_type(page, live_server)
    page.route(re.compile(r".*/edit/$"), lambda route: route.abort("connectionrefused"))
    save_and_expect_message(page, "无法连接服务器")
    page.unroute(re.compile(r".*/edit/$"))
    # Once the server is reachable again, the same click saves the same text.
    page.locator("form.item-edit").get_by_role("button", name="保存").click()
    expect(page.locator("#document")).to_contain_text(TYPED)
