"""从Word导入 and 导入修改稿 in a real browser: the leader's tracked changes are shown in the
editor, one is accepted, one rejected, and the draft and its history say so; the leader's
comment is a 批注 in the margin, on the words it spans."""

import re

import pytest
from playwright.sync_api import expect

from speechdraft.drafts.models import Draft, Proposal
from tests.drafts.test_imports import PART_ONE, revised_file, speech
from tests.e2e.pages import idle, login, settled
from tests.marked_docx import marked_docx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_import_a_marked_up_copy_accept_one_reject_one(page, live_server, alice):
    page.set_viewport_size({"width": 1400, "height": 1000})
    login(page, live_server)

    # 新建讲话稿 → 从Word导入
    page.get_by_role("link", name="新建讲话稿").first.click()
    form = page.locator("#import-word")
    page.screenshot(path="/tmp/new-import.png")
    form.get_by_label("Word 文件").set_input_files(
        {"name": "讲话.docx", "mimeType": DOCX, "buffer": marked_docx(speech())}
    )
    form.get_by_role("button", name="导入").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    settled(page)
    doc = page.locator("#document")
    expect(doc).to_contain_text("一、提高政治站位")
    expect(doc).to_contain_text(PART_ONE)

    # 导入修改稿: the leader's copy with an insertion, a deletion and a comment.
    page.get_by_label("导入修改稿（.docx）").set_input_files(
        {"name": "修改稿.docx", "mimeType": DOCX, "buffer": revised_file()}
    )
    # choosing the file sends it
    expect(page.locator("#flash")).to_contain_text("已导入修改稿：2 处修订")
    expect(page.locator("#flash")).to_contain_text("1 条批注")
    idle(page)
    insertion = page.locator(".proposal-insert")
    deletion = page.locator(".proposal-delete")
    expect(insertion.locator("ins")).to_have_text("推进")
    expect(deletion.locator("del")).to_have_text("彻底")
    note = page.locator("#comments .comment")
    expect(note).to_contain_text("数字请核实")
    expect(note).to_contain_text("王局长")
    expect(page.locator("#document mark.comment-anchor")).to_have_text("增长8%")
    page.screenshot(path="/tmp/proposals.png")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path="/tmp/proposals-1024.png")
    page.set_viewport_size({"width": 1400, "height": 1000})

    insertion.get_by_role("button", name="接受").click()
    expect(page.locator("#flash")).to_contain_text("已接受修订")
    idle(page)
    expect(doc).to_contain_text("要加快推进改革步伐，坚决彻底落实各项部署。")
    page.locator(".proposal-delete").get_by_role("button", name="拒绝").click()
    expect(page.locator("#flash")).to_contain_text("已拒绝修订")
    idle(page)
    expect(page.locator(".proposal-delete")).to_have_count(0)
    expect(doc).to_contain_text("坚决彻底落实")

    draft = Draft.objects.get()
    assert (
        draft.items.get(heading="提高政治站位").body == "要加快推进改革步伐，坚决彻底落实各项部署。"
    )
    states = dict(draft.proposals.values_list("kind", "state"))
    assert states["insert"] == Proposal.State.ACCEPTED
    assert states["delete"] == Proposal.State.REJECTED
    assert "comment" not in states
    assert draft.comments.get().author_name == "王局长"

    page.get_by_role("link", name="历史版本").click()
    history = page.locator("main")
    expect(history).to_contain_text("接受修订：插入“推进”")
    expect(history).to_contain_text("从Word导入《讲话.docx》")
