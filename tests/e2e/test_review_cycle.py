"""The office's cycle in a real browser (issue 19): the drafter shares a draft with a reviewer
and sends it; the reviewer comments on a sentence and returns it; the drafter fixes it and
sends it again; the reviewer approves; the signer marks it 定稿; nobody can change it then; and
the Word file carries the comment when asked."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from speechdraft.drafts import flow, services
from speechdraft.drafts.models import Draft, Flow
from speechdraft.units.models import Membership
from tests.conftest import PASSWORD
from tests.drafts.test_flow import named_versions
from tests.e2e.pages import idle, login, own, part, settled, type_at_end
from tests.e2e.test_comments import select_words
from tests.exports.test_comments_export import word_comments

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_draft(page, live_server, username, draft, *, from_todo=False):
    page.context.clear_cookies()
    login(page, live_server, username)
    if from_todo:  # 我的待办 on the home page leads to it
        page.locator(".todo-list").get_by_role("link", name=draft.title).click()
    else:
        page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    settled(page)


def flow_step(page, summary, button, note=""):
    """Open a step's form in the flow bar (送审, 退回修改, 审核通过), fill it and send it."""
    bar = page.locator("#flow-bar")
    bar.locator("summary", has_text=summary).click()
    if note:
        bar.locator("details[open] textarea").fill(note)
    bar.get_by_role("button", name=button).click()
    page.wait_for_load_state("networkidle")
    settled(page)


