"""When a save cannot go through (login expired, server error, connection lost), the page says
so in Chinese, the text stays where it was typed, and it is saved once the server can take it."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from speechdraft.drafts.models import DraftItem
from tests.e2e.pages import idle, login, new_blank_draft, own, part, type_at_end

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "这是我花了一个小时写的一段话，不能丢。"
SAVE = re.compile(r".*/items/\d+/save/$")


def open_draft_and_type(page, live_server):
    login(page, live_server)
    new_blank_draft(page, "故障演练")
    body = own(part(page, 0), "body")
    type_at_end(page, body, TYPED)
    return body


def saved_anywhere():
    return DraftItem.objects.filter(body__contains=TYPED).exists()


def test_an_expired_login_keeps_the_text_and_says_so(page, live_server, alice):
    body = open_draft_and_type(page, live_server)
    Session.objects.all().delete()  # the session ends while the user is typing
    expect(page.locator("#flash [role=alert]")).to_contain_text("登录已过期")
    expect(page.locator("#save-state")).to_have_text("未保存")
    expect(body).to_contain_text(TYPED)
    expect(page.locator("h1", has_text="登录 speechdraft")).to_have_count(0)
    assert not saved_anywhere()
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('speechdraft:'))")
    assert stored, "the text is kept in the browser until it can be saved"


def test_a_server_error_keeps_the_text_and_retries(page, live_server, alice):
    page.route(SAVE, lambda route: route.fulfill(status=500, body="<h1>Server Error</h1>"))
    body = open_draft_and_type(page, live_server)
    expect(page.locator("#save-state")).to_have_text("保存失败，正在重试")
    expect(body).to_contain_text(TYPED)
    page.unroute(SAVE)
    idle(page)  # the next retry gets through
    assert saved_anywhere()


def test_a_lost_connection_keeps_the_text_and_saves_it_when_back(page, live_server, alice):
    page.route(SAVE, lambda route: route.abort("connectionrefused"))
    body = open_draft_and_type(page, live_server)
    expect(page.locator("#save-state")).to_have_text("保存失败，正在重试")
    page.keyboard.type("断网时又写了一句。")
    expect(body).to_contain_text(TYPED + "断网时又写了一句。")
    page.unroute(SAVE)
    idle(page)
    assert DraftItem.objects.filter(body__contains=TYPED + "断网时又写了一句。").exists()


@pytest.mark.parametrize(
    "taken, says",
    [
        ("", "已不再与您共享"),  # the owner stops sharing
        ("review", "您是这篇讲话稿的审阅人"),  # the owner makes the co-drafter a reviewer
    ],
)
def test_a_share_taken_away_while_typing_says_so_and_keeps_the_text(
    page, live_server, alice, bob, speech, taken, says
):
    from speechdraft.drafts import flow

    flow.share_set(speech, user_id=bob.pk, role="edit")
    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/drafts/{speech.pk}/")
    body = own(part(page, 1), "body")
    type_at_end(page, body, "协作者写的第一句。")
    idle(page)
    flow.share_set(speech, user_id=bob.pk, role=taken)
    page.keyboard.type(TYPED)
    alert = page.locator("#flash [role=alert]")
    expect(alert).to_contain_text(says)
    expect(alert).to_contain_text("仍在页面上")
    expect(alert).not_to_contain_text("这一段已被删除")  # not the message of a deleted paragraph
    expect(page.locator("#save-state")).to_have_text("未保存")
    expect(body).to_contain_text("协作者写的第一句。" + TYPED)
    assert not saved_anywhere()
