"""What the browser tests do again and again: sign in, open a draft, find an item's text,
type into it, wait until the editor has saved everything."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def login(page, live_server, username="alice"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def settled(page):
    """Wait until htmx has finished swapping and settling (a hand cannot type faster)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def idle(page, timeout=15_000):
    """Wait until every request of the editor is done and nothing typed is unsaved."""
    page.wait_for_function("window.speechdraftEditor && speechdraftEditor.idle()", timeout=timeout)
    settled(page)


def new_blank_draft(page, title="在全市工作会议上的讲话", region="江城"):
    page.get_by_role("link", name="新建讲话稿").first.click()
    page.get_by_label("标题 *").fill(title)
    if region:
        page.get_by_role("textbox", name="地区").fill(region)
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    settled(page)


def create_from_skeleton(
    page, skeleton_title, mode="按结构起草", title="在全市经济工作会议上的讲话", region="江城"
):
    """新建讲话稿 from the skeleton whose title shows `skeleton_title`, started `mode`."""
    page.get_by_role("link", name="新建讲话稿").first.click()
    page.get_by_label("标题 *").fill(title)
    page.get_by_label("会议名称").fill("全市经济工作会议")
    page.get_by_role("textbox", name="地区").fill(region)
    page.locator(".skeleton-choice", has_text=skeleton_title).click()
    page.locator(".mode-choice", has_text=mode).click()
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    settled(page)


def part(page, index):
    """The index-th part (一、二、…) of the outline, as its list item."""
    return page.locator("#document ol.root > li.level-1").nth(index)


def own(li, field="heading", index=0):
    """An item's own editable text (not its children's): its heading or a body paragraph."""
    return li.locator(f':scope > .item-row .item-text [data-field="{field}"]').nth(index)


def row_of(li):
    return li.locator(":scope > .item-row")


def put_cursor_at_end(page, locator):
    locator.click()
    page.keyboard.press("End")


def type_at_end(page, locator, text):
    put_cursor_at_end(page, locator)
    page.keyboard.type(text)


def part_numbers(page):
    return [
        t.strip()[:2]
        for t in page.locator(
            "#document ol.root > li.level-1 > .item-row .item-text > :first-child"
        ).all_inner_texts()
    ]


def expect_saved(page):
    expect(page.locator("#save-state")).to_contain_text("已保存")


def drag(page, source, target):
    """Press, move in steps and release, as a hand would (Sortable listens to pointer moves);
    returns once the server has answered the move."""
    page.set_viewport_size({"width": 1400, "height": 4000})  # both ends on screen at once
    settled(page)
    start, end = source.bounding_box(), target.bounding_box()
    x = start["x"] + 4
    with page.expect_response(lambda r: r.url.endswith("/move/")) as moved:
        page.mouse.move(x, start["y"] + 6)
        page.mouse.down()
        page.mouse.move(x, start["y"] + 12, steps=3)  # past the drag-start threshold
        for step in range(1, 21):
            page.mouse.move(x, start["y"] + (end["y"] - 4 - start["y"]) * step / 20)
            page.wait_for_timeout(25)
        page.wait_for_timeout(150)  # let Sortable place the item before the drop
        page.mouse.up()
    assert moved.value.status == 200
    settled(page)


def open_speech(page, live_server, speech):
    login(page, live_server)
    page.goto(f"{live_server.url}/drafts/{speech.pk}/")
    settled(page)
