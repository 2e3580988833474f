"""批注 in a real browser: a reviewer selects words of the draft and comments on them; the
drafter sees the comment beside the words, answers it and marks it 已解决."""

import pytest
from playwright.sync_api import expect

from speechdraft.drafts import flow, services
from speechdraft.drafts.models import Comment
from tests.e2e.pages import idle, login, own, part, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def select_words(page, locator, words):
    """Select `words` inside one part of the text, as a drag of the mouse over them would."""
    locator.evaluate(
        """(el, words) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.nodeValue.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
                return;
            }
            throw new Error("words not found: " + words);
        }""",
        words,
    )


def test_a_reviewer_comments_and_the_drafter_answers_and_resolves(
    page, browser, live_server, alice, bob, speech
):
    bob.last_name, bob.first_name = "王", "审阅"
    bob.save()
    flow.share_set(speech, user_id=bob.pk, role="review")
    page.set_viewport_size({"width": 1400, "height": 1000})

    # The reviewer reads the draft: no editing tools, the text not editable.
    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/drafts/{speech.pk}/")
    settled(page)
    expect(page.locator(".readonly-note")).to_contain_text("审阅人，可以阅读和批注")
    expect(page.get_by_role("button", name="添加部分")).to_have_count(0)
    expect(page.get_by_role("button", name="导出Word")).to_be_visible()
    second_point = part(page, 1).locator("li.level-2").nth(1)
    body = own(second_point, "body")
    expect(body).to_have_text("第2个要点的正文。")
    assert body.get_attribute("contenteditable") is None

    select_words(page, body, "要点的正文")
    comment_button = page.get_by_role("button", name="批注", exact=True)
    expect(comment_button).to_be_visible()
    comment_button.click()
    pop = page.locator("#comment-form")
    expect(pop).to_contain_text("要点的正文")
    pop.get_by_label("批注内容").fill("这一段要写具体措施。")
    pop.get_by_role("button", name="添加批注").click()
    expect(page.locator("#flash")).to_contain_text("已添加批注")
    expect(pop).to_be_hidden()
    margin = page.locator("#comments")
    expect(margin.locator(".comment")).to_contain_text("这一段要写具体措施。")
    expect(margin.locator(".comment-who").first).to_have_text("王审阅")
    expect(body.locator("mark.comment-anchor")).to_have_text("要点的正文")
    comment = Comment.objects.get()
    assert (comment.anchor, comment.field, comment.author) == ("要点的正文", "body", bob)
    page.screenshot(path="/tmp/comments-reviewer.png")

    # The drafter opens the draft: the comment is beside the words, in the editor as ever.
    owner = browser.new_context(locale="zh-CN").new_page()
    owner.set_viewport_size({"width": 1400, "height": 1000})
    login(owner, live_server)
    owner.goto(f"{live_server.url}/drafts/{speech.pk}/")
    settled(owner)
    expect(owner.get_by_role("button", name="添加部分")).to_be_visible()
    thread = owner.locator("#comments .comment")
    expect(thread).to_contain_text("王审阅")
    expect(thread).to_contain_text("“要点的正文”")
    body = own(part(owner, 1).locator("li.level-2").nth(1), "body")
    expect(body.locator("mark.comment-anchor")).to_have_text("要点的正文")

    thread.locator("summary", has_text="回复").click()
    thread.get_by_label("回复批注").fill("已补充三项措施。")
    # An answer typed and not sent stays while the page is re-drawn by another change.
    owner.get_by_role("button", name="添加段落").click()
    idle(owner)
    expect(owner.get_by_label("回复批注")).to_have_value("已补充三项措施。")
    thread.get_by_role("button", name="回复", exact=True).click()
    expect(owner.locator("#flash")).to_contain_text("已回复")
    expect(owner.locator("#comments .comment-answer")).to_contain_text("已补充三项措施。")
    owner.locator("#comments").get_by_role("button", name="标记为已解决").click()
    expect(owner.locator("#flash")).to_contain_text("批注已解决")
    resolved = owner.locator("#comments .comments-resolved")
    expect(resolved.locator(":scope > summary")).to_have_text("已解决（1）")
    expect(body.locator("mark.comment-anchor")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.resolved_by == alice and comment.answers.get().text == "已补充三项措施。"

    # In the editor the drafter comments too, on words of a heading being edited.
    heading = own(part(owner, 1).locator("li.level-2").nth(0))
    heading.click()
    select_words(owner, heading, "安全责任")
    owner.get_by_role("button", name="批注", exact=True).click()
    pop = owner.locator("#comment-form")
    pop.get_by_label("批注内容").fill("改为“主体责任”")
    pop.get_by_role("button", name="收起").click()  # put away: what was typed stays
    expect(pop).to_be_hidden()
    select_words(owner, heading, "安全责任")
    owner.get_by_role("button", name="批注", exact=True).click()
    expect(pop.get_by_label("批注内容")).to_have_value("改为“主体责任”")
    pop.get_by_role("button", name="添加批注").click()
    expect(owner.locator("#comments .comment-list").first).to_contain_text("改为“主体责任”")
    expect(heading.locator("mark.comment-anchor")).to_have_text("安全责任")
    idle(owner)
    assert Comment.objects.get(field="heading").anchor == "安全责任"
    owner.screenshot(path="/tmp/comments-owner.png")
    owner.context.close()

    # The reviewer's page is older than the text: words changed meanwhile are refused with
    # why, in the form, and what the reviewer typed stays there.
    first_point = own(part(page, 1).locator("li.level-2").nth(0), "body")
    select_words(page, first_point, "第1个要点")
    item = speech.items.get(heading="压实安全责任")
    services.draft_item_update(
        speech, user=alice, version=None, item_id=item.pk, heading=item.heading, body="改写了。"
    )
    page.get_by_role("button", name="批注", exact=True).click()
    pop = page.locator("#comment-form")
    pop.get_by_label("批注内容").fill("要点一写具体")
    pop.get_by_role("button", name="添加批注").click()
    expect(pop.locator("#comment-form-error")).to_contain_text("已不在这一段中")
    expect(pop.get_by_label("批注内容")).to_have_value("要点一写具体")
    assert Comment.objects.filter(text="要点一写具体").count() == 0


def test_a_selection_across_two_paragraphs_says_how_to_comment(
    page, live_server, alice, bob, speech
):
    """Words from one point's text into the next: the button says to select within one (a
    批注 is on the words of one heading or paragraph) and opens nothing; within one, it is
    the 批注 button again."""
    flow.share_set(speech, user_id=bob.pk, role="review")
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, live_server, "bob")
    page.goto(f"{live_server.url}/drafts/{speech.pk}/")
    settled(page)
    points = part(page, 1).locator("li.level-2")
    first, second = own(points.nth(0), "body"), own(points.nth(1), "body")
    page.evaluate(
        """([a, b]) => {
            const range = document.createRange();
            range.setStart(a.firstChild, 2);
            range.setEnd(b.firstChild, 3);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        }""",
        [first.element_handle(), second.element_handle()],
    )
    button = page.locator("#comment-button")
    expect(button).to_be_visible()
    expect(button).to_have_text("批注请选同一段内的文字")
    expect(button).to_be_disabled()
    page.screenshot(path="/tmp/comments-across.png")
    select_words(page, second, "要点的正文")
    expect(button).to_have_text("批注")
    button.click()
    expect(page.locator("#comment-form")).to_contain_text("要点的正文")
    assert not Comment.objects.exists()


