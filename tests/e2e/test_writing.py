"""Writing on the page: what is typed is saved by itself and no action, reload or crash can
discard it. Each test types and then, within the second before autosave would run, does the
thing that used to lose the text."""

import re

import pytest
from playwright.sync_api import expect

from speechdraft.drafts import versions
from speechdraft.drafts.models import Draft, DraftItem, Revision
from tests.e2e.pages import drag, idle, open_speech, own, part, row_of, settled, type_at_end

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "这是刚刚打下还没自动保存的一句话。"
SAVE = re.compile(r".*/items/\d+/save/$")


def typed_in_db() -> bool:
    return (
        DraftItem.objects.filter(body__contains=TYPED).exists()
        or DraftItem.objects.filter(heading__contains=TYPED).exists()
    )


def type_into_part_two_body(page):
    type_at_end(page, own(part(page, 1), "body"), TYPED)


def keys(*combo):
    def act(page):
        type_into_part_two_body(page)
        for key in combo:
            page.keyboard.press(key)

    return act


def indent_part_two(page):
    heading = own(part(page, 1))
    heading.click()
    page.keyboard.press("Home")
    page.keyboard.type(TYPED)
    page.keyboard.press("Home")
    page.keyboard.press("Tab")  # at the start of the item: 降级


def outdent_a_point(page):
    point = part(page, 1).locator("li.level-2").first
    own(point).click()
    page.keyboard.press("Home")
    page.keyboard.type(TYPED)
    page.keyboard.press("Home")
    page.keyboard.press("Shift+Tab")  # 升级


def delete_another_item(page):
    type_into_part_two_body(page)
    own(part(page, 2)).click()
    page.once("dialog", lambda dialog: dialog.accept())
    row_of(part(page, 2)).get_by_role("button", name="删除").click()


def insert_from_library(page):
    type_into_part_two_body(page)
    page.get_by_label("搜索素材").fill("营商环境")
    result = page.locator("#library-results .result").first
    expect(result).to_contain_text("营商环境")
    result.get_by_role("button", name="插入").click()


def change_meeting_name(page):
    type_into_part_two_body(page)
    field = page.locator("#details-panel").get_by_label("会议名称")
    field.fill("全市安全生产工作会议")
    field.press("Tab")


def change_numbering(page):
    type_into_part_two_body(page)
    page.get_by_label("第2级编号样式").select_option("一是")


def drag_part_three_up(page):
    type_into_part_two_body(page)
    handles = page.locator("#document ol.root > li.level-1 > .item-row .handle")
    drag(page, handles.nth(2), handles.nth(0))


ACTIONS = {
    "添加部分 Ctrl+Alt+1": keys("Control+Alt+Digit1"),
    "添加要点 Ctrl+Alt+2": keys("Control+Alt+Digit2"),
    "添加段落 Ctrl+Alt+0": keys("Control+Alt+Digit0"),
    "上移 Alt+↑": keys("Alt+ArrowUp"),
    "下移 Alt+↓": keys("Alt+ArrowDown"),
    "降级 Tab": indent_part_two,
    "升级 Shift+Tab": outdent_a_point,
    "删除另一段": delete_another_item,
    "插入素材": insert_from_library,
    "修改会议信息": change_meeting_name,
    "修改编号样式": change_numbering,
    "拖动": drag_part_three_up,
}


def is_action(response) -> bool:
    return response.request.method == "POST" and not SAVE.match(response.url)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_text_typed_just_before_an_action_is_saved_and_stays(
    page, live_server, speech, sample_library, action
):
    open_speech(page, live_server, speech)
    with page.expect_response(is_action) as answered:
        ACTIONS[action](page)
    assert answered.value.ok
    # Saved with the action (or just before it), not by a later autosave.
    assert typed_in_db(), f"{action}: the action went without the typed text"
    # 30 s as for the other slow paths: twice in about 50 runs on a busy machine the editor
    # took over 15 s to settle after 插入素材, the text already saved (cause not found yet).
    idle(page, timeout=30_000)
    expect(page.locator("#document")).to_contain_text(TYPED)  # and still on the page after it
    assert typed_in_db(), f"{action}: the typed text was lost after the action"
    expect(page.locator("#flash .error")).to_have_count(0)


def test_undo_takes_back_the_typing_and_redo_brings_it_back(page, live_server, speech):
    open_speech(page, live_server, speech)
    type_into_part_two_body(page)
    page.keyboard.press("Control+z")
    idle(page)
    expect(page.locator("#document")).not_to_contain_text(TYPED)
    # Not discarded: the typing is a change of its own, and 重做 walks forward to it.
    assert Revision.objects.filter(draft=speech, action="修改段落").exists()
    page.keyboard.press("Control+Shift+z")
    idle(page)
    expect(page.locator("#document")).to_contain_text(TYPED)
    assert typed_in_db()


