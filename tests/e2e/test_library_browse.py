"""Browsing the 素材库 and looking before inserting: facets that filter (counts change), the
full view of a paragraph and inserting from it (on the page and in the editor's dialog, where
text typed and not yet saved stays), 收藏 found under 收藏, and the editor's panel widening.
Screenshots go to /tmp/browse_*.png."""

import pytest
from playwright.sync_api import expect

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.drafts.models import DraftItem
from speechdraft.library.models import Favourite, MaterialUse, Phrase
from speechdraft.library.services import tags_set
from tests.e2e.pages import idle, login, open_speech, own, part, settled, type_at_end
from tests.e2e.test_layout import MEASURE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "这是刚刚打下还没自动保存的一句话。"


@pytest.fixture
def library(db):
    def speech(name, title, date_text=""):
        document = SourceDocument.objects.create(file_name=name, state="done")
        return Skeleton.objects.create(document=document, title=title, date_text=date_text)

    mobilise = speech("a.txt", "在2021年全区招商引资动员部署大会上的讲话")
    meeting = speech("b.txt", "在全县安全生产工作会议上的讲话", "2023年3月2日")
    rows = {}
    texts = [
        (
            mobilise,
            "situation",
            "",
            "当前招商引资形势严峻，营商环境亟待进一步优化，各项指标与先进地区相比还有差距。",
        ),
        (
            mobilise,
            "tasks",
            "持续优化营商环境",
            "要持续优化营商环境，对标一流，招大引强，以项目建设的加速度跑出发展新速度。",
        ),
        (
            mobilise,
            "style",
            "",
            "要转变作风，真抓实干，坚决克服形式主义、官僚主义，确保各项部署落地见效。",
        ),
        (meeting, "situation", "", "当前安全生产形势依然复杂严峻，营商环境也受到一定影响。"),
        (
            meeting,
            "tasks",
            "压实安全生产责任",
            "要把安全生产责任落实到岗位、落实到人，做到守土有责、守土尽责。",
        ),
        (meeting, "style", "", "要锤炼过硬作风，以“时时放心不下”的责任感抓好各项工作。"),
    ]
    for n, (skeleton, role, heading, text) in enumerate(texts):
        rows[f"p{n}"] = Paragraph.objects.create(
            skeleton=skeleton,
            position=n,
            role=role,
            heading=heading,
            text=text,
            status=Status.APPROVED,
            usage_count=n,
        )
    rows["g"] = Phrase.objects.create(
        text="营商环境就是生产力", kind="golden", status=Status.APPROVED
    )
    tags_set(rows["p1"], ["营商环境"])
    tags_set(rows["g"], ["营商环境"])
    return rows


def count_of(page, facet_name, label):
    link = page.locator(".facet", has=page.get_by_role("heading", name=facet_name)).locator(
        "a.facet-value", has_text=label
    )
    return link, link.locator(".count")


def test_a_facet_filters_and_its_counts_change(page, live_server, alice, library):
    page.set_viewport_size({"width": 1400, "height": 1000})
    login(page, live_server)
    page.goto(f"{live_server.url}/library/")
    expect(page.locator("#listing-summary")).to_contain_text("共 7 条")
    style, style_count = count_of(page, "部分", "作风与要求")
    expect(style_count).to_have_text("2")
    _, year_count = count_of(page, "年份", "2023年")
    expect(year_count).to_have_text("3")
    page.screenshot(path="/tmp/browse_facets.png", full_page=True)

    style.click()
    expect(page).to_have_url(f"{live_server.url}/library/?role=style")
    expect(page.locator("#listing-summary")).to_contain_text("共 2 条")
    expect(page.locator("#search-results .result")).to_have_count(2)
    expect(page.locator("#search-results .results")).to_contain_text("要转变作风")
    expect(page.locator("#search-results .results")).not_to_contain_text("营商环境就是生产力")
    expect(year_count).to_have_text("1")  # counts follow the other facets' choices
    expect(page.get_by_role("link", name="去掉筛选：部分 作风与要求")).to_be_visible()

    # A query keeps the facet; removing the facet keeps the query.
    page.get_by_label("搜索素材").fill("作风")
    expect(page).to_have_url(f"{live_server.url}/library/?q=%E4%BD%9C%E9%A3%8E&role=style")
    expect(page.locator("#listing-summary")).to_contain_text("匹配 2 条")
    page.screenshot(path="/tmp/browse_facet_chosen.png", full_page=True)
    page.get_by_role("link", name="去掉筛选：部分 作风与要求").click()
    expect(page.get_by_role("link", name="去掉筛选：部分 作风与要求")).to_have_count(0)
    expect(page.get_by_label("搜索素材")).to_have_value("作风")