def test_ctrl_alt_m_comments_on_the_words_selected_as_in_word(page, live_server, alice, speech):
    """Word's 新建批注 key works here: with nothing selected it says what to do, with words
    selected by the keyboard it opens the form on them, and Ctrl+Enter sends it."""
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, live_server)
    page.goto(f"{live_server.url}/drafts/{speech.pk}/")
    settled(page)
    body = own(part(page, 1).locator("li.level-2").nth(1), "body")
    body.click()
    page.keyboard.press("End")
    page.keyboard.press("Control+Alt+KeyM")
    expect(page.locator("#flash [role=alert]")).to_contain_text("请先在正文中选中要批注的文字")
    expect(page.locator("#comment-form")).to_be_hidden()

    page.keyboard.press("ArrowLeft")  # before the closing 。
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")  # 的正文
    page.keyboard.press("Control+Alt+KeyM")
    form = page.locator("#comment-form")
    expect(form).to_be_visible()
    expect(form).to_contain_text("的正文")
    expect(form.get_by_label("批注内容")).to_be_focused()
    page.keyboard.type("写具体些。")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#comments .comment")).to_contain_text("写具体些。")
    expect(body.locator("mark.comment-anchor")).to_have_text("的正文")
    assert speech.comments.get().anchor == "的正文"
    assert body.inner_text() == "第2个要点的正文。"  # the text itself is as it was
