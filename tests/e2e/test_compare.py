"""比较版本 in a real browser: a word typed in the editor shows as inserted."""

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import idle, open_speech, own, part, put_cursor_at_end

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
