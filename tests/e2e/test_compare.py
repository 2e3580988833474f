"""比较版本 in a real browser: a word typed in the editor shows as inserted, and comes out of
导出花脸稿 as a tracked insertion; a named version is in the history and the picker."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import idle, open_speech, own, part, put_cursor_at_end
from tests.ooxml.test_redline import revisions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_word_typed_in_the_editor_shows_inserted_in_the_comparison(page, live_server, speech):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_speech(page, live_server, speech)
    body = own(part(page, 1).locator("li.level-2").nth(1), "body")
    put_cursor_at_end(page, body)
    for _ in "正文。":
        page.keyboard.press("ArrowLeft")
    page.keyboard.type("具体")
    idle(page)
    expect(body).to_contain_text("第2个要点的具体正文。")

    page.get_by_role("link", name="历史版本").click()
    page.get_by_role("link", name="比较版本").click()
    expect(page.locator(".compare-summary")).to_contain_text("修改 1 段")
    changed = page.locator(".change-changed")
    expect(changed.locator("ins")).to_have_text("具体")
    expect(changed).to_contain_text("第二部分（二）")
    expect(page.locator(".compare-same summary").first).to_contain_text("未改动")
    page.screenshot(path="/tmp/compare.png", full_page=True)

    # The same two versions as a Word file with tracked changes.
    page.get_by_role("button", name="导出花脸稿（Word 修订）").click()
    expect(page.locator("#export-status")).to_contain_text("花脸稿已生成", timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("link", name="下载").click()
    assert "花脸稿" in info.value.suggested_filename
    assert revisions(Path(info.value.path()).read_bytes()) == [("ins", "具体")]


def test_a_named_version_is_in_history_and_in_the_compare_picker(page, live_server, speech):
    open_speech(page, live_server, speech)
    page.get_by_role("link", name="历史版本").click()
    page.locator("details.name-version summary").first.click()
    page.get_by_label("的名称").first.fill("送审稿")
    page.get_by_role("button", name="保存名称").first.click()
    expect(page.locator("#flash, .messages").first).to_contain_text("已命名为“送审稿”")
    expect(page.locator("table.history .badge-name")).to_have_text("送审稿")
    page.get_by_role("link", name="比较版本").click()
    expect(page.locator("select[name=b] option:checked")).to_contain_text("「送审稿」")