def test_full_view_shows_neighbours_and_inserts(page, live_server, alice, library, speech):
    page.set_viewport_size({"width": 1400, "height": 1000})
    login(page, live_server)
    page.goto(f"{live_server.url}/library/?q=持续优化营商环境")
    page.locator(".result", has_text="要持续优化营商环境").get_by_role(
        "link", name="查看全文"
    ).click()
    expect(page.get_by_role("heading", name="持续优化营商环境")).to_be_visible()
    current = page.locator(".neighbour.current")
    expect(current).to_contain_text("要持续优化营商环境")
    expect(page.locator(".neighbour")).to_have_count(3)  # the one before and after, in its speech
    expect(page.locator(".material-meta")).to_contain_text("动员部署会")
    expect(page.locator(".material-meta")).to_contain_text("2021年")
    page.screenshot(path="/tmp/browse_full_view.png", full_page=True)
    page.get_by_role("button", name="插入到讲话稿").click()
    expect(page.locator("#document")).to_contain_text("要持续优化营商环境")
    assert MaterialUse.objects.filter(user=alice, paragraph=library["p1"]).exists()


def test_full_view_in_the_editor_inserts_and_keeps_typed_text(
    page, live_server, alice, library, speech
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_speech(page, live_server, speech)
    page.get_by_label("搜索素材").fill("安全生产责任")
    result = page.locator("#library-results .result", has_text="要把安全生产责任")
    expect(result).to_be_visible()
    type_at_end(page, own(part(page, 1), "body"), TYPED)  # typed, not yet saved
    result.get_by_role("link", name="查看全文").click()
    dialog = page.locator("#material-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".neighbour.current")).to_contain_text("要把安全生产责任")
    expect(dialog.locator(".neighbour")).to_have_count(3)
    page.screenshot(path="/tmp/browse_editor_dialog.png")
    # A neighbour's 查看全文 stays in the dialog.
    dialog.locator(".neighbour", has_text="要锤炼过硬作风").get_by_role(
        "link", name="查看全文"
    ).click()
    expect(dialog.locator(".neighbour.current")).to_contain_text("要锤炼过硬作风")
    dialog.get_by_role("button", name="插入到本稿").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#flash")).to_contain_text("已插入素材")
    expect(page.locator("#document")).to_contain_text("要锤炼过硬作风")
    expect(page.locator("#document")).to_contain_text(TYPED)
    idle(page)
    assert DraftItem.objects.filter(draft=speech, body__contains=TYPED).exists()
    assert DraftItem.objects.filter(draft=speech, source_paragraph=library["p5"]).exists()


def test_favourite_then_find_it_under_favourites(page, live_server, alice, library, speech):
    page.set_viewport_size({"width": 1400, "height": 1000})
    login(page, live_server)
    page.goto(f"{live_server.url}/library/?q=营商环境")
    result = page.locator("#search-results .result", has_text="营商环境就是生产力")
    result.get_by_role("button", name="收藏", exact=True).click()
    expect(result.get_by_role("button", name="取消收藏")).to_be_visible()
    assert Favourite.objects.filter(user=alice, phrase=library["g"]).exists()
    page.get_by_role("link", name="★ 收藏").click()
    expect(page).to_have_url(f"{live_server.url}/library/?tab=favourites")
    expect(page.locator("#search-results .result")).to_have_count(1)
    expect(page.locator("#search-results .result")).to_contain_text("营商环境就是生产力")
    page.screenshot(path="/tmp/browse_favourites.png", full_page=True)

    # In the editor's panel too, and starred there from a search result.
    page.goto(f"{live_server.url}/drafts/{speech.pk}/")
    settled(page)
    page.get_by_label("搜索素材").fill("安全生产责任")
    hit = page.locator("#library-results .result", has_text="要把安全生产责任")
    hit.get_by_role("button", name="收藏", exact=True).click()
    expect(hit.get_by_role("button", name="取消收藏")).to_be_visible()
    page.locator(".panel-tabs").get_by_role("link", name="★ 收藏").click()
    results = page.locator("#library-results .result")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("要把安全生产责任")  # the latest first
    idle(page)


@pytest.mark.parametrize(("width", "height"), [(1400, 1000), (1024, 768)])
def test_the_editor_panel_widens_and_remembers(
    page, live_server, alice, library, speech, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    open_speech(page, live_server, speech)
    page.get_by_label("搜索素材").fill("营商环境")
    expect(page.locator("#library-results .result").first).to_be_visible()
    panel = page.locator("#library-panel")
    body = own(part(page, 0), "body")
    narrow_panel, narrow_text = panel.bounding_box(), body.evaluate(MEASURE)
    page.screenshot(path=f"/tmp/browse_panel_{width}_narrow.png")

    page.get_by_role("button", name="展开").click()
    expect(page.get_by_role("button", name="收起")).to_have_attribute("aria-expanded", "true")
    wide_panel = panel.bounding_box()
    page.screenshot(path=f"/tmp/browse_panel_{width}_wide.png")
    if width >= 1400:
        assert wide_panel["width"] == pytest.approx(560, abs=1)
        wide_text = body.evaluate(MEASURE)
        # The draft narrows by the panel's extra width and by nothing else.
        assert wide_text["width"] == pytest.approx(narrow_text["width"] - 200, abs=1)
        assert wide_text["left"] == narrow_text["left"]
    else:
        assert wide_panel["width"] == pytest.approx(width, abs=20)  # over the draft
        assert body.evaluate(MEASURE) == narrow_text  # which does not move or rewrap at all
        on_top = """() => {
          const box = document.querySelector('.toolbar').getBoundingClientRect();
          return !!document.elementFromPoint(box.left + 5, box.top + 5).closest('#library-panel');
        }"""
        assert page.evaluate(on_top)  # over the draft's sticky toolbar too
        expect(page.get_by_label("搜索素材")).to_be_focused()
        # Inserting from over the draft shows the draft again, where the material went.
        page.locator("#library-results .result", has_text="当前安全生产形势").get_by_role(
            "button", name="插入", exact=True
        ).click()
        expect(page.get_by_role("button", name="展开")).to_be_visible()
        expect(page.locator("#flash")).to_contain_text("已插入素材")
        expect(page.locator("#flash")).to_be_in_viewport()
        idle(page)

    page.reload()
    settled(page)
    expect(page.get_by_role("button", name="收起")).to_be_visible()  # remembered
    assert panel.bounding_box()["width"] == pytest.approx(wide_panel["width"], abs=1)
    if width < 1400:
        page.get_by_label("搜索素材").focus()
        page.keyboard.press("Escape")
    else:
        page.get_by_role("button", name="收起").click()
    expect(page.get_by_role("button", name="展开")).to_be_visible()
    assert panel.bounding_box()["width"] == pytest.approx(narrow_panel["width"], abs=1)
    assert body.evaluate(MEASURE) == narrow_text