def test_text_typed_while_an_action_is_on_its_way_is_kept(page, live_server, speech, monkeypatch):
    """Every change takes a second at the server: typing goes on meanwhile and is not lost when
    the outline comes back."""
    slow_commit = versions.commit

    def commit(*args, **kwargs):
        import time

        time.sleep(1.0)
        return slow_commit(*args, **kwargs)

    monkeypatch.setattr(versions, "commit", commit)
    open_speech(page, live_server, speech)
    body = own(part(page, 1), "body")
    type_at_end(page, body, "先写的半句，")
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.type("移动途中又写的半句。")
    idle(page, timeout=30_000)
    moved = part(page, 0)
    expect(own(moved, "body")).to_contain_text("先写的半句，移动途中又写的半句。")
    assert DraftItem.objects.filter(body__contains="先写的半句，移动途中又写的半句。").exists()
    expect(own(moved, "body")).to_be_focused()  # the cursor stayed in the item acted on


def test_a_reload_offers_back_what_was_not_saved(page, live_server, speech):
    open_speech(page, live_server, speech)
    page.route(SAVE, lambda route: route.abort("connectionrefused"))  # the saves cannot land
    type_into_part_two_body(page)
    expect(page.locator("#save-state")).to_have_text("保存失败，正在重试")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.reload()
    assert asked == ["beforeunload"]  # leaving with unsaved text asks first
    page.unroute(SAVE)
    settled(page)
    expect(page.locator("#document")).not_to_contain_text(TYPED)
    banner = page.locator("#flash .recovery")
    expect(banner).to_contain_text("发现 1 段未保存的内容")
    banner.get_by_role("button", name="恢复").click()
    idle(page)
    expect(own(part(page, 1), "body")).to_contain_text(TYPED)
    assert typed_in_db()
    page.reload()  # nothing left to offer, nothing asked
    settled(page)
    expect(page.locator("#flash .recovery")).to_have_count(0)
    assert asked == ["beforeunload"]


def test_two_tabs_typing_into_the_same_item_keep_both_texts(page, live_server, speech):
    open_speech(page, live_server, speech)
    other = page.context.new_page()
    other.goto(page.url)
    settled(other)
    type_at_end(other, own(part(other, 1), "body"), "另一个窗口写的。")
    idle(other)
    type_at_end(page, own(part(page, 1), "body"), "这个窗口写的。")
    conflict = row_of(part(page, 1)).locator(".conflict")
    expect(conflict).to_contain_text("此段已在其他窗口修改")
    expect(conflict.locator(".theirs")).to_contain_text("另一个窗口写的。")
    expect(own(part(page, 1), "body")).to_contain_text("这个窗口写的。")
    item = speech.items.get(numbered=True, parent=None, position=2)
    assert "另一个窗口写的。" in item.body and "这个窗口写的。" not in item.body
    conflict.get_by_role("button", name="仍然保存我的修改").click()
    idle(page)
    item.refresh_from_db()
    assert item.body.endswith("这个窗口写的。")
    expect(conflict).to_have_count(0)


def test_two_tabs_typing_into_different_items_both_land(page, live_server, speech):
    open_speech(page, live_server, speech)
    other = page.context.new_page()
    other.goto(page.url)
    settled(other)
    type_at_end(other, own(part(other, 0), "body"), "一窗口写第一部分。")
    idle(other)
    type_at_end(page, own(part(page, 2), "body"), "另一窗口写第三部分。")
    idle(page)
    expect(page.locator(".conflict")).to_have_count(0)
    # The page took in the other window's change around what was typed here.
    expect(own(part(page, 0), "body")).to_contain_text("一窗口写第一部分。")
    bodies = "".join(Draft.objects.get(pk=speech.pk).items.values_list("body", flat=True))
    assert "一窗口写第一部分。" in bodies and "另一窗口写第三部分。" in bodies


