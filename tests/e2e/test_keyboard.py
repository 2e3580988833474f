"""A speech written without touching the mouse: every step by keys, numbering and the
announced part count right throughout."""

import pytest
from playwright.sync_api import expect

from speechdraft.drafts.models import Draft
from tests.e2e.pages import idle, login, new_blank_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def numbers(page):
    """Every numbered item's number and heading, in reading order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#document li.numbered > .item-row .item-text > :first-child')]
            .map(p => p.innerText.trim())"""
    )


def announced(page):
    return page.locator("#document ol.root > li.para").first.inner_text()


def focused_text(page):
    return page.evaluate(
        "document.activeElement.closest('.item-row')?.querySelector('.item-text').innerText.trim() || ''"
    )


def go_down_to(page, text, limit=40):
    """↓ from part to part until the cursor is in the item whose text starts with `text`,
    looking where the cursor is before each key, as a drafter does: while an action is on its
    way the cursor is not on the page yet (the keys wait for it, see test_typing_ahead)."""
    for _ in range(limit):
        page.wait_for_function("document.activeElement.id !== 'type-ahead'")
        if focused_text(page).startswith(text):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"never reached {text!r}; at {focused_text(page)!r}")


def write_heading(page, text):
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def test_a_speech_written_with_the_keyboard_only(page, live_server, alice):
    login(page, live_server)
    new_blank_draft(page, "在全市安全生产工作会议上的讲话")

    # From the top of the page into the text: the first Tab reaches 跳到正文.
    page.keyboard.press("Tab")
    expect(page.locator("#skip-to-text")).to_be_focused()
    page.keyboard.press("Enter")  # the cursor is at the start of the opening paragraph
    assert focused_text(page).startswith("同志们：")
    go_down_to(page, "一、", limit=8)  # down its lines (同志们： stands on its own), on to 一、
    write_heading(page, "提高政治站位")
    page.keyboard.press("ArrowDown")  # to its body
    page.keyboard.press("Control+a")
    page.keyboard.type("安全生产形势依然严峻复杂。")
    go_down_to(page, "二、")
    write_heading(page, "突出工作重点")
    # 添加要点 twice: （一）（二） under part 二, each heading typed where the cursor lands.
    page.keyboard.press("Control+Alt+Digit2")  # typed on at once: the keys wait for the new point
    page.keyboard.type("压实安全责任")
    page.keyboard.press("Enter")  # from the heading on to its body
    page.keyboard.type("要把责任落实到岗位、落实到人。")
    page.keyboard.press("Control+Alt+Digit2")
    page.keyboard.type("排查重大隐患")
    go_down_to(page, "三、")
    write_heading(page, "强化作风保障")
    idle(page)
    assert numbers(page) == [
        "一、提高政治站位",
        "二、突出工作重点",
        "（一）压实安全责任。要把责任落实到岗位、落实到人。",
        "（二）排查重大隐患。",
        "三、强化作风保障",
    ]
    assert "讲三点意见" in announced(page)

    # Alt+↑ moves part 三 above part 二; the cursor stays in it.
    page.keyboard.press("Alt+ArrowUp")
    idle(page)
    assert numbers(page) == [
        "一、提高政治站位",
        "二、强化作风保障",
        "三、突出工作重点",
        "（一）压实安全责任。要把责任落实到岗位、落实到人。",
        "（二）排查重大隐患。",
    ]
    assert focused_text(page).startswith("二、强化作风保障")

    # Tab at the start of （二） makes it a 1. under （一）.
    go_down_to(page, "（二）")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    idle(page)
    assert numbers(page)[-2:] == [
        "（一）压实安全责任。要把责任落实到岗位、落实到人。",
        "1.排查重大隐患。",
    ]
    assert focused_text(page).startswith("1.排查重大隐患")

    # Undo and redo by keys: the indent goes and comes back.
    page.keyboard.press("Control+z")
    idle(page)
    assert numbers(page)[-1] == "（二）排查重大隐患。"
    page.keyboard.press("Control+Shift+z")
    idle(page)
    assert numbers(page)[-1] == "1.排查重大隐患。"

    # A fourth part, then undo it: the announced count follows each time.
    page.keyboard.press("Control+Alt+Digit1")
    idle(page)
    assert "讲四点意见" in announced(page)
    assert numbers(page)[-1] == "四、"
    page.keyboard.press("Control+z")
    idle(page)
    assert "讲三点意见" in announced(page)
    assert len([n for n in numbers(page) if n[1] == "、"]) == 3

    draft = Draft.objects.get()
    headings = list(draft.items.filter(numbered=True).values_list("heading", flat=True))
    assert {"提高政治站位", "强化作风保障", "突出工作重点", "压实安全责任", "排查重大隐患"} <= set(
        headings
    )
