"""Keys pressed while a structure action is on its way go where that action puts the cursor,
never into the item being left: a drafter does not wait for the server between 添加要点 and
the point's heading."""

import re
import time

import pytest
from playwright.sync_api import expect

from speechdraft.drafts import versions
from speechdraft.drafts.models import DraftItem
from tests.e2e.pages import idle, open_speech, own, part, type_at_end

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_server(monkeypatch):
    """Every change takes a second at the server, as on a loaded office machine."""
    commit = versions.commit

    def slow(*args, **kwargs):
        time.sleep(1.0)
        return commit(*args, **kwargs)

    monkeypatch.setattr(versions, "commit", slow)


def points_of_part_two(page):
    return part(page, 1).locator("li.level-2 > .item-row .item-text").all_inner_texts()


def test_a_heading_typed_right_after_add_point_goes_into_the_new_point(
    page, live_server, speech, slow_server
):
    open_speech(page, live_server, speech)
    heading = own(part(page, 1))
    type_at_end(page, heading, "突出工作重点")
    page.keyboard.press("Control+Alt+Digit2")  # 添加要点: a new （三） under part 二
    page.keyboard.type("强化应急准备")
    page.keyboard.press("Enter")  # on to its body, still before the server has answered
    page.keyboard.type("要完善预案。")
    idle(page, timeout=30_000)

    assert [t.replace("\n", "") for t in points_of_part_two(page)][
        -1
    ] == "（三）强化应急准备。要完善预案。"
    left = own(part(page, 1)).inner_text()
    assert left.endswith("突出工作重点") and "强化" not in left  # the item left keeps its own text
    new = DraftItem.objects.get(heading="强化应急准备")
    assert new.body == "要完善预案。"
    assert not DraftItem.objects.filter(heading__contains="突出工作重点强化").exists()


def test_arrow_keys_pressed_meanwhile_move_on_from_the_new_point(
    page, live_server, speech, slow_server
):
    """↑/↓ pressed before the server has answered are not lost: once the new point is there
    they move the cursor as they would have, and what is typed after each goes there."""
    open_speech(page, live_server, speech)
    type_at_end(page, own(part(page, 1)), "")
    page.keyboard.press("Control+Alt+Digit2")
    page.keyboard.type("强化应急准备")
    page.keyboard.press("ArrowDown")  # from the new point's heading on to its body
    page.keyboard.press("ArrowDown")  # on from its body to part 三's heading
    page.keyboard.type("坚持")
    page.keyboard.press("ArrowUp")  # back to the new point's body
    page.keyboard.type("要完善预案。")
    page.keyboard.press("ArrowUp")  # and to its heading's end
    page.keyboard.type("工作")
    idle(page, timeout=30_000)

    new = DraftItem.objects.get(heading="强化应急准备工作")
    assert new.body == "要完善预案。"
    assert own(part(page, 2)).inner_text().startswith("坚持")
    assert points_of_part_two(page)[-1].replace("\n", "") == "（三）强化应急准备工作。要完善预案。"


def test_typing_after_two_quick_actions_is_shared_out_in_order(
    page, live_server, speech, slow_server
):
    open_speech(page, live_server, speech)
    type_at_end(page, own(part(page, 1)), "")
    page.keyboard.press("Control+Alt+Digit2")
    page.keyboard.type("甲项工作")
    page.keyboard.press("Control+Alt+Digit2")  # the first has not come back yet
    page.keyboard.type("乙项工作")
    idle(page, timeout=30_000)

    headings = [t.split("\n")[0] for t in points_of_part_two(page)]
    assert headings[-2:] == ["（三）甲项工作。", "（四）乙项工作。"]
    assert DraftItem.objects.filter(heading="甲项工作").exists()
    assert DraftItem.objects.filter(heading="乙项工作").exists()


def test_typing_during_an_action_that_fails_goes_back_where_the_cursor_was(
    page, live_server, speech
):
    open_speech(page, live_server, speech)

    def refuse(route):
        if route.request.method == "POST":
            route.fulfill(status=500, body="boom")
        else:
            route.continue_()

    page.route(re.compile(r".*/drafts/\d+/items/$"), refuse)
    body = own(part(page, 1), "body")
    type_at_end(page, body, "先写的半句，")
    page.keyboard.press("Control+Alt+Digit2")
    page.keyboard.type("接着写的半句。")
    idle(page, timeout=30_000)

    expect(body).to_contain_text("先写的半句，接着写的半句。")
    assert DraftItem.objects.filter(body__contains="先写的半句，接着写的半句。").exists()


def test_a_word_chosen_in_the_input_method_meanwhile_goes_into_the_new_point(
    page, live_server, speech, slow_server
):
    """Chinese is typed through an input method: its composition starts before the server has
    answered and the chosen word still lands in the new point."""
    open_speech(page, live_server, speech)
    type_at_end(page, own(part(page, 1)), "")
    page.keyboard.press("Control+Alt+Digit2")
    ime = page.context.new_cdp_session(page)
    ime.send("Input.imeSetComposition", {"text": "qiang", "selectionStart": 5, "selectionEnd": 5})
    ime.send("Input.insertText", {"text": "强化应急准备"})
    idle(page, timeout=30_000)

    assert points_of_part_two(page)[-1].split("\n")[0] == "（三）强化应急准备。"
    assert DraftItem.objects.filter(heading="强化应急准备").exists()
    assert not DraftItem.objects.filter(heading__contains="qiang").exists()