def test_enter_and_backspace_make_and_remove_paragraphs(page, live_server, speech):
    open_speech(page, live_server, speech)
    body = own(part(page, 0), "body")
    type_at_end(page, body, "第一段末尾。")
    page.keyboard.press("Enter")
    page.keyboard.type("另起的一段。")
    idle(page)
    first = speech.items.get(numbered=True, parent=None, position=1)
    assert first.body.endswith("第一段末尾。\n另起的一段。")
    expect(own(part(page, 0), "body", 1)).to_have_text("另起的一段。")
    # Backspace at the start of a paragraph joins it to the one before.
    page.keyboard.press("Home")
    page.keyboard.press("Backspace")
    idle(page)
    first.refresh_from_db()
    assert first.body.endswith("第一段末尾。另起的一段。")
    # An empty new paragraph: Backspace removes it.
    count = speech.items.count()
    page.keyboard.press("Control+Alt+Digit0")
    idle(page)
    assert speech.items.count() == count + 1
    page.keyboard.press("Backspace")
    idle(page)
    assert speech.items.count() == count
    expect(own(part(page, 0), "body")).to_be_focused()


def test_an_action_that_cannot_apply_says_why_and_records_nothing(page, live_server, speech):
    open_speech(page, live_server, speech)
    before = Revision.objects.filter(draft=speech).count()
    first_point = part(page, 1).locator("li.level-2").first  # （一）, a first child
    own(first_point).click()
    button = row_of(first_point).get_by_role("button", name="上移")
    expect(button).to_be_disabled()
    expect(button).to_have_attribute("title", "已是同级第一项，不能上移")
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#flash [role=alert]")).to_contain_text("已是同级第一项，不能上移")
    assert Revision.objects.filter(draft=speech).count() == before


def test_slots_are_chips_inserted_from_the_menu_never_typed_braces(page, live_server, speech):
    open_speech(page, live_server, speech)
    body = own(part(page, 0), "body")
    type_at_end(page, body, "请")
    page.get_by_label("插入填空").select_option("地区")
    expect(body.locator(".chip[data-slot=地区]")).to_have_text("江城")
    body.click()
    page.keyboard.press("End")
    page.keyboard.type("各级各部门抓好落实，由{{ 姓名 }}同志牵头。")
    expect(body.locator(".chip[data-slot=姓名]")).to_have_text("姓名")  # unfilled: its name
    expect(body).not_to_contain_text("{{")
    idle(page)
    item = speech.items.get(numbered=True, parent=None, position=1)
    assert item.body.endswith("请{{ 地区 }}各级各部门抓好落实，由{{ 姓名 }}同志牵头。")
    expect(page.locator("#statusbar")).to_contain_text("姓名")


def test_typing_after_a_click_on_a_blank_goes_into_the_text_after_it(page, live_server, speech):
    """A blank (a chip) takes no typing: a click on it puts the caret right after it, so
    what is typed next is not lost."""
    open_speech(page, live_server, speech)
    body = own(part(page, 0), "body")
    type_at_end(page, body, "请")
    page.get_by_label("插入填空").select_option("地区")
    chip = body.locator(".chip[data-slot=地区]")
    expect(chip).to_have_text("江城")
    type_at_end(page, body, "各部门")  # text after the blank, so the click is in the middle
    idle(page)
    chip.click()
    page.keyboard.type("全体干部和")
    expect(body).to_contain_text("江城全体干部和各部门")
    idle(page)
    item = speech.items.get(numbered=True, parent=None, position=1)
    assert item.body.endswith("请{{ 地区 }}全体干部和各部门")


def test_a_slot_goes_where_the_cursor_was_after_the_outline_was_rendered_again(
    page, live_server, speech
):
    open_speech(page, live_server, speech)
    body = own(part(page, 0), "body")
    type_at_end(page, body, "请")
    idle(page)
    # the outline comes again from the server (as after a save that asks for a refresh)
    page.evaluate(
        """() => new Promise((done) => {
          const editor = document.querySelector('[data-document-url]');
          document.body.addEventListener('htmx:afterSettle', () => done(), { once: true });
          htmx.ajax('GET', editor.getAttribute('data-document-url'),
                    { target: '#document', swap: 'outerHTML', source: '#document' });
        })"""
    )
    page.get_by_label("插入填空").select_option("地区")
    body = own(part(page, 0), "body")
    expect(body.locator(".chip[data-slot=地区]")).to_have_text("江城")
    idle(page)
    item = speech.items.get(numbered=True, parent=None, position=1)
    assert item.body.endswith("请{{ 地区 }}")


def test_the_shortcut_help_opens_with_a_question_mark(page, live_server, speech):
    open_speech(page, live_server, speech)
    own(part(page, 0)).click()
    page.keyboard.press("Escape")  # leave the text: the item itself has the focus
    expect(row_of(part(page, 0))).to_be_focused()
    page.keyboard.press("?")
    dialog = page.locator("dialog#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Alt+↑ / Alt+↓")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(row_of(part(page, 0))).to_be_focused()