@pytest.mark.parametrize("size", [(1400, 1000), (1024, 768)])
def test_share_comment_return_resubmit_approve_and_final(
    page, live_server, alice, bob, django_user_model, speech, size
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    alice.last_name, alice.first_name = "李", "文"
    alice.save()
    bob.last_name, bob.first_name = "张", "华"
    bob.save()
    signer = django_user_model.objects.create_user(
        "carol", password=PASSWORD, last_name="陈", first_name="静"
    )
    Membership.objects.filter(user=signer).update(is_signer=True)
    services.draft_details_update(
        speech,
        user=alice,
        version=speech.version,
        details=services.Details(
            title=speech.title, meeting_name="全市安全生产工作会议", variables=speech.variables
        ),
    )

    # The drafter shares the draft with 张华 as 审阅 and sends it to him.
    open_draft(page, live_server, "alice", speech)
    page.locator("#flow-bar").get_by_role("link", name="共享").click()
    page.get_by_label("张华的权限").select_option("review")
    page.locator("tr[data-user=bob]").get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("已共享给张华（审阅）")
    page.get_by_role("link", name="返回编辑").click()
    settled(page)
    page.locator("#flow-bar summary", has_text="送审").click()
    page.get_by_label("审核人").select_option(label="张华")
    page.locator("#flow-bar").get_by_role("button", name="送审当前版本").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#flow-bar")).to_contain_text("待张华审核")
    expect(page.get_by_role("button", name="添加部分")).to_have_count(0)  # with the reviewer now

    # The reviewer finds it in 我的待办, comments on a sentence and returns it.
    open_draft(page, live_server, "bob", speech, from_todo=True)
    expect(page.locator(".readonly-note")).to_be_visible()
    body = own(part(page, 1).locator("li.level-2").nth(1), "body")
    select_words(page, body, "要点的正文")
    page.get_by_role("button", name="批注", exact=True).click()
    page.locator("#comment-form").get_by_label("批注内容").fill("这一句要写具体措施。")
    page.locator("#comment-form").get_by_role("button", name="添加批注").click()
    expect(page.locator("#comments .comment")).to_contain_text("这一句要写具体措施。")
    flow_step(page, "退回修改", "退回起草人修改", note="请按批注修改第二部分")
    expect(page.locator("#flow-bar")).to_contain_text("已退回，待李文修改")

    # The drafter sees why, fixes the sentence and sends it again.
    open_draft(page, live_server, "alice", speech, from_todo=True)
    expect(page.locator("#flow-bar")).to_contain_text("退回修改")
    page.locator("#flow-bar summary", has_text="流转记录").click()
    expect(page.locator("#flow-bar")).to_contain_text("请按批注修改第二部分")
    expect(page.locator("#comments")).to_contain_text("这一句要写具体措施。")
    body = own(part(page, 1).locator("li.level-2").nth(1), "body")
    type_at_end(page, body, "要建立台账、逐项销号。")
    idle(page)
    flow_step(page, "送审", "送审当前版本")
    expect(page.locator("#flow-bar")).to_contain_text("待张华审核")

    # The reviewer approves.
    open_draft(page, live_server, "bob", speech, from_todo=True)
    expect(own(part(page, 1).locator("li.level-2").nth(1), "body")).to_contain_text("逐项销号")
    flow_step(page, "审核通过", "审核通过，交签发人定稿")
    expect(page.locator("#flow-bar")).to_contain_text("待陈静定稿")

    # The signer marks it 定稿.
    open_draft(page, live_server, "carol", speech, from_todo=True)
    page.locator("#flow-bar").get_by_role("button", name="确认定稿").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#flow-bar")).to_contain_text("已定稿")
    page.screenshot(path=f"/tmp/review-cycle-final-{size[0]}.png")

    # Nobody can change it now: no tools, no editable text, and the server refuses.
    speech.refresh_from_db()
    assert speech.flow == Flow.FINAL and speech.stage == Draft.Stage.FINAL
    version = speech.version
    for username in ("alice", "bob", "carol"):
        open_draft(page, live_server, username, speech)
        expect(page.locator("#flow-bar")).to_contain_text("已定稿")
        expect(page.get_by_role("button", name="添加部分")).to_have_count(0)
        text = own(part(page, 1).locator("li.level-2").nth(1), "body")
        assert text.get_attribute("contenteditable") is None
        item = speech.items.get(body__contains="逐项销号")
        answer = page.request.post(
            f"{live_server.url}/drafts/{speech.pk}/items/{item.pk}/save/",
            form={"version": str(version), "body": "定稿后改的字。"},
            headers={
                "HX-Request": "true",
                "X-CSRFToken": next(
                    c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"
                ),
            },
        )
        assert answer.status in (403, 422), (username, answer.status)
    speech.refresh_from_db()
    assert speech.version == version
    assert named_versions(speech) == ["送审稿", "退回修改稿", "送审稿（二）", "审核通过稿", "定稿"]

    # The drafter exports the Word file with the comment.
    open_draft(page, live_server, "alice", speech)
    page.locator(".export-comments input").check()
    page.get_by_role("button", name="导出Word").click()
    expect(page.locator("#export-status")).to_contain_text("附带批注", timeout=30_000)
    with page.expect_download() as info:
        page.locator("#export-status").get_by_role("link", name="下载").click()
    comments = word_comments(Path(info.value.path()).read_bytes())
    assert [(c["author"], c["text"], c["words"]) for c in comments.values()] == [
        ("张华", "这一句要写具体措施。", "要点的正文")
    ]

    # A new version can be started from it: 复制为新稿 opens a draft one may change.
    page.locator("#flow-bar").get_by_role("button", name="复制为新稿").click()
    page.wait_for_url(lambda url: f"/drafts/{speech.pk}/" not in url)
    settled(page)
    expect(page.locator("#flow-bar")).to_contain_text("起草人：李文")
    expect(page.get_by_role("button", name="添加部分")).to_be_visible()


def test_a_draft_sent_meanwhile_shows_in_the_top_bar_without_a_reload(
    page, live_server, alice, bob, speech
):
    """The reviewer has been writing a speech of their own all morning; a colleague sends them
    a draft. Coming back to the tab, the top bar says so (and a minute later without that),
    while what they were typing stays put."""
    page.set_viewport_size({"width": 1024, "height": 768})
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    own_draft = services.draft_create(owner=bob, title="在全县防汛工作会议上的讲话")
    open_draft(page, live_server, "bob", own_draft)
    expect(page.locator(".todo-link")).to_have_count(0)
    body = own(part(page, 1), "body")
    type_at_end(page, body, "要压实防汛责任，")

    flow.share_set(speech, user_id=bob.pk, role="review")
    flow.flow_submit(speech, user=alice, version=speech.version, reviewer_id=bob.pk)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back to the tab
    expect(page.locator(".todo-link")).to_contain_text("我的待办 1")
    page.keyboard.type("确保安全度汛。")  # the cursor is where it was
    idle(page)
    expect(body).to_contain_text("要压实防汛责任，确保安全度汛。")
    page.locator(".todo-link").click()
    expect(page.locator(".todo-list")).to_contain_text(speech.title)
    assert problems == []  # htmx read the trigger (a syntax error is only logged)
