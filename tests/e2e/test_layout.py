"""The page holds still: hovering or selecting a paragraph never changes its width or its
lines, handles stay put, and the working frame (toolbar, counts, messages) stays in view while
the speech scrolls. Screenshots of each state go to test-artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from speechdraft.drafts.services import Placement, draft_create, draft_item_insert
from tests.conftest import ROOT
from tests.e2e.pages import login, own, part, row_of, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT / "test-artifacts" / "screenshots"
LONG = (
    "安全生产事关人民群众生命财产安全，事关改革发展稳定大局。各级各部门要坚持人民至上、生命至上，"
    "统筹好发展和安全两件大事，以“时时放心不下”的责任感抓好安全生产各项工作，"
    "坚决防范遏制重特大事故发生，为全县经济社会高质量发展营造安全稳定的环境。"
)
VIEWPORTS = [(1400, 1000), (1024, 768)]

MEASURE = """el => {
  const box = el.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return {width: Math.round(box.width * 10) / 10, lines: tops.size, left: Math.round(box.left)};
}"""


@pytest.fixture
def long_speech(alice):
    draft = draft_create(owner=alice, title="在全县安全生产工作会议上的讲话", region="东山县")
    first = draft.items.filter(numbered=True).order_by("position").first()
    first.body = LONG
    first.save()
    draft_item_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=Placement(first.pk, 0),
        numbered=True,
        heading="压实安全生产责任",
        body=LONG,
    )
    draft.refresh_from_db()
    for n in range(25):  # a long speech, to scroll
        draft.refresh_from_db()
        draft_item_insert(
            draft,
            user=alice,
            version=draft.version,
            placement=Placement(None, 3 + n),
            numbered=False,
            body=f"第{n + 1}段。" + LONG,
        )
    return draft


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_hover_and_selection_never_rewrap_and_the_frame_stays(
    page, live_server, long_speech, width, height
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server)
    page.goto(f"{live_server.url}/drafts/{long_speech.pk}/")
    settled(page)
    body = own(part(page, 0), "body")  # a part's body paragraph
    point = part(page, 0).locator("li.level-2").first
    lead = point.locator(":scope > .item-row .item-text > p").first  # （一）heading。body
    handle = row_of(part(page, 0)).locator(".handle")
    page.mouse.move(5, height - 5)  # away from the text
    still = {"body": body.evaluate(MEASURE), "lead": lead.evaluate(MEASURE)}
    assert still["body"]["lines"] >= 2 and still["lead"]["lines"] >= 2  # wraps at this width
    page.screenshot(path=SHOTS / f"editor-{width}-still.png")

    body.hover()
    hovered = {"body": body.evaluate(MEASURE), "lead": lead.evaluate(MEASURE)}
    handle_hovered = handle.bounding_box()
    page.screenshot(path=SHOTS / f"editor-{width}-hover.png")

    body.click()  # the cursor in it: the item is the current one, its buttons show
    expect(row_of(part(page, 0))).to_have_class("item-row active")
    expect(row_of(part(page, 0)).get_by_role("button", name="下移")).to_be_visible()
    selected = {"body": body.evaluate(MEASURE), "lead": lead.evaluate(MEASURE)}
    assert handle.bounding_box() == handle_hovered  # the handle does not move under the pointer
    page.screenshot(path=SHOTS / f"editor-{width}-selected.png")

    own(point).click()  # a run-in point selected
    selected_lead = lead.evaluate(MEASURE)
    assert hovered == still and selected == still
    assert selected_lead == still["lead"]

    # Scrolled to the end of a long speech, the toolbar, counts and messages are in view.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    toolbar = page.get_by_role("toolbar", name="编辑")
    box = toolbar.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    expect(page.get_by_role("button", name="添加部分")).to_be_in_viewport()
    expect(page.locator("#statusbar")).to_be_in_viewport()
    page.keyboard.press("Alt+ArrowUp")  # 上移 on the first point: it cannot, and says so
    expect(page.locator("#flash [role=alert]")).to_be_in_viewport()
    page.screenshot(path=SHOTS / f"editor-{width}-scrolled.png")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_working_frame_stays_low_with_many_blanks_unfilled(
    page, live_server, alice, width, height
):
    """An old speech started 复制全文 has many blanks: the frame above the text keeps the
    toolbar on one row and the counts on one line, so the text keeps the screen; the names of
    every unfilled blank are still there, in the counts' tooltip."""
    draft = draft_create(owner=alice, title="在全县经济工作会议上的讲话", region="东山县")
    names = [f"{kind}{n}" for kind in ("市名", "数字") for n in range(1, 7)]
    first = draft.items.filter(numbered=True).order_by("position").first()
    first.body = "".join(f"要抓好{{{{ {name} }}}}工作。" for name in names)
    first.save()
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    settled(page)

    toolbar = page.get_by_role("toolbar", name="编辑")
    tops = toolbar.locator("button:visible, select:visible").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().top)"
    )
    assert len(tops) >= 7 and max(tops) - min(tops) < 4, tops  # one row
    counts = page.locator("#statusbar")
    line = counts.locator("[data-chars]").evaluate("e => e.getBoundingClientRect().height")
    assert counts.evaluate("e => e.clientHeight") < 2.5 * line  # one line, with its padding
    expect(counts).to_contain_text("第 1 版")  # the version still shows beside the list
    unfilled = counts.locator(".unfilled")
    expect(unfilled).to_have_attribute("title", "未填写：" + "、".join(["会议名称", *names]))
    page.screenshot(path=SHOTS / f"editor-{width}-many-blanks.png")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_draft_lists_rows_end_where_the_table_ends(page, live_server, alice, bob, size):
    """我起草的 (with 复制为新稿 and 删除) and 与我共享的 (nothing to do there): every row's last
    cell is a cell of that row, so its line runs to the table's edge (it fell short)."""
    from speechdraft.drafts import flow

    page.set_viewport_size({"width": size[0], "height": size[1]})
    mine = draft_create(owner=bob, title="在全县防汛工作会议上的讲话")
    draft_create(owner=alice, title="在全县安全生产工作会议上的讲话")
    flow.share_set(mine, user_id=alice.pk, role="review")
    login(page, live_server, "alice")
    for scope in ("mine", "shared"):
        page.goto(f"{live_server.url}/?scope={scope}")
        cells = page.locator("table.list tbody tr").first.locator("td")
        last = cells.last.evaluate(
            "td => { const c = td.getBoundingClientRect(), t = td.closest('table')"
            ".getBoundingClientRect(), r = td.parentElement.getBoundingClientRect();"
            " return {display: getComputedStyle(td).display, right: Math.round(t.right - c.right),"
            " height: Math.round(r.height - c.height)}; }"
        )
        assert last == {"display": "table-cell", "right": 0, "height": 0}, scope
        page.screenshot(path=SHOTS / f"list-{scope}-{size[0]}.png")
